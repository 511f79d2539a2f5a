"""``kb fmt``: rewrite entry files in one canonical layout, keeping every value and comment.

The canonical layout, so that a diff shows content and never layout:

* keys in the order of docs/data-model.md (the order of the properties in the JSON Schemas);
  a key the schema does not know (a typo) keeps its place after the known ones;
* lists of ids and names in flow style (``uses: [a, b]``), lists of senses and waivers as
  block lists indented under their key (``  - id: rlo``);
* definitions, claims, notes and descriptions, and any other text too long for its line, as
  folded blocks (``>-``) wrapped at :data:`WIDTH` columns; other text on the key's line,
  quoted only where YAML needs it (so that ``kb check`` reads the same value back);
* no blank lines.

How comments survive: each comment is anchored to a key (or to an item of a block list of
ids): a comment on its own line to the key that follows it, an end-of-line comment to the
key its line belongs to, comments above the first key to the top of the file and those
below the last to the end. The data, read with the loader ``kb check`` uses, is emitted by
ruamel.yaml in canonical order and style, and the comments are put back at their anchors,
so a comment moves with its key. (ruamel's own round trip loses or misplaces comments when
keys are reordered.) Every result is checked before it is written: read back, it must hold
the same data and the same comments, or the file is left untouched and reported.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from io import StringIO
from pathlib import Path

import click
import yaml

from kb import progress
from kb.atomic import write_atomic
from kb.loader import LOADER_RULES, schema
from kb.model import KIND_FOLDERS
from kb.yamlread import YAML_LOADER, Mark, PosDict, PosList, parse_yaml

WIDTH = 100
PROSE_FIELDS = frozenset({"definition", "claim", "note", "description"})
SEQUENCE_INDENT = 4  # how far the keys of a list item sit right of their list's key
FOLDER_KINDS = {folder: kind for kind, folder in KIND_FOLDERS.items()}
HEADER, END = ("<header>",), ("<end>",)
START = Mark(
    1, 1
)  # where a problem without a better position is reported  # anchors of comments above the first / below the last key


class FormatError(Exception):
    """The file cannot be formatted safely; ``mark`` points at the cause.

    ``rule`` is the ``(code, name)`` of the ``kb check`` rule reporting the same problem,
    when there is one (a YAML error); None when kb fmt itself could not keep the content.
    """

    def __init__(
        self,
        message: str,
        mark: Mark = START,
        hint: str | None = None,
        rule: tuple[str, str] | None = None,
    ):
        super().__init__(message)
        self.message, self.mark, self.hint, self.rule = message, mark, hint, rule


@dataclass(frozen=True)
class FileResult:
    """What ``kb fmt`` found for one file: the new text, or an ``error``."""

    path: Path
    original: str
    formatted: str | None
    error: FormatError | None = None

    @property
    def changed(self) -> bool:
        return self.formatted is not None and self.formatted != self.original


# -- which kind of entry, which key order -------------------------------------------------


@cache
def key_orders(kind: str) -> dict[str | None, tuple[str, ...]]:
    """Canonical key order of an entry (under None) and of the items of its lists of
    mappings (under the list's key), from the JSON Schema."""
    properties = schema(kind)["properties"]
    orders: dict[str | None, tuple[str, ...]] = {None: tuple(properties)}
    for name in ("senses", "waivers", "undercuts"):
        if name in properties:
            orders[name] = tuple(properties[name]["items"]["properties"])
    return orders


def kind_of_path(path: Path) -> str | None:
    """The entry kind from the data folder (terms/, arguments/, sources/) holding ``path``."""
    return next(
        (FOLDER_KINDS[part] for part in reversed(path.parts[:-1]) if part in FOLDER_KINDS), None
    )


def kind_of_data(data: dict) -> str | None:
    """The entry kind from a key only that kind has, for files outside the data folders."""
    return next(
        (
            kind
            for key, kind in (("senses", "term"), ("claim", "claim"), ("kind", "source"))
            if key in data
        ),
        None,
    )


def ordered_keys(mapping: dict, order: tuple[str, ...]) -> list:
    """Known keys in ``order``, then unknown keys in their written order."""
    rank = {key: i for i, key in enumerate(order)}
    return sorted(mapping, key=lambda k: rank.get(k, len(order)))


# -- comments and their anchors -----------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    line: int  # 1-based
    column: int  # 1-based
    text: str  # from the '#', trailing spaces removed
    own_line: bool


def find_comments(text: str) -> list[Comment]:
    """Every comment in ``text``: a ``#`` outside any token, found with the scanner of the
    loader ``kb check`` uses (libyaml's and PyYAML's differ, e.g. on a tab after a colon)."""
    found, position = [], 0
    for token in yaml.scan(text, Loader=YAML_LOADER):
        found += _comments_between(text, position, token.start_mark.index)
        position = max(position, token.end_mark.index)
        if isinstance(token, yaml.ScalarToken) and token.style in (">", "|"):
            found += _block_header_comment(text, token.start_mark.index)
    return found + _comments_between(text, position, len(text))


def _block_header_comment(text: str, start: int) -> list[Comment]:
    """The comment after a block scalar's ``>-`` or ``|`` (the scanner keeps it in the token)."""
    header_end = text.find("\n", start)
    at = text.find(" #", start, len(text) if header_end < 0 else header_end)
    return (
        _comments_between(text, at, header_end if header_end >= 0 else len(text)) if at >= 0 else []
    )


def _comments_between(text: str, start: int, end: int) -> list[Comment]:
    found, index = [], start
    while (index := text.find("#", index, end)) >= 0:
        line_start = text.rfind("\n", 0, index) + 1
        line_end = text.find("\n", index)
        line_end = len(text) if line_end < 0 else line_end
        found.append(
            Comment(
                text.count("\n", 0, index) + 1,
                index - line_start + 1,
                text[index:line_end].rstrip(),
                not text[line_start:index].strip(),
            )
        )
        index = line_end
    return found


def comments(text: str) -> list[str]:
    """The text of every comment in ``text``, in order."""
    return [c.text for c in find_comments(text)]


def anchors(data, text: str, path: tuple = ()) -> list[tuple[tuple, Mark]]:
    """``(path, position)`` of every key, and of every item of a block list of scalars."""
    found = []
    if isinstance(data, PosDict):
        for key, value in data.items():
            found.append(((*path, key), data.key_marks[key]))
            found += anchors(value, text, (*path, key))
    elif isinstance(data, PosList):
        flow = _char_at(text, data.mark) == "["
        for i, (item, mark) in enumerate(zip(data, data.item_marks, strict=True)):
            if isinstance(item, (PosDict, PosList)):
                found += anchors(item, text, (*path, i))
            elif not flow:
                found.append(((*path, i), mark))
    return found


def _char_at(text: str, mark: Mark) -> str:
    line = text.split("\n")[mark.line - 1]
    return line[mark.column - 1 : mark.column]


@dataclass
class CommentPlan:
    """Where each comment goes: above its anchor, at the end of its anchor's line, or at
    the top or bottom of the file."""

    above: dict = field(default_factory=lambda: defaultdict(list))
    after: dict = field(default_factory=dict)

    @property
    def anchored_items(self) -> set:
        """Paths of the lists whose items carry comments (they stay block lists)."""
        return {path[:-1] for path in (*self.above, *self.after) if isinstance(path[-1], int)}


def plan_comments(text: str, data) -> CommentPlan:
    plan = CommentPlan()
    places = sorted(anchors(data, text), key=lambda a: (a[1].line, a[1].column))
    for comment in find_comments(text):
        at = (comment.line, comment.column)
        if comment.own_line:
            following = next((path for path, m in places if (m.line, m.column) > at), END)
            first = places[0][1] if places else None
            plan.above[HEADER if first and at < (first.line, first.column) else following].append(
                comment
            )
            continue
        anchor = next((path for path, m in reversed(places) if (m.line, m.column) <= at), HEADER)
        if anchor in plan.after or anchor == HEADER:
            plan.above[anchor].append(comment)  # a line holds one comment: the others go above
        else:
            plan.after[anchor] = comment
    return plan


def place_comments(formatted: str, plan: CommentPlan) -> str:
    """Put the planned comments into ``formatted`` (which has none) at their anchors."""
    data, _ = parse_yaml(formatted.encode("utf-8"))
    by_line = defaultdict(list)
    for path, mark in anchors(data, formatted):
        by_line[mark.line].append(path)
    out = [_indented(c, c.column - 1) for c in plan.above.get(HEADER, [])]
    for number, line in enumerate(formatted.splitlines(), 1):
        indent = len(line) - len(line.lstrip(" "))
        for path in by_line.get(number, ()):
            out += [_indented(c, indent) for c in plan.above.get(path, [])]
        tail = [plan.after[p] for p in by_line.get(number, ()) if p in plan.after]
        out.append(_with_end_comment(line, tail[0]) if tail else line)
    out += [_indented(c, c.column - 1) for c in plan.above.get(END, [])]
    return "\n".join(out) + "\n"


def _indented(comment: Comment, indent: int) -> str:
    return " " * indent + comment.text


def _with_end_comment(line: str, comment: Comment) -> str:
    """``line`` and the comment, at its old column when that still fits."""
    return line + " " * max(2, comment.column - 1 - len(line)) + comment.text


# -- values in canonical style ------------------------------------------------------------

_PYYAML_RESOLVER = yaml.resolver.Resolver()
_PYYAML_ANALYZER = yaml.emitter.Emitter(StringIO(), allow_unicode=True)


def plain_is_safe(text: str, in_flow_list: bool) -> bool:
    """True when ``text`` may stay unquoted: PyYAML (the loader ``kb check`` uses) reads it
    back, unquoted, as this very string. PyYAML is the judge, not ruamel, which is laxer
    about plain text in flow lists (``[a, 0?&]``)."""
    analysis = _PYYAML_ANALYZER.analyze_scalar(text)
    allowed = analysis.allow_flow_plain if in_flow_list else analysis.allow_block_plain
    return (
        allowed
        and not analysis.multiline
        and _PYYAML_RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
        == "tag:yaml.org,2002:str"
    )


def _foldable(text: str) -> bool:
    """Whether a folded block scalar reproduces ``text`` exactly."""
    return bool(text) and text == text.strip() and "\n" not in text and text.isprintable()


def _literal_safe(text: str) -> bool:
    """Whether a literal block (``|``) reproduces multi-line ``text`` exactly."""
    lines = text.rstrip("\n").split("\n")
    return (
        text[:1] not in (" ", "\n")
        and all(line == line.rstrip() for line in lines)
        and all(line.isprintable() for line in lines)
    )


def fold_positions(text: str, width: int) -> list[int]:
    """Indexes of the spaces where ``text`` breaks to fill lines of at most ``width``.

    Only single spaces between words are break points (as in a folded YAML block); a word
    longer than ``width`` stands alone on its line.
    """
    breaks, line_start, last = [], 0, None
    candidates = [
        i
        for i, ch in enumerate(text)
        if ch == " " and 0 < i < len(text) - 1 and text[i - 1] != " " and text[i + 1] != " "
    ]
    for i in [*candidates, len(text)]:
        if i - line_start > width and last is not None:
            breaks.append(last)
            line_start = last + 1
        last = i
    return breaks


def one_line(text: str, in_flow_list: bool) -> str:
    """``text`` as written on one line: plain when that is safe, else single-quoted."""
    return text if plain_is_safe(text, in_flow_list) else "'" + text.replace("'", "''") + "'"


def fits_as_flow_list(items: list, key, indent: int) -> bool:
    """Whether ``key: [a, b]`` holding these scalars fits in :data:`WIDTH` columns."""
    written = ", ".join(
        one_line(item, True) if isinstance(item, str) else str(item) for item in items
    )
    return indent + len(f"{key}: [{written}]") <= WIDTH


def styled_text(text: str, key, indent: int, in_flow_list: bool = False):
    """``text`` as a folded block, a literal block, a quoted or a plain scalar."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        LiteralScalarString,
        SingleQuotedScalarString,
    )

    too_long = indent + len(f"{key}: ") + len(one_line(text, in_flow_list)) > WIDTH
    if _foldable(text) and not in_flow_list and (key in PROSE_FIELDS or too_long):
        folded = FoldedScalarString(text)
        folded.fold_pos = fold_positions(text, WIDTH - indent - 2)
        return folded
    if "\n" in text and _literal_safe(text) and not in_flow_list:
        return LiteralScalarString(text)
    if plain_is_safe(text, in_flow_list):
        return text
    if text.isprintable():
        return SingleQuotedScalarString(text)
    return DoubleQuotedScalarString(text)


def canonical(
    node, path: tuple, indent: int, orders: dict, block_lists: set, in_flow_list: bool = False
):
    """ruamel objects for ``node`` (as read by the loader) in canonical order and style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    key = next((step for step in reversed(path) if isinstance(step, str)), None)
    if isinstance(node, dict):
        mapping = CommentedMap()
        for k in ordered_keys(node, orders.get(key if path else None, ())):
            mapping[k] = canonical(node[k], (*path, k), indent, orders, block_lists)
        return mapping
    if isinstance(node, list):
        block = (
            path in block_lists
            or any(isinstance(item, (dict, list)) for item in node)
            or not fits_as_flow_list(node, key, indent)
        )
        out = CommentedSeq(
            canonical(item, (*path, i), indent + SEQUENCE_INDENT, orders, block_lists, not block)
            for i, item in enumerate(node)
        )
        if block:
            out.fa.set_block_style()
        else:
            out.fa.set_flow_style()
        return out
    if not isinstance(node, str):
        return node
    # ``claim`` is prose at the top of a claim, but an id inside an item of ``undercuts``
    return styled_text(node, None if path[:1] == ("undercuts",) else key, indent, in_flow_list)


# -- the formatter ------------------------------------------------------------------------


def plain_data(node):
    """Positions stripped: PosDict/PosList to dict/list, recursively."""
    if isinstance(node, dict):
        return {key: plain_data(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain_data(item) for item in node]
    return node


def _read(raw: bytes):
    """Data as ``kb check`` reads it; raises FormatError for a file it cannot read."""
    data, problems = parse_yaml(raw)
    if problems:
        first = problems[0]
        raise FormatError(first.message, first.mark, first.hint, LOADER_RULES[first.kind])
    return data


def _emit(data) -> str:
    from ruamel.yaml import YAML

    emitter = YAML(typ="rt")
    emitter.width = 10**6  # wrapping is decided by fold_positions alone
    emitter.indent(mapping=2, sequence=SEQUENCE_INDENT, offset=2)
    out = StringIO()
    emitter.dump(data, out)
    return out.getvalue()


def _verify(original: str, formatted: str, before) -> None:
    try:
        after = _read(formatted.encode("utf-8"))
    except FormatError as exc:
        raise FormatError(
            f"kb fmt produced unreadable YAML ({exc.message}); the file was left as it is",
            hint="please report this file to the kb maintainers",
        ) from None
    if plain_data(after) != plain_data(before):
        raise FormatError(
            "kb fmt could not keep every value exactly; the file was left as it is",
            hint="please report this file to the kb maintainers",
        )
    if Counter(comments(formatted)) != Counter(comments(original)):
        raise FormatError(
            "kb fmt could not keep every comment; the file was left as it is",
            hint="please report this file to the kb maintainers",
        )


def format_text(text: str, kind: str | None = None) -> str:
    """The canonical form of one entry file's text; raises :class:`FormatError`.

    ``kind`` (term, claim or source) chooses the key order; None guesses it from the keys.
    Line ends are written ``\\n`` whatever the file had (``\\r\\n`` or a lone ``\\r``).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    before = _read(text.encode("utf-8"))
    if not isinstance(before, PosDict):
        raise FormatError(
            "the file does not hold an entry (a mapping of fields)",
            getattr(before, "mark", Mark(1, 1)),
            "start from `kb new term|claim|source ID`",
            LOADER_RULES["schema"],
        )
    kind = kind or kind_of_data(before)
    plan = plan_comments(text, before)
    data = canonical(before, (), 0, key_orders(kind) if kind else {}, plan.anchored_items)
    formatted = place_comments(_emit(data), plan)
    _verify(text, formatted, before)
    return formatted


def format_file(path: Path) -> FileResult:
    """Format one file in memory (nothing is written)."""
    if path.is_symlink() or not path.is_file():
        what = (
            "a symbolic link"
            if path.is_symlink()
            else "a folder that cannot be read"
            if path.is_dir()
            else "not a regular file"
        )
        return FileResult(
            path,
            "",
            None,
            FormatError(
                f"{path} is {what}; kb fmt never follows links or reads special files",
                hint="replace it with the entry file itself, or delete it",
                rule=LOADER_RULES["stray-file"],
            ),
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return FileResult(
            path,
            "",
            None,
            FormatError(f"the file could not be read: {exc.strerror}", rule=LOADER_RULES["syntax"]),
        )
    try:
        _read(raw)  # a bad encoding is reported here, with its position
        original = raw.decode("utf-8-sig")
        return FileResult(path, original, format_text(original, kind_of_path(path)))
    except FormatError as exc:
        return FileResult(path, raw.decode("utf-8", "replace"), None, exc)
    except Exception as exc:  # a bug of kb fmt on one file must not stop the others
        return FileResult(
            path,
            raw.decode("utf-8", "replace"),
            None,
            FormatError(
                f"kb fmt failed on this file ({type(exc).__name__}: {exc}); it was left as it is",
                hint="please report this file to the kb maintainers",
            ),
        )


def _data_folders(folder: Path) -> list[Path]:
    """A knowledge-base root stands for its data folders; any other folder for itself."""
    inside = [folder / name for name in KIND_FOLDERS.values() if (folder / name).is_dir()]
    return inside or [folder]


def _yaml_under(folder: Path):
    """YAML files under ``folder``, links included (so that they are reported, never
    followed), and folders that cannot be read (so that they are reported too); hidden
    folders and node_modules are not entered."""
    unreadable: list[OSError] = []
    for here, folders, files in os.walk(folder, onerror=unreadable.append):
        yield from (Path(error.filename) for error in unreadable if error.filename)
        unreadable.clear()
        place = Path(here)
        links = [name for name in folders if (place / name).is_symlink()]
        folders[:] = [
            name
            for name in folders
            if name not in links and not name.startswith(".") and name != "node_modules"
        ]
        yield from (place / name for name in links)
        for name in files:
            if not name.startswith(".") and Path(name).suffix in (".yaml", ".yml"):
                yield place / name
    yield from (Path(error.filename) for error in unreadable if error.filename)


def entry_files(paths: list[Path]) -> list[Path]:
    """The YAML files named, and those under the folders named, sorted, once each.

    A folder holding terms/, arguments/ or sources/ (the knowledge-base root, e.g. ``.``)
    means those data folders only; hidden folders and node_modules are never entered.
    """
    found = set()
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            for folder in _data_folders(path):
                found.update(_yaml_under(folder))
        else:
            found.add(path)
    return sorted(found)


def write_result(result: FileResult) -> FileResult:
    """Write a formatted file atomically (the old text stays whole if anything fails); the
    result, with an error when the file could not be written."""
    try:
        write_atomic(result.path, result.formatted or "")
    except OSError as exc:
        return FileResult(
            result.path,
            result.original,
            None,
            FormatError(
                f"the file could not be written: {exc.strerror or exc}; it was left as it is",
                hint="check that you may write to the file and its folder",
            ),
        )
    return result


def unified_diff(result: FileResult, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            result.original.splitlines(True),
            (result.formatted or "").splitlines(True),
            f"{name} (as written)",
            f"{name} (kb fmt)",
        )
    )


# -- the command -------------------------------------------------------------------------

EPILOG = """\b
Examples:
  kb fmt                                  format every entry under terms/ arguments/ sources/
  kb fmt terms/mesa-optimizer.yaml        format one file
  kb fmt --check                          change nothing; exit 1 if a file would change
  kb fmt --check --diff                   also show what would change
"""


def default_paths() -> list[Path]:
    """The data folders of the knowledge base in the current folder."""
    found = [Path(folder) for folder in KIND_FOLDERS.values() if Path(folder).is_dir()]
    if not found:
        raise click.UsageError(
            "no PATHS given and no terms/, arguments/ or sources/ folder here: "
            "run kb fmt in the knowledge base, or name the files to format"
        )
    return found


def describe_error(result: FileResult) -> str:
    """``path:line:column: CODE name message`` and the hint, like ``kb check`` prints them."""
    error = result.error
    assert error is not None, "only results with an error are described"
    rule = f"{error.rule[0]} {error.rule[1]} " if error.rule else ""
    text = f"{result.path}:{error.mark.line}:{error.mark.column}: {rule}{error.message} (not formatted)"
    return text + (f"\n    hint: {error.hint}" if error.hint else "")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(results: list[FileResult], check: bool) -> str:
    changed = sum(r.changed for r in results)
    failed = sum(r.error is not None for r in results)
    same = len(results) - changed - failed
    verb = "would be reformatted" if check else "reformatted"
    parts = [f"{_plural(changed, 'file')} {verb}", f"{same} already formatted"]
    if failed:
        parts.append(
            f"{failed} could not be formatted (fix the problem shown, then run kb fmt again)"
        )
    return ", ".join(parts) + "."


@click.command(
    "fmt", epilog=EPILOG, short_help="Rewrite entries in the canonical layout, keeping comments."
)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; list the files that would change and exit 1 if any.",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Write nothing; print what would change as a unified diff.",
)
def fmt_command(paths, check, show_diff):
    """Rewrite entry files in the canonical layout, keeping every value and comment.

    Keys follow the order of docs/data-model.md; lists of ids are written [a, b];
    definitions, claims and long text are folded blocks wrapped at 100 columns. A file with
    a YAML error is never touched: its error is printed with file:line:column. Exit 1 when
    a file would change (--check, --diff) or could not be formatted.
    """
    files = entry_files(list(paths) or default_paths())
    with progress.task("formatting entries", len(files)) as step:
        results = [step(format_file(path)) for path in files]
    dry_run = check or show_diff
    for result in results:
        if result.error:
            click.echo(describe_error(result), err=True)
        elif result.changed and show_diff:
            click.echo(unified_diff(result, str(result.path)), nl=False)
        elif result.changed and check:
            click.echo(f"would reformat {result.path}")
        elif result.changed:
            written = write_result(result)
            if written.error:
                click.echo(describe_error(written), err=True)
            else:
                click.echo(f"reformatted {result.path}")
            results[results.index(result)] = written
    click.echo(summary(results, dry_run), err=True)
    if any(r.error for r in results) or (dry_run and any(r.changed for r in results)):
        sys.exit(1)
