"""Rules about quotes: each is found, word for word, in the archived text it comes from.

Where the words must be: a sense's or claim's ``quote`` lies in the archived text of its
``quoted_in`` document when it names one (the words are borrowed, quoted there), else of its
``source``. A source's archived text is its own ``text`` or that of the work it is
``part_of`` (:meth:`kb.model.KnowledgeBase.text_holder`), a file in the texts folder
(``kb check --texts DIR``, else ``[tool.kb] texts``).

Archived discussion pages hold a post followed by its comments, each opened by a header line
``comment by AUTHOR · YYYY-MM-DDTHH:MM…``. A comment's words must lie in its own block (from
its header to the next), found by the comment source's ``authors`` and ``date``; a post's
words must lie before the first comment. A page without such headers is one block.

Comparison ignores differences of whitespace, of typographic quotes and apostrophes, of
dashes, and of Unicode compatibility forms (NFKC: "…" is "...").
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kb.config import ConfigError, texts_folder
from kb.model import KnowledgeBase, Location, Source
from kb.rules.registry import finding, rule

COMMENT_HEADER = re.compile(r"^comment by (.+?) · (\d{4}-\d{2}-\d{2})T", re.M)
FOLDS = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-"})
SHOWN_CONTEXT = 20  # characters shown around the closest passage in a hint


def normalise(text: str) -> str:
    """``text`` compared by its words: NFKC, plain quotes and dashes, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(FOLDS).split())


@dataclass(frozen=True)
class Quote:
    """One ``quote`` as written, and the source whose archived text must hold it."""

    what: str  # "sense 'x#y'" or "claim 'z'"
    entry: tuple[str, str]
    text: str
    location: Location
    words_of: str | None  # the quoted_in document, else the source; None when neither is given


def quotes(kb: KnowledgeBase) -> Iterator[Quote]:
    for sense in kb.senses():
        if sense.quote:
            yield _quote(f"sense '{sense.key}'", ("term", sense.term_id), sense)
    for claim in kb.claims.values():
        if claim.quote:
            yield _quote(f"claim '{claim.id}'", ("claim", claim.id), claim)


def _quote(what: str, entry: tuple[str, str], item) -> Quote:
    holder = item.quoted_in or item.source
    location = item.quote_location or item.location
    return Quote(what, entry, item.quote, location, holder.target if holder else None)


@dataclass(frozen=True)
class Texts:
    """The texts folder of a check: where it is, or why there is none."""

    folder: Path | None
    missing_because: str | None = None


def texts_of(kb: KnowledgeBase) -> Texts:
    """The folder the caller named (``kb.texts``), else ``[tool.kb] texts``."""
    if kb.texts is not None:
        return Texts(kb.texts)
    try:
        folder = texts_folder(kb.root)
    except ConfigError as exc:
        return Texts(None, str(exc))
    if folder is None:
        return Texts(None, "no folder of archived texts was given")
    if not folder.is_dir():
        return Texts(None, f"the texts folder {folder} (from [tool.kb] texts) does not exist")
    return Texts(folder)


@lru_cache(maxsize=128)
def _read(path: Path, stamp: tuple[int, int]) -> str | None:
    """The text of ``path`` (``stamp`` is its size and modification time, so an edited file is
    read again); None when it cannot be read as UTF-8."""
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def archived_text(folder: Path, name: str) -> str | None:
    path = folder / name
    try:
        stat = path.stat()
    except OSError:
        return None
    return _read(path, (stat.st_size, stat.st_mtime_ns)) if path.is_file() else None


@lru_cache(maxsize=64)
def comment_blocks(text: str) -> tuple[tuple[str, str, str], ...]:
    """``(author, date, block)`` of every comment of an archived discussion page."""
    heads = list(COMMENT_HEADER.finditer(text))
    ends = [h.start() for h in heads[1:]] + [len(text)] if heads else []
    return tuple(
        (h.group(1), h.group(2), text[h.start() : end]) for h, end in zip(heads, ends, strict=True)
    )


def post_part(text: str) -> str:
    """An archived page up to its first comment."""
    first = COMMENT_HEADER.search(text)
    return text[: first.start()] if first else text


def passages(source: Source, text: str) -> list[str]:
    """The parts of its archived page where ``source``'s words may lie (see the module doc)."""
    blocks = comment_blocks(text)
    if not blocks:
        return [text]
    if source.type != "comment":
        return [post_part(text)]
    if not source.authors:
        return [text]  # a participant without a name: the page does not say which comment
    return [
        block
        for author, date, block in blocks
        if author in source.authors and (not source.date or date.startswith(source.date))
    ]


@lru_cache(maxsize=4096)
def normalised_passages(source: Source, text: str) -> tuple[str, ...]:
    """:func:`passages`, normalised; cached, as many quotes come from one source."""
    return tuple(normalise(p) for p in passages(source, text))


def closest_passage(places: tuple[str, ...], quote: str) -> str:
    """The stretch of ``places`` that shares the longest run of characters with ``quote``,
    with some context, for a hint."""
    matches = [
        (difflib.SequenceMatcher(None, place, quote, autojunk=False), place) for place in places
    ]
    match, passage = max(
        ((m.find_longest_match(0, len(p), 0, len(quote)), p) for m, p in matches),
        key=lambda found: found[0].size,
    )
    start = max(0, match.a - match.b - SHOWN_CONTEXT)
    end = min(len(passage), match.a - match.b + len(quote) + SHOWN_CONTEXT)
    start = passage.find(" ", start) + 1 if start else 0  # whole words only
    end = max(passage.rfind(" ", start, end), start + 1) if end < len(passage) else end
    return ("…" if start else "") + passage[start:end] + ("…" if end < len(passage) else "")


@rule("KB054", "misquote", "error", reads={"ids", "links", "attribution"})
def misquote(kb: KnowledgeBase):
    """
    What it checks:
    Each ``quote`` is in the archived text it comes from: that of the ``quoted_in`` document
    when the sense or claim names one, else that of its ``source`` (its own ``text``, or
    that of the work it is ``part_of``). A comment's words must lie in that comment (found
    on its archived page by the comment's ``authors`` and ``date``), a post's before the
    comments. Whitespace, typographic quotes and dashes do not count. Also reported: a
    ``text`` that is not in the texts folder, and a comment whose author and date match no
    comment of its page. Runs when a texts folder is given: ``kb check --texts DIR``, or
    ``texts = "DIR"`` under ``[tool.kb]`` in pyproject.toml.

    Why it matters:
    A quote is the reader's evidence that the atlas reports a participant faithfully. A
    misquote, or a quote put in the mouth of the wrong participant, undoes that.

    Bad:
    ```yaml
    # the post says "a mesa-optimizer is a learned model that is itself an optimizer"
    quote: a mesa-optimizer is a model that is itself an optimizer
    ```

    Good:
    ```yaml
    quote: a mesa-optimizer is a learned model that is itself an optimizer
    ```
    """
    texts = texts_of(kb)
    if texts.folder is None:
        return
    yield from _missing_texts(kb, texts.folder)
    yield from _unmatched_comments(kb, texts.folder)
    for quote in quotes(kb):
        page = archived_page(kb, texts.folder, quote.words_of)
        if page is None:
            continue  # not archived (unverified-quote) or no such file (reported above)
        source, holder, text = page
        places = normalised_passages(source, text)
        wanted = normalise(quote.text)
        if not places or any(wanted in place for place in places):
            continue
        where = f"{source.type} '{source.id}'" + ("" if holder is source else f" in {holder.text}")
        elsewhere = found_elsewhere(text, wanted)
        yield finding(
            "misquote",
            quote.location,
            f"the quote of {quote.what} is not in the archived text of {where}",
            f"these words are in {elsewhere} of {holder.text}: attribute them to it (`source`, "
            "or `quoted_in` for words it quotes)"
            if elsewhere
            else f'closest passage: "{closest_passage(places, wanted)}": copy the words exactly',
            quote.entry,
        )


def archived_page(
    kb: KnowledgeBase, folder: Path, source_id: str | None
) -> tuple[Source, Source, str] | None:
    """``(source, the source whose text holds its words, that text)``, when all exist."""
    source = kb.sources.get(source_id or "")
    holder = kb.text_holder(source.id) if source else None
    text = archived_text(folder, holder.text) if holder and holder.text else None
    return (source, holder, text) if source and holder and text is not None else None


def found_elsewhere(text: str, wanted: str) -> str | None:
    """Which part of the page holds ``wanted`` when it is not where it was looked for: the
    post, or a comment named by its header."""
    blocks = comment_blocks(text)
    parts = [("the post", post_part(text))]
    parts += [(f"the comment by {author} of {date}", block) for author, date, block in blocks]
    return next((name for name, part in parts if wanted in normalise(part)), None)


def _missing_texts(kb: KnowledgeBase, folder: Path):
    for source in kb.sources.values():
        if source.text and archived_text(folder, source.text) is None:
            yield finding(
                "misquote",
                source.text_location or source.location,
                f"source '{source.id}' names the archived text '{source.text}', which is not "
                f"a readable UTF-8 file in the texts folder {folder}",
                "fix `text:`, or give the folder that holds it (kb check --texts DIR)",
                ("source", source.id),
            )


def _unmatched_comments(kb: KnowledgeBase, folder: Path):
    for source in kb.sources.values():
        page = archived_page(kb, folder, source.id)
        if source.type != "comment" or not source.authors or page is None:
            continue
        _, holder, text = page
        if comment_blocks(text) and not passages(source, text):
            on = f" on {source.date}" if source.date else ""
            yield finding(
                "misquote",
                source.location,
                f"source '{source.id}' is a comment by {' or '.join(source.authors)}{on}, but "
                f"its archived page {holder.text} has no such comment",
                "check `authors` and `date` against the comment's header line "
                "(comment by NAME · YYYY-MM-DD…)",
                ("source", source.id),
            )


@rule("KB055", "unverified-quote", "info", reads={"ids", "links", "attribution"})
def unverified_quote(kb: KnowledgeBase):
    """
    What it checks:
    Quotes that ``misquote`` could not check. Without a texts folder, one finding says how
    many quotes went unchecked and how to give the folder. With one, each quote whose words
    are not in the archived documents (its source has no archived text, and it names no
    ``quoted_in`` document that has one).

    Why it matters:
    An unchecked quote may be wrong without anyone noticing. A repository whose archived
    texts are not published still gets a meaningful check; one that has them can make this
    an error (``[tool.kb] severity``).

    Bad:
    ```yaml
    # sources/paper.yaml has no text: the paper is only cited by the archived documents
    source: paper
    quote: a learned model that is itself an optimizer
    ```

    Good:
    ```yaml
    source: paper
    quoted_in: post        # the archived post that quotes the paper
    quote: a learned model that is itself an optimizer
    ```
    """
    found = list(quotes(kb))
    texts = texts_of(kb)
    if texts.folder is None:
        if found:
            yield finding(
                "unverified-quote",
                found[0].location,
                f"{len(found)} quotes not verified: {texts.missing_because}",
                'give the folder of archived texts: kb check --texts DIR, or texts = "DIR" '
                "under [tool.kb] in pyproject.toml",
            )
        return
    for quote in found:
        source = kb.sources.get(quote.words_of or "")
        if source is not None and not kb.is_archived(source.id):
            yield finding(
                "unverified-quote",
                quote.location,
                f"the quote of {quote.what} cannot be verified: {source.type} '{source.id}' "
                "is not in the archived documents",
                "name the archived document that quotes these words in `quoted_in:`, or drop the quote",
                quote.entry,
            )
