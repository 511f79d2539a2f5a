"""Safe YAML reading that keeps the position of every key and value and refuses duplicates.

PyYAML's safe loaders silently keep the last of two equal keys; ours records a problem for
each repeated key instead (keeping the first value), and it records where every mapping key,
mapping value and sequence item starts, so later stages can point at ``file:line:column``.
The C parser is used when PyYAML was built with libyaml.

Reading is most of a first ``kb check``. A plain document (mappings with distinct text keys,
lists and untagged scalars: nearly every entry) is built straight from the parser's events
(:func:`_read_plain`); any other goes through PyYAML's nodes, built by :class:`_Builder`
where they are plain and by PyYAML's constructors where not, and gets the same values,
positions and problems (``tests/test_yaml_fast_path.py`` compares all three ways).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

try:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader  # type: ignore[misc,assignment]

#: The loader class every reader of entries uses (libyaml's when available), so that
#: kb check and kb fmt never disagree on what a file says.
YAML_LOADER = _BaseLoader


@dataclass(frozen=True)
class Mark:
    """A 1-based position."""

    line: int
    column: int


_MARKS: dict[tuple[int, int], Mark] = {}
"""One shared :class:`Mark` per position of the first lines and columns: building a frozen
dataclass costs more than looking it up, and a file has a mark per key, value and item."""


def _mark(node_mark) -> Mark:
    where = (node_mark.line, node_mark.column)
    mark = _MARKS.get(where)
    if mark is None:
        mark = Mark(where[0] + 1, where[1] + 1)
        if where[0] < 1000 and where[1] < 200:
            _MARKS[where] = mark
    return mark


class PosDict(dict):
    """A mapping that remembers where it, each key and each value start."""

    mark: Mark
    key_marks: dict
    value_marks: dict


class PosList(list):
    """A sequence that remembers where it and each item start."""

    mark: Mark
    item_marks: list


@dataclass(frozen=True)
class YamlProblem:
    """A problem met while reading: ``kind`` is ``syntax``, ``duplicate-key`` or ``encoding``."""

    kind: str
    mark: Mark
    message: str
    hint: str | None = None


class _PositionLoader(_BaseLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self.problems: list[YamlProblem] = []

    def construct_object(self, node, deep=False):
        # An alias makes PyYAML hand back an object it already built: refusing aliases keeps
        # entries plain trees (no shared or recursive structures, no alias "bombs").
        if node in self.constructed_objects or node in self.recursive_objects:
            self.problems.append(
                YamlProblem(
                    "syntax",
                    _mark(node.start_mark),
                    "YAML anchors and aliases (&name / *name) are not supported",
                    "write the value out in full where it is needed",
                )
            )
            return None
        explicit = _explicit_tag(self, node)
        if explicit:
            self.problems.append(
                YamlProblem(
                    "syntax",
                    _mark(node.start_mark),
                    f"the YAML tag '{explicit}' is not allowed: entries hold only plain text, "
                    "lists and mappings",
                    f"remove '{explicit}' and write the value plainly (quote it to keep it as text)",
                )
            )
            return None
        return super().construct_object(node, deep=deep)


_PLAIN_TAGS = {
    yaml.MappingNode: "tag:yaml.org,2002:map",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
}


def _explicit_tag(loader, node) -> str | None:
    """The tag written on ``node`` (``!!int``, ``!!omap``, ``!custom``) when it differs from
    the one YAML would give the node untagged; None for an untagged node (or ``!!str``).

    Tags change what a value is (``!!bool maybe``, ``!!seq {a: b}``) and PyYAML's own
    constructors fail on many of them, so every such tag is a finding at its position.
    """
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:str":
            return None
        plain = not node.style  # None (PyYAML) or "" (libyaml) for a plain scalar
        expected = loader.resolve(yaml.ScalarNode, node.value, (plain, not plain))
    else:
        expected = _PLAIN_TAGS.get(type(node))
    if node.tag == expected:
        return None
    return node.tag.replace("tag:yaml.org,2002:", "!!")


def _new_map(node) -> PosDict:
    data = PosDict()
    data.mark = _mark(node.start_mark)
    data.key_marks = {}
    data.value_marks = {}
    return data


def _fill_map(loader: _PositionLoader, node, data: PosDict, build) -> None:
    """Put the keys and values of mapping ``node`` into ``data``; ``build`` makes each child."""
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            loader.problems.append(
                YamlProblem(
                    "syntax",
                    _mark(key_node.start_mark),
                    "YAML merge keys (<<) are not supported",
                    "write the fields out in full in this mapping",
                )
            )
            continue
        key = build(key_node)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            loader.problems.append(
                YamlProblem(
                    "syntax",
                    _mark(key_node.start_mark),
                    "a mapping key must be a plain word, not a list or mapping",
                    "write keys as `name: value`",
                )
            )
            continue
        if key in data:
            first = data.key_marks[key]
            loader.problems.append(
                YamlProblem(
                    "duplicate-key",
                    _mark(key_node.start_mark),
                    f"duplicate key '{key}' (first given at line {first.line}, column {first.column}); "
                    "YAML would silently keep only the last value",
                    f"remove one of the two '{key}' keys, or merge their values",
                )
            )
            continue
        data[key] = build(value_node)
        data.key_marks[key] = _mark(key_node.start_mark)
        data.value_marks[key] = _mark(value_node.start_mark)


def _new_seq(node) -> PosList:
    data = PosList()
    data.mark = _mark(node.start_mark)
    data.item_marks = []
    return data


def _fill_seq(node, data: PosList, build) -> None:
    for child in node.value:
        data.append(build(child))
        data.item_marks.append(_mark(child.start_mark))


def _construct_map(loader: _PositionLoader, node):
    data = _new_map(node)
    yield data
    _fill_map(loader, node, data, lambda child: loader.construct_object(child, deep=True))


def _construct_seq(loader: _PositionLoader, node):
    data = _new_seq(node)
    yield data
    _fill_seq(node, data, lambda child: loader.construct_object(child, deep=True))


_STR_TAG = "tag:yaml.org,2002:str"
MAX_DEPTH = 100
"""Levels of lists and mappings an entry may nest (entries need about five)."""


def _build_document(loader: _PositionLoader, node):
    """The document's data: what ``loader.construct_document(node)`` gives, with the same
    problems, at about half the cost (reading is most of ``kb check``).

    Text, and mappings and lists without a tag, which make up nearly every entry, are built
    here directly; any other node, and any node met a second time (an alias), goes through
    the loader's constructors and checks above. Built nodes are recorded where the loader
    looks for them, so an alias to one is reported as the loader reports it. Nesting deeper
    than :data:`MAX_DEPTH` is refused as too deep (RecursionError), as the constructors'
    deeper recursion refuses it.
    """
    try:
        return _Builder(loader).build(node)
    finally:  # as construct_document does: the loader keeps no node or value alive
        loader.constructed_objects = {}
        loader.recursive_objects = {}


class _Builder:
    """The state of one :func:`_build_document` (a class, not a closure calling itself, so
    that no reference cycle keeps a document's nodes alive until the next garbage collection)."""

    def __init__(self, loader: _PositionLoader):
        self.loader = loader
        self.constructed = loader.constructed_objects
        self.depth = 0

    def build(self, node):
        loader, constructed = self.loader, self.constructed
        if node in constructed or node in loader.recursive_objects:
            return loader.construct_object(node, deep=True)
        kind, tag = type(node), node.tag
        if kind is yaml.ScalarNode and tag == _STR_TAG:
            constructed[node] = node.value
            return node.value
        if kind not in _PLAIN_TAGS or tag != _PLAIN_TAGS[kind]:
            return loader.construct_object(node, deep=True)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RecursionError(f"more than {MAX_DEPTH} levels of lists and mappings")
        data: PosDict | PosList
        if kind is yaml.MappingNode:
            data = constructed[node] = _new_map(node)
            _fill_map(loader, node, data, self.build)
        else:
            data = constructed[node] = _new_seq(node)
            _fill_seq(node, data, self.build)
        self.depth -= 1
        return data


class _NotPlain(Exception):
    """The document holds something :func:`_read_plain` leaves to the full reader."""


_SCALAR_CONSTRUCTED = frozenset(
    "tag:yaml.org,2002:" + name for name in ("null", "bool", "int", "float", "timestamp")
)
"""Tags an untagged plain scalar may resolve to that :func:`_read_plain` builds itself, with
the loader's own constructor; any other (``<<``, ``=``) sends the document to the full reader."""
_PLAIN_TAGS_KEPT = 4096
_plain_tags: dict[str, str] = {}
"""Plain scalar → the tag the resolver gives it (keys repeat in every file)."""


def _plain_tag(loader: _PositionLoader, value: str) -> str:
    """The tag YAML gives the plain scalar ``value``: text unless one of the resolver's
    patterns may match (one pattern test instead of a resolver call, for most values)."""
    if value and _MAYBE_NOT_TEXT.match(value) is None:
        return _STR_TAG
    tag = _plain_tags.get(value)
    if tag is None:
        tag = loader.resolve(yaml.ScalarNode, value, (True, False))
        if len(_plain_tags) < _PLAIN_TAGS_KEPT and len(value) < 64:
            _plain_tags[value] = tag
    return tag


def _read_plain(loader: _PositionLoader):
    """The document's data, read from the parser's events without building nodes: what
    :func:`_build_document` gives for a document that holds only mappings with distinct
    text keys, lists and untagged scalars, in one document, no deeper than
    :data:`MAX_DEPTH`. Raises :class:`_NotPlain` at anything else (a tag, an anchor or
    alias, a repeated or non-text key, a second document, a syntax error), which the full
    reader then reports as it always does.

    Reading is most of a first ``kb check``, and nearly every entry is plain: composing
    nodes costs a resolver call and two path-resolver calls per value, and the builder a
    call per node, that this loop does not pay.
    """
    get = loader.get_event
    if type(get()) is not yaml.StreamStartEvent or type(get()) is not yaml.DocumentStartEvent:
        raise _NotPlain
    data = _plain_value(loader, get, get(), 0)
    if type(get()) is not yaml.DocumentEndEvent or type(get()) is not yaml.StreamEndEvent:
        raise _NotPlain
    return data


_ScalarEvent = yaml.ScalarEvent
_MappingStartEvent = yaml.MappingStartEvent
_SequenceStartEvent = yaml.SequenceStartEvent
_MappingEndEvent = yaml.MappingEndEvent
_SequenceEndEvent = yaml.SequenceEndEvent


def _plain_value(loader: _PositionLoader, get, event, depth: int):
    """The value that starts with ``event`` (see :func:`_read_plain`). Text, the most common
    value, is taken in the loops below without a call."""
    kind = type(event)
    if event.anchor is not None or event.tag is not None:
        raise _NotPlain
    if kind is _ScalarEvent:
        return _plain_scalar(loader, event)
    if depth >= MAX_DEPTH:
        raise _NotPlain
    marks, first_chars, maybe_not_text = _MARKS, _RESOLVED_FIRST, _MAYBE_NOT_TEXT.match
    where = event.start_mark
    mark = marks.get((where.line, where.column)) or _mark(where)
    if kind is _SequenceStartEvent:
        items = PosList()
        items.mark = mark
        item_marks = items.item_marks = []
        while True:
            event = get()
            kind = type(event)
            if kind is _SequenceEndEvent:
                return items
            where = event.start_mark
            item_marks.append(marks.get((where.line, where.column)) or _mark(where))
            if kind is _ScalarEvent and event.anchor is None and event.tag is None:
                value = event.value
                if event.implicit[0] and (
                    not value or (value[0] in first_chars and maybe_not_text(value))
                ):
                    value = _plain_scalar(loader, event)
                items.append(value)
            else:
                items.append(_plain_value(loader, get, event, depth + 1))
    if kind is not _MappingStartEvent:
        raise _NotPlain  # an alias
    data = PosDict()
    data.mark = mark
    key_marks = data.key_marks = {}
    value_marks = data.value_marks = {}
    while True:
        event = get()
        kind = type(event)
        if kind is _MappingEndEvent:
            return data
        if kind is not _ScalarEvent or event.anchor is not None or event.tag is not None:
            raise _NotPlain
        key = event.value
        if key in data or (
            event.implicit[0]
            and (not key or key[0] in first_chars)
            and _plain_tag(loader, key) != _STR_TAG
        ):
            raise _NotPlain
        where = event.start_mark
        key_marks[key] = marks.get((where.line, where.column)) or _mark(where)
        event = get()
        where = event.start_mark
        value_marks[key] = marks.get((where.line, where.column)) or _mark(where)
        if type(event) is _ScalarEvent and event.anchor is None and event.tag is None:
            value = event.value
            if event.implicit[0] and (
                not value or (value[0] in first_chars and maybe_not_text(value))
            ):
                value = _plain_scalar(loader, event)
            data[key] = value
        else:
            data[key] = _plain_value(loader, get, event, depth + 1)


def _plain_scalar(loader: _PositionLoader, event):
    """An untagged scalar: its text, or for a plain one that YAML reads as a number, true or
    false, null or a date, what the loader's constructor for that tag makes of it."""
    value = event.value
    if not event.implicit[0] or (value and value[0] not in _RESOLVED_FIRST):
        return value
    tag = _plain_tag(loader, value)
    if tag == _STR_TAG:
        return value
    if tag not in _SCALAR_CONSTRUCTED:
        raise _NotPlain
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
    return loader.yaml_constructors[tag](loader, node)


def _construct_timestamp_as_text(loader: _PositionLoader, node):
    """Keep dates as the text the contributor wrote (``2019-06-01``), never as objects."""
    return loader.construct_scalar(node)


_PositionLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_PositionLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_PositionLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)

_RESOLVED_FIRST = frozenset(_PositionLoader.yaml_implicit_resolvers)
"""First characters of plain scalars the resolver may read as something other than text."""
_MAYBE_NOT_TEXT = re.compile(
    "|".join(
        sorted(
            {
                f"(?:{pattern.pattern})"
                for resolvers in _PositionLoader.yaml_implicit_resolvers.values()
                for _, pattern in resolvers
            }
        )
    ),
    re.VERBOSE,
)
"""Matches every plain scalar that one of the resolver's patterns matches (and maybe more):
a scalar it does not match is text."""
assert None not in _RESOLVED_FIRST, "a resolver for every plain scalar: _read_plain assumes none"


def _decode(raw: bytes) -> tuple[str | None, YamlProblem | None]:
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, YamlProblem(
            "encoding",
            Mark(line, column),
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded)",
            "save the file as UTF-8 in your editor",
        )


_INDENTATION_HINT = (
    "check the indentation of this line and the one above it: keys of one mapping, and the "
    "items of one list, must start in the same column"
)


def _line(text: str, mark: Mark) -> str:
    lines = text.splitlines()
    return lines[mark.line - 1] if 0 < mark.line <= len(lines) else ""


def _has_tab_near(text: str, mark: Mark) -> bool:
    return "\t" in _line(text, mark)[: mark.column + 1]


def _looks_like_a_lone_key(line: str) -> bool:
    """``  key:`` or ``  key: value`` with no further ': ' — a misplaced key, not a colon in a value."""
    stripped = line.strip().lstrip("- ")
    key, sep, value = stripped.partition(":")
    return bool(sep) and key.replace("_", "").replace("-", "").isalnum() and ": " not in value


def _syntax_hint(text: str, message: str, mark: Mark) -> str | None:
    if "tab" in message.lower() or _has_tab_near(text, mark):
        return "YAML does not allow tab characters for indentation: indent with spaces"
    if "mapping values are not allowed" in message:
        if _looks_like_a_lone_key(_line(text, mark)):
            return (
                "check the indentation: this key is indented more than the line above it, so YAML reads it "
                "as part of that line's value; line it up with the keys beside it"
            )
        return "a value containing ': ' must be quoted, e.g. key: \"a: b\""
    if any(
        m in message
        for m in (
            "could not find expected ':'",
            "did not find expected key",
            "did not find expected '-' indicator",
            "expected <block end>",
        )
    ):
        return _INDENTATION_HINT
    if "maximum nesting depth" in message:
        return "an entry needs only a few levels of lists and mappings: check the brackets"
    if "found undefined tag" in message or "could not determine a constructor" in message:
        return "remove the '!tag': only plain YAML values are allowed"
    if "found character '`'" in message or "found character '@'" in message:
        return "quote values that start with ` or @"
    return None


def _reader_problem(text: str, exc: yaml.reader.ReaderError) -> YamlProblem:
    """A character YAML does not accept in a file at all (a raw control character).

    libyaml gives the position as a byte offset into the UTF-8 text, PyYAML as a character
    index; both are turned into a line and a column of characters."""
    offset = exc.position
    if _BaseLoader is not yaml.SafeLoader:
        offset = len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
    before = text[:offset]
    line = before.count("\n") + 1
    column = offset - (before.rfind("\n") + 1) + 1
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return YamlProblem(
        "syntax",
        Mark(line, column),
        f"the file contains the control character U+{ord(char):04X}, which YAML does not allow",
        "remove it (it is invisible in most editors: retype the text around it)",
    )


def _holds_nothing(text: str) -> bool:
    """True when every line of ``text`` is blank or a comment (only the first line that is
    not blank needs a look, unless it is a comment)."""
    if not text.lstrip().startswith("#"):
        return not text.strip()
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


_NOT_PLAIN = object()


def _plain_document(text: str):
    """:func:`_read_plain` of ``text``, or :data:`_NOT_PLAIN` when the full reader must read it."""
    loader = _PositionLoader(text)
    try:
        return _read_plain(loader)
    except (_NotPlain, yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        return _NOT_PLAIN
    finally:
        loader.dispose()


def parse_yaml(raw: bytes) -> tuple[object | None, list[YamlProblem]]:
    """Parse one YAML document from ``raw`` bytes.

    Returns the data (``PosDict``/``PosList``/scalars, or None) and every problem found.
    Never raises for bad input.
    """
    text, problem = _decode(raw)
    if text is None:
        return None, [problem] if problem else []
    if _holds_nothing(text):
        return None, [
            YamlProblem(
                "syntax", Mark(1, 1), "the file is empty", "write an entry, or delete the file"
            )
        ]
    plain = _plain_document(text)
    if plain is not _NOT_PLAIN:
        return plain, []
    loader = _PositionLoader(text)
    try:
        node = loader.get_node() if loader.check_node() else None
        if node is not None and loader.check_node():
            second = loader.get_node()
            mark = _mark(second.start_mark) if second is not None else Mark(1, 1)
            return None, [
                YamlProblem(
                    "syntax",
                    mark,
                    "the file holds several YAML documents (separated by '---'); one entry per file",
                    "move each entry to its own file named after its id",
                )
            ]
        if node is None:
            return None, [
                YamlProblem(
                    "syntax", Mark(1, 1), "the file is empty", "write an entry, or delete the file"
                )
            ]
        data = _build_document(loader, node)
    except yaml.MarkedYAMLError as exc:
        yaml_mark = exc.problem_mark or exc.context_mark
        where = Mark(yaml_mark.line + 1, yaml_mark.column + 1) if yaml_mark else Mark(1, 1)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        return None, [
            YamlProblem(
                "syntax", where, f"YAML syntax error: {what}", _syntax_hint(text, what, where)
            )
        ]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(text, exc)]
    except RecursionError:
        return None, [
            YamlProblem(
                "syntax",
                Mark(1, 1),
                "the file nests lists and mappings too deeply to be read",
                "an entry needs only a few levels: check for runaway indentation or brackets",
            )
        ]
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        return None, [
            YamlProblem(
                "syntax",
                Mark(1, 1),
                f"YAML could not be read: {exc}",
                "write the entry as plain YAML: fields, lists and text",
            )
        ]
    finally:
        loader.dispose()
    return data, list(dict.fromkeys(loader.problems))  # an alias used twice: one problem
