"""``kb diff BASE [HEAD]``: what changed in the knowledge graph between two git revisions.

Both revisions are read from git (``git archive`` into a temporary folder, so the working
tree is never touched) and loaded with the ordinary loader; HEAD may also be the working
tree. The comparison is by meaning, not by text: entries (terms, senses, claims, sources)
added, removed or changed field by field; edges of the graph added or removed; findings of
``kb check`` that are new or fixed. Layout-only edits (``kb fmt``) therefore show nothing.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import subprocess
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import click

from kb.cli_support import knowledge_base_root, root_option
from kb.model import KIND_FOLDERS, KnowledgeBase, Ref, Undercut, Waiver

WORKING_TREE = "working tree"
MARKDOWN_MARKER = "<!-- kb-diff -->"  # lets a workflow find and update its earlier comment
ENTRY_KINDS = ("term", "sense", "claim", "source")
MARKDOWN_VALUE_LIMIT = 300


class RevisionError(Exception):
    """A revision or the repository cannot be read."""


class UnreadableRepository(RevisionError):
    """Not a git repository, or a revision holds what kb never reads (a link)."""


# -- reading a revision ------------------------------------------------------------------


def _git(root: Path, *args: str, binary: bool = False):
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=True)
    except FileNotFoundError:
        raise RevisionError("git is not installed") from None
    except subprocess.CalledProcessError as exc:
        raise RevisionError(
            exc.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed"
        ) from None
    return done.stdout if binary else done.stdout.decode("utf-8").strip()


def resolve(root: Path, revision: str) -> str:
    """The commit id of ``revision``; RevisionError when it names no commit, or when
    ``root`` is not inside a git repository."""
    try:
        _git(root, "rev-parse", "--show-toplevel")
    except RevisionError:
        raise UnreadableRepository(
            f"{root} is not inside a git repository: kb diff compares two git revisions of the "
            "knowledge base, so run it in a clone (or give the clone's folder with --root)"
        ) from None
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except RevisionError:
        raise RevisionError(
            f"'{revision}' is not a commit of this repository "
            "(try a branch such as main, a tag, or a commit id)"
        ) from None


def extract_revision(root: Path, commit: str, into: Path) -> Path:
    """Write the data folders of ``root`` as they are at ``commit`` under ``into``.

    Returns the knowledge-base root inside ``into``. A folder missing at that commit is
    created empty, so a revision before the first entry reads as an empty knowledge base.
    """
    top = Path(_git(root, "rev-parse", "--show-toplevel"))
    prefix = _git(root, "rev-parse", "--show-prefix")
    folders = [prefix + folder for folder in KIND_FOLDERS.values()]
    present = _git(top, "ls-tree", "--name-only", commit, "--", *folders).splitlines()
    if present:
        archive = _git(top, "archive", "--format=tar", commit, "--", *present, binary=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            _refuse_links(tar, commit, prefix)
            tar.extractall(into, filter="data")
    kb_root = into / prefix
    for folder in KIND_FOLDERS.values():
        (kb_root / folder).mkdir(parents=True, exist_ok=True)
    return kb_root


def _refuse_links(tar: tarfile.TarFile, commit: str, prefix: str) -> None:
    """RevisionError naming the first symbolic or hard link in ``tar``: entries are regular
    files, and kb never follows a link (it could point outside the repository)."""
    link = next((member for member in tar.getmembers() if member.issym() or member.islnk()), None)
    if link is not None:
        name = link.name[len(prefix) :] if link.name.startswith(prefix) else link.name
        raise UnreadableRepository(
            f"{name} is a symbolic link in commit {commit[:12]}; kb diff reads only regular "
            "files and never follows links: replace the link with the file itself and commit again"
        )


def load_revision(root: Path, revision: str | None, workdir: Path) -> KnowledgeBase:
    """The knowledge base at ``revision``, or in the working tree when it is None."""
    from kb.loader import load_kb

    if revision is None:
        return load_kb(root)
    return load_kb(extract_revision(root, resolve(root, revision), workdir))


# -- what an entry is, for comparison ------------------------------------------------------


def _plain(value):
    """A model value as JSON-ready data: references become their targets."""
    if isinstance(value, Ref):
        return value.target
    if isinstance(value, Waiver):
        return f"{value.rule}: {value.reason}"
    if isinstance(value, Undercut):
        return value.key
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def entry_fields(entry) -> dict:
    """The fields a contributor wrote, without positions (and without a term's senses,
    which are compared one by one)."""
    return {
        f.name: _plain(getattr(entry, f.name))
        for f in dataclasses.fields(entry)
        if "location" not in f.name and f.name not in ("senses", "term_id")
    }


def entries(base: KnowledgeBase) -> dict[tuple[str, str], dict]:
    """Every term, sense, claim and source as ``(kind, id) -> fields``."""
    table = {("term", t.id): entry_fields(t) for t in base.terms.values()}
    table.update({("sense", s.key): entry_fields(s) for s in base.senses()})
    table.update({("claim", c.id): entry_fields(c) for c in base.claims.values()})
    table.update({("source", s.id): entry_fields(s) for s in base.sources.values()})
    return table


def edges(base: KnowledgeBase) -> Counter:
    """``(from, to, type)`` of every edge; an undercut's type names the link it attacks,
    ``undercuts (b supports)``, one per link."""
    return Counter(
        (u, v, edge_type)
        for u, v, data in base.graph.edges(data=True)
        for edge_type in _edge_types(data)
    )


def _edge_types(data: dict) -> list[str]:
    if data["type"] != "undercuts":
        return [data["type"]]
    links = zip(data["premise"].split("|"), data["relation"].split("|"), strict=True)
    return [f"undercuts ({premise} {relation})" for premise, relation in links]


# Rules that describe where kb diff runs (are the archived texts here?), not either revision.
ENVIRONMENT_RULES = ("unverified-quote",)


def active_findings(base: KnowledgeBase) -> dict[tuple, object]:
    """Unwaived findings keyed by what they say, not where (an edit above moves lines)."""
    from kb.rules import run_rules

    return {
        (f.code, f.location.path, f.message): f
        for f in run_rules(base)
        if not f.waived_by and f.name not in ENVIRONMENT_RULES
    }


def same_texts(root: Path, *bases: KnowledgeBase) -> None:
    """Check every revision's quotes against the archived texts the working tree's
    ``[tool.kb] texts`` names: a revision extracted to a temporary folder has no
    pyproject.toml, and a relative folder would point elsewhere from there."""
    from kb.config import ConfigError, texts_folder

    try:
        folder = texts_folder(root)
    except ConfigError:
        return
    if folder is not None and folder.is_dir():
        for base in bases:
            base.texts = folder.resolve()


# -- the comparison ------------------------------------------------------------------------


@dataclass
class EntryChange:
    kind: str
    id: str
    change: str  # added | removed | changed
    label: str | None = None
    fields: list[tuple[str, object, object]] = field(default_factory=list)


@dataclass
class KbDiff:
    base: str
    head: str
    entries: list[EntryChange]
    edges_added: list[tuple[str, str, str]]
    edges_removed: list[tuple[str, str, str]]
    findings_new: list
    findings_fixed: list

    @property
    def empty(self) -> bool:
        return not (
            self.entries
            or self.edges_added
            or self.edges_removed
            or self.findings_new
            or self.findings_fixed
        )

    def count(self, kind: str, change: str) -> int:
        return sum(1 for e in self.entries if e.kind == kind and e.change == change)


def _label(fields: dict) -> str | None:
    return (
        fields.get("label")
        or fields.get("title")
        or fields.get("definition")
        or fields.get("claim")
    )


def _changed_fields(before: dict, after: dict) -> list[tuple[str, object, object]]:
    return [
        (name, before.get(name), after.get(name))
        for name in after
        if before.get(name) != after.get(name)
    ]


def compare(old: KnowledgeBase, new: KnowledgeBase, base_name: str, head_name: str) -> KbDiff:
    before, after = entries(old), entries(new)
    changes = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (ENTRY_KINDS.index(k[0]), k[1])):
        kind, entry_id = key
        if key not in before:
            changes.append(EntryChange(kind, entry_id, "added", _label(after[key])))
        elif key not in after:
            changes.append(EntryChange(kind, entry_id, "removed", _label(before[key])))
        elif before[key] != after[key]:
            changes.append(
                EntryChange(
                    kind,
                    entry_id,
                    "changed",
                    _label(after[key]),
                    _changed_fields(before[key], after[key]),
                )
            )
    old_edges, new_edges = edges(old), edges(new)
    old_findings, new_findings = active_findings(old), active_findings(new)
    return KbDiff(
        base_name,
        head_name,
        changes,
        sorted((new_edges - old_edges).elements()),
        sorted((old_edges - new_edges).elements()),
        [f for key, f in sorted(new_findings.items()) if key not in old_findings],
        [f for key, f in sorted(old_findings.items()) if key not in new_findings],
    )


def diff_revisions(root: Path, base: str, head: str | None) -> KbDiff:
    """Compare the knowledge base at ``base`` with ``head`` (None: the working tree)."""
    with tempfile.TemporaryDirectory(prefix="kb-diff-") as tmp:
        old = load_revision(root, base, Path(tmp) / "base")
        new = load_revision(root, head, Path(tmp) / "head")
        same_texts(root, old, new)
        return compare(old, new, base, head or WORKING_TREE)


# -- reports ---------------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(diff: KbDiff) -> str:
    if diff.empty:
        return "No change to the knowledge graph."
    parts = [
        f"{_plural(diff.count(kind, change), kind)} {change}"
        for kind in ENTRY_KINDS
        for change in ("added", "removed", "changed")
        if diff.count(kind, change)
    ]
    parts += [
        f"{_plural(len(items), 'edge')} {what}"
        for items, what in ((diff.edges_added, "added"), (diff.edges_removed, "removed"))
        if items
    ]
    parts += [
        f"{_plural(len(items), 'finding')} {what}"
        for items, what in ((diff.findings_new, "new"), (diff.findings_fixed, "fixed"))
        if items
    ]
    return ", ".join(parts) + "."


def _printable(text: str) -> str:
    """``text`` on one line, control characters written out (``\\n``, ``\\x1b``): a value
    must not forge report lines or send commands to the terminal."""
    return _CONTROL.sub(lambda m: _ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _short(value) -> str:
    if value is None or value == []:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(_printable(str(item)) for item in value) + "]"
    return _printable(str(value))


def _finding_line(f) -> str:
    return f"{f.location}: {f.code} {f.name} [{f.severity}] {_printable(f.message)}"


def format_text(diff: KbDiff) -> str:
    lines = [f"kb diff {diff.base} → {diff.head}: {summary(diff)}"]
    sign = {"added": "+", "removed": "-", "changed": "~"}
    for kind in ENTRY_KINDS:
        rows = [e for e in diff.entries if e.kind == kind]
        if rows:
            lines.append(f"\n{kind.capitalize()}s")
        for e in rows:
            lines.append(
                f"  {sign[e.change]} {_printable(e.id)}"
                + (f"  ({_printable(_one_line(e.label, 70))})" if e.label else "")
            )
            lines += [f"      {name}: {_short(old)} → {_short(new)}" for name, old, new in e.fields]
    if diff.edges_added or diff.edges_removed:
        lines.append("\nEdges")
        lines += [f"  + {u} --{t}--> {v}" for u, v, t in diff.edges_added]
        lines += [f"  - {u} --{t}--> {v}" for u, v, t in diff.edges_removed]
    if diff.findings_new or diff.findings_fixed:
        lines.append("\nFindings")
        lines += [f"  new   {_finding_line(f)}" for f in diff.findings_new]
        lines += [f"  fixed {_finding_line(f)}" for f in diff.findings_fixed]
    return "\n".join(lines)


def _one_line(text, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Never at the start of a line, contributor text only needs inline markup, tables, mentions
# (@user) and issue links (#12) neutralised.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~#@])")


def md(value, limit: int = MARKDOWN_VALUE_LIMIT) -> str:
    """Contributor text made inert in a GitHub comment: HTML escaped, Markdown escaped,
    on one line, shortened."""
    text = _one_line(_short(value), limit)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def format_markdown(diff: KbDiff) -> str:
    out = [
        MARKDOWN_MARKER,
        f"### Knowledge-graph changes: {md(diff.base)} → {md(diff.head)}",
        "",
        f"**{md(summary(diff))}**",
    ]
    for kind in ENTRY_KINDS:
        rows = [e for e in diff.entries if e.kind == kind]
        if rows:
            out += ["", f"#### {kind.capitalize()}s", ""]
        for e in rows:
            label = f" — {md(e.label, 120)}" if e.label else ""
            out.append(f"- **{e.change}** {md(e.id)}{label}")
            out += [f"  - {md(name)}: {md(old)} → {md(new)}" for name, old, new in e.fields]
    if diff.edges_added or diff.edges_removed:
        out += ["", "#### Edges", "", "| | from | edge | to |", "|---|---|---|---|"]
        out += [f"| added | {md(u)} | {md(t)} | {md(v)} |" for u, v, t in diff.edges_added]
        out += [f"| removed | {md(u)} | {md(t)} | {md(v)} |" for u, v, t in diff.edges_removed]
    if diff.findings_new or diff.findings_fixed:
        out += ["", "#### Findings of `kb check`", ""]
        out += [f"- :x: new: {md(_finding_line(f))}" for f in diff.findings_new]
        out += [f"- :white_check_mark: fixed: {md(_finding_line(f))}" for f in diff.findings_fixed]
    return "\n".join(out) + "\n"


def as_json(diff: KbDiff) -> dict:
    return {
        "base": diff.base,
        "head": diff.head,
        "summary": summary(diff),
        "entries": [
            {
                "kind": e.kind,
                "id": e.id,
                "change": e.change,
                "label": e.label,
                "fields": [{"field": n, "before": old, "after": new} for n, old, new in e.fields],
            }
            for e in diff.entries
        ],
        "edges": {
            "added": [{"from": u, "to": v, "type": t} for u, v, t in diff.edges_added],
            "removed": [{"from": u, "to": v, "type": t} for u, v, t in diff.edges_removed],
        },
        "findings": {
            "new": [f.as_dict() for f in diff.findings_new],
            "fixed": [f.as_dict() for f in diff.findings_fixed],
        },
    }


# -- the command -------------------------------------------------------------------------

EPILOG = """\b
Examples:
  kb diff main                       main against your working tree (uncommitted edits included)
  kb diff main HEAD                  main against your last commit
  kb diff origin/main HEAD --format markdown > comment.md
  kb diff v1.0 v1.1 --format json
"""


@click.command(
    "diff", epilog=EPILOG, short_help="What changed in the graph between two git revisions."
)
@click.argument("base")
@click.argument("head", required=False)
@root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for people, markdown for a pull-request comment, json for machines.",
)
def diff_command(base, head, root, fmt):
    """Summarise what changed in the knowledge graph between two git revisions.

    Terms, senses, claims and sources added, removed or changed (field by field), edges
    of the graph added or removed, and kb check findings that are new or fixed. HEAD
    defaults to the working tree. Changes of layout only (kb fmt) show nothing.
    """
    import json

    from kb.loader import NotAKnowledgeBase

    try:
        result = diff_revisions(knowledge_base_root(None, root), base, head)
    except UnreadableRepository as exc:
        raise click.UsageError(str(exc)) from None
    except RevisionError as exc:
        raise click.BadParameter(str(exc), param_hint="BASE/HEAD") from None
    except NotAKnowledgeBase as exc:
        raise click.UsageError(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps(as_json(result), indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(format_markdown(result), nl=False)
    else:
        click.echo(format_text(result))
