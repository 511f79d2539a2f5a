"""Commented templates for new entries, written by ``kb new``; each is valid as written."""

from __future__ import annotations

import os
import re
from pathlib import Path

from kb.atomic import write_atomic
from kb.model import KIND_FOLDERS

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
#: Longest id ``kb new`` accepts: its file name (id + ``.yaml``) stays well within the 255
#: bytes file systems allow, and readable in a URL.
MAX_ID_LENGTH = 120


class TemplateError(Exception):
    """The id is malformed, or the file exists already."""


_TEMPLATES = {
    "term": """\
# yaml-language-server: $schema={schemas}/term.schema.json
# A term: one or more senses, each attributed to a source. Field reference: docs/data-model.md
id: {id}
label: {label}
# aliases: [other name]           # other names of the term
status: proposed                  # established | contested | deprecated | proposed
# broader: [term-id]              # this term is a kind of those terms
# related: [term-id]              # associated terms
senses:
  - id: main                      # referenced as {id}#main
    # label: short label          # how readers see this sense named, e.g. "explicit search"
    definition: >-
      TODO in our own words: what the term means in this source.
    uses: []                      # every term id the definition depends on or mentions
    source: {source}              # the source id (kb new source ID): whose words these are
    # quoted_in: post-id          # if the words are quoted from the source in another document
    # locator: "section 2"        # where in the source
    # quote: "a short exact quote"
    # conflicts_with: [other-term#sense]   # also: refines, agrees_with
    # note: why this reading       # editor's note, if the passage could be read otherwise
""",
    "claim": """\
# yaml-language-server: $schema={schemas}/claim.schema.json
# A claim: one thing a source argues. Field reference: docs/data-model.md
id: {id}
title: {label}
claim: >-
  TODO in our own words: what the source claims.
source: {source}                  # the source id that makes the claim
# quoted_in: post-id              # if the words are quoted from the source in another document
# locator: "comment 2, paragraph 1"
# quote: "a short exact quote"
about: []                         # term ids the claim is about
# supports: [claim-id]            # a claim id, or term-id#sense-id
# objects_to: [claim-id]          # a claim id, or term-id#sense-id for a definition
# undercuts:                      # "granted, but it does not follow": a link another claim makes
#   - claim: other-claim-id       # the claim that makes the link
#     supports: claim-id          # or objects_to: what it supports or objects to
# note: why linked this way       # editor's note, if the passage could be read otherwise
""",
    "source": """\
# yaml-language-server: $schema={schemas}/source.schema.json
# A source: a paper, post, comment, video ... Field reference: docs/data-model.md
id: {id}
title: {label}
kind: post                        # paper | post | comment | video | newsletter | book | wiki | sequence | other
authors: []                       # names as published; if unknown, leave empty and fill author_note
author_note: TODO who wrote it, or why the author is unknown
# date: 2019-06-01                # YYYY-MM-DD, YYYY-MM or YYYY
# url: https://...                # only when certain; never invented
# part_of: post-id                # a comment's post, a post's sequence
# in_reply_to: comment-id         # the comment or post this answers
# references: [work-id]           # works it points to or cites
# text: 001_post.txt              # its archived text, relative to the texts folder (kb check --texts)
""",
}


def render_template(
    kind: str, entry_id: str, schemas: str = "../tools/kb/schemas", source: str = "todo-source"
) -> str:
    label = entry_id.replace("-", " ")
    return _TEMPLATES[kind].format(id=entry_id, label=label, schemas=schemas, source=source)


def write_template(
    root: Path, kind: str, entry_id: str, source: str = "todo-source", schemas: str = "../schemas"
) -> Path:
    """Write ``<folder>/<id>.yaml`` under ``root``; refuse a bad id or an existing file.
    ``schemas`` is the folder of the JSON Schemas, relative to the entry's folder."""
    for value in (entry_id, source):
        if not ID_PATTERN.match(value):
            raise TemplateError(
                f"'{value}' is not a valid id: use lowercase kebab-case, e.g. mesa-optimizer"
            )
    if len(entry_id) > MAX_ID_LENGTH:
        raise TemplateError(
            f"the id is {len(entry_id)} characters long; ids (and so file names) may have at "
            f"most {MAX_ID_LENGTH}: choose a shorter id"
        )
    folder = root / KIND_FOLDERS[kind]
    path = folder / f"{entry_id}.yaml"
    if os.path.lexists(path):
        raise TemplateError(f"{path} exists already; kb new never overwrites a file")
    try:
        if not folder.is_dir():
            folder.mkdir(parents=True)
        write_atomic(path, render_template(kind, entry_id, schemas, source), exclusive=True)
    except FileExistsError as exc:
        if exc.filename and Path(exc.filename) != path:  # a file where a folder should be
            exc.strerror = f"{exc.filename} is a file, not a folder"
            raise TemplateError(_cannot_write(path, exc)) from None
        raise TemplateError(f"{path} exists already; kb new never overwrites a file") from None
    except OSError as exc:
        raise TemplateError(_cannot_write(path, exc)) from None
    return path


def _cannot_write(path: Path, exc: OSError) -> str:
    return (
        f"cannot write {path}: {exc.strerror or exc} (give a knowledge-base folder you may "
        "write to with --root)"
    )
