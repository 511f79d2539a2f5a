"""The only reader of the data folders: YAML files in, a :class:`KnowledgeBase` out.

Every problem is collected (never raised), with its position: syntax and encoding errors,
duplicate keys, schema violations (unknown keys with a did-you-mean, wrong types, missing
fields), ids that differ from the file name, and duplicate ids. An entry with schema errors
is still built from its well-typed fields, so one typo does not hide the rest of the file
from the rules.
"""

from __future__ import annotations

import datetime
import difflib
import json
import os
import re
from functools import cache
from importlib import resources
from pathlib import Path

import fastjsonschema

from kb.findings import Finding
from kb.model import (
    ARGUMENT_LINKS,
    KIND_FOLDERS,
    SENSE_LINKS,
    Claim,
    KnowledgeBase,
    Location,
    NotAKnowledgeBase,
    Ref,
    Sense,
    Source,
    Term,
    Undercut,
    Waiver,
    misplaced_folder,
)
from kb.yamlread import Mark, PosDict, PosList, parse_yaml

LOADER_RULES = {
    # problem kind -> (code, rule name)
    "syntax": ("KB006", "yaml-syntax"),
    "encoding": ("KB006", "yaml-syntax"),
    "duplicate-key": ("KB002", "duplicate-key"),
    "schema": ("KB001", "schema"),
    "file-name": ("KB005", "file-name"),
    "duplicate-id": ("KB003", "duplicate-id"),
    "stray-file": ("KB007", "stray-file"),
}

RENAMED_FIELDS = {"seed": "text"}
"""Fields renamed in the data model: old name -> new name (a finding says how to fix)."""


def _finding(
    kind: str,
    location: Location,
    message: str,
    hint: str | None = None,
    entry: tuple[str, str] | None = None,
) -> Finding:
    code, name = LOADER_RULES[kind]
    return Finding(code, name, "error", location, message, hint, entry)


@cache
def schema(kind: str) -> dict:
    """The JSON Schema shipped in the package for ``kind`` (term, claim or source)."""
    text = resources.files("kb").joinpath("schemas", f"{kind}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def _validator(kind: str):
    spec = schema(kind)
    import jsonschema  # only invalid entries need it: a clean check never pays its import

    cls = jsonschema.validators.validator_for(spec)
    return cls(spec)


@cache
def _fast_check(kind: str):
    """A compiled validator that only says valid or not: most entries are valid, and this is
    several times faster than walking the schema; jsonschema then explains the invalid ones."""
    return fastjsonschema.compile(schema(kind))


def compile_validators() -> None:
    """Compile the schema validators of every kind now, so that a process forked afterwards
    (a first run's second parser) inherits them instead of compiling them again."""
    for kind in KIND_FOLDERS:
        _fast_check(kind)


def _is_valid(data, kind: str) -> bool:
    try:
        _fast_check(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _loc(rel: str, mark: Mark | None) -> Location:
    return Location(rel, mark.line, mark.column) if mark else Location(rel)


def _mark_at(data, path) -> tuple[Mark | None, bool]:
    """The position of the value at ``path`` in ``data``; the flag says if it is a key's."""
    node, mark = data, getattr(data, "mark", None)
    for step in path:
        if isinstance(node, PosDict) and step in node:
            mark, node = node.value_marks.get(step, mark), node[step]
        elif isinstance(node, PosList) and isinstance(step, int) and step < len(node):
            mark, node = node.item_marks[step], node[step]
        else:
            break
    return mark, False


def _describe_path(path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "the entry"


def _type_name(value) -> str:
    return {
        dict: "a mapping",
        PosDict: "a mapping",
        list: "a list",
        PosList: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "empty",
    }.get(type(value), type(value).__name__)


def _schema_findings(data, kind: str, rel: str, entry) -> list[Finding]:
    if _is_valid(data, kind):
        return []
    findings = []
    for error in sorted(
        _validator(kind).iter_errors(data), key=lambda e: list(map(str, e.absolute_path))
    ):
        path = list(error.absolute_path)
        where = _describe_path(path)
        if error.validator == "additionalProperties" and isinstance(error.instance, PosDict):
            allowed = list(error.schema.get("properties", {}))
            for key in error.instance:
                if key in allowed:
                    continue
                mark = error.instance.key_marks.get(key)
                close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                hint = (
                    f"'{key}' was renamed to '{RENAMED_FIELDS[key]}': write `{RENAMED_FIELDS[key]}:`"
                    if RENAMED_FIELDS.get(key) in allowed
                    else f"did you mean '{close[0]}'?"
                    if close
                    else f"allowed fields: {', '.join(allowed)}"
                )
                findings.append(
                    _finding(
                        "schema", _loc(rel, mark), f"unknown field '{key}' in {where}", hint, entry
                    )
                )
            continue
        mark, _ = _mark_at(data, path)
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else error.message
            message, hint = (
                f"{where} is missing the required field '{missing}'",
                f"add `{missing}:`",
            )
        elif error.validator == "type":
            wanted = error.validator_value
            wanted_name = _type_name(
                {"string": "", "array": [], "object": {}, "boolean": True, "integer": 0}.get(
                    wanted, wanted
                )
            )
            message = f"{where} should be {wanted_name}, not {_type_name(error.instance)}"
            hint = (
                "an undercut names one link: write each item as "
                "`- {claim: a-claim, supports: b-claim}` (or objects_to:), one per target"
                if path[:1] == ["undercuts"]
                else "check the indentation: a nested field may have slipped to the wrong level"
                if isinstance(error.instance, (dict, list)) or error.instance is None
                else "put the value in quotes to make it text"
                if wanted == "string"
                else f"write {wanted_name} here"
            )
        elif error.validator == "enum":
            allowed = [str(v) for v in error.validator_value]
            close = difflib.get_close_matches(str(error.instance), allowed, n=1)
            message = f"{where} is '{error.instance}', which is not one of: {', '.join(allowed)}"
            hint = f"did you mean '{close[0]}'?" if close else f"write one of: {', '.join(allowed)}"
        elif error.validator == "pattern":
            message = f"{where} '{error.instance}' has the wrong form"
            hint = _pattern_hint(path)
        elif error.validator == "oneOf" and all(
            list(branch) == ["required"] for branch in error.validator_value
        ):
            names = [branch["required"][0] for branch in error.validator_value]
            message = f"{where} needs exactly one of: {', '.join(names)}"
            hint = "write one item per relation, e.g. `- {claim: a-claim, supports: b-claim}`"
        elif error.validator == "uniqueItems":
            message, hint = f"{where} lists the same item twice", "remove the repeated item"
        elif error.validator in ("minItems", "minLength"):
            message, hint = f"{where} is empty", "give a value, or remove the field"
        else:
            message, hint = f"{where}: {error.message}", "see docs/data-model.md for the field"
        findings.append(_finding("schema", _loc(rel, mark), message, hint, entry))
    return findings


#: Characters XML 1.0 forbids (so GraphML, GEXF and RDF/XML consumers refuse the file), and
#: other C0/C1 control characters that no text of ours needs; tab and line breaks are fine.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: The characters of :data:`_CONTROL` as UTF-8 bytes (surrogates cannot be encoded), and "\\".
_CONTROL_BYTES = re.compile(
    rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\\]|\xc2[\x80-\x9f]|\xef\xbf[\xbe\xbf]"
)


def _strings(node, mark: Mark | None, path: tuple = ()):
    """``(path, position, text)`` of every text value in ``node``, with the nearest position."""
    if isinstance(node, PosDict):
        for key, value in node.items():
            yield from _strings(value, node.value_marks.get(key, mark), (*path, key))
    elif isinstance(node, PosList):
        for i, (item, item_mark) in enumerate(zip(node, node.item_marks, strict=True)):
            yield from _strings(item, item_mark, (*path, i))
    elif isinstance(node, str):
        yield path, mark, node


#: List fields whose items the graph exports join into one text: ``(field, separator, what)``.
LIST_SEPARATORS = (("aliases", "|", "aliases"), ("authors", ";", "authors"))


def _impossible_date(value: str) -> bool:
    """A ``YYYY-MM-DD`` or ``YYYY-MM`` that names no day or month (``2019-02-30``, ``2019-13``)."""
    parts = value.split("-")
    if len(parts) == 1 or not all(part.isdigit() for part in parts):
        return False
    try:
        datetime.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 1)
    except ValueError:
        return True
    return False


#: Bytes of ASCII text that are no control character of :data:`_CONTROL` nor a backslash.
_PLAIN_ASCII = bytes(b for b in range(0x20, 0x7F) if b != 0x5C) + b"\t\n\r"


def _may_hold_control_characters(raw: bytes) -> bool:
    """False when no text of the file can hold a control character: its UTF-8 bytes hold
    none, and no backslash (an escape in double quotes is the only other way to write one).

    For an ASCII file (nearly all) the bytes left after deleting :data:`_PLAIN_ASCII` say
    it, twenty times faster than the pattern."""
    if raw.isascii():
        return bool(raw.translate(None, _PLAIN_ASCII))
    return _CONTROL_BYTES.search(raw) is not None


def _value_findings(data: PosDict, rel: str, entry, raw: bytes | None = None) -> list[Finding]:
    """What a schema cannot say: control characters in text, dates that do not exist.

    ``raw``, the file's bytes, lets the search for control characters be skipped when the
    file cannot hold any (nearly every file): walking every value is a tenth of reading it."""
    findings = []
    texts = _strings(data, data.mark) if raw is None or _may_hold_control_characters(raw) else ()
    for path, mark, text in texts:
        bad = _CONTROL.search(text)
        if bad:
            findings.append(
                _finding(
                    "schema",
                    _loc(rel, mark),
                    f"{_describe_path(path)} contains the control character "
                    f"U+{ord(bad.group()):04X}, which XML, HTML and spreadsheets refuse or hide",
                    "remove it (it is usually an invisible leftover of copying and pasting, or a "
                    "\\x.. escape in double quotes)",
                    entry,
                )
            )
    for key, separator, what in LIST_SEPARATORS:
        items = data.get(key)
        for item, mark in (
            zip(items, items.item_marks, strict=True) if isinstance(items, PosList) else ()
        ):
            if isinstance(item, str) and separator in item:
                findings.append(
                    _finding(
                        "schema",
                        _loc(rel, mark),
                        f"{key} item '{item}' contains '{separator}', which the graph exports "
                        f"use to join {what}",
                        f"write each of the {what} as its own item of `{key}`",
                        entry,
                    )
                )
    date = data.get("date")
    if isinstance(date, str) and _impossible_date(date):
        findings.append(
            _finding(
                "schema",
                _loc(rel, data.value_marks.get("date")),
                f"date '{date}' does not exist in the calendar",
                "write a real date as YYYY-MM-DD (or only YYYY-MM or YYYY when the day is unknown)",
                entry,
            )
        )
    return findings


def _pattern_hint(path) -> str:
    last = next((p for p in reversed(path) if isinstance(p, str)), "")
    if last in ("conflicts_with", "refines", "agrees_with"):
        return "write a sense as term-id#sense-id, e.g. mesa-optimizer#rlo"
    if last in ("supports", "objects_to", "claim"):
        return "write a claim id, or a sense as term-id#sense-id (lowercase kebab-case)"
    if last == "text":
        return "write a path inside the texts folder, e.g. 001_post.txt (no '..', no leading '/')"
    if last == "date":
        return "write the date as YYYY-MM-DD, YYYY-MM or YYYY"
    if last == "url":
        return "write a full http(s) address without spaces"
    return "ids are lowercase kebab-case: letters, digits and single hyphens, e.g. mesa-optimizer"


# -- building entries from well-typed fields only ----------------------------------------


def _text(data: PosDict, key: str) -> str | None:
    value = data.get(key)
    if isinstance(value, bool) or value is None:
        return None
    return str(value) if isinstance(value, (str, int, float)) else None


def _ref(data: PosDict, key: str, rel: str) -> Ref | None:
    value = data.get(key)
    if isinstance(value, str) and value:
        return Ref(value, _loc(rel, data.value_marks.get(key)))
    return None


def _refs(data: PosDict, key: str, rel: str) -> tuple[Ref, ...]:
    value = data.get(key)
    if not isinstance(value, PosList):
        return ()
    return tuple(
        Ref(item, _loc(rel, mark))
        for item, mark in zip(value, value.item_marks, strict=True)
        if isinstance(item, str) and item
    )


def _texts(data: PosDict, key: str, rel: str) -> tuple[tuple[str, ...], tuple[Location, ...]]:
    value = data.get(key)
    if not isinstance(value, PosList):
        return (), ()
    pairs = [
        (item, _loc(rel, mark))
        for item, mark in zip(value, value.item_marks, strict=True)
        if isinstance(item, str) and item.strip()
    ]
    return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)


def _undercuts(data: PosDict, rel: str) -> tuple[Undercut, ...]:
    """The well-formed items of ``undercuts``: a claim and exactly one relation each."""
    value = data.get("undercuts")
    if not isinstance(value, PosList):
        return ()
    out = []
    for item, mark in zip(value, value.item_marks, strict=True):
        if not isinstance(item, PosDict):
            continue
        claim = _ref(item, "claim", rel)
        links = [(r, target) for r in ARGUMENT_LINKS if (target := _ref(item, r, rel))]
        if claim and len(links) == 1:
            (relation, target), *_ = links
            out.append(Undercut(claim, relation, target, _loc(rel, mark)))
    return tuple(out)


def _waivers(data: PosDict, rel: str) -> tuple[Waiver, ...]:
    value = data.get("waivers")
    if not isinstance(value, PosList):
        return ()
    out = []
    for item, mark in zip(value, value.item_marks, strict=True):
        if isinstance(item, PosDict) and isinstance(item.get("rule"), str):
            reason = item.get("reason")
            members, _ = _texts(item, "members", rel)
            out.append(
                Waiver(
                    item["rule"],
                    reason.strip() if isinstance(reason, str) else "",
                    _loc(rel, mark),
                    members,
                )
            )
    return tuple(out)


def _value_loc(data: PosDict, key: str, rel: str) -> Location | None:
    mark = data.value_marks.get(key)
    return _loc(rel, mark) if mark else None


def _build_sense(term_id: str, data: PosDict, rel: str) -> Sense | None:
    sense_id = _text(data, "id")
    if not sense_id:
        return None
    links = {kind: _refs(data, kind, rel) for kind in SENSE_LINKS}
    return Sense(
        term_id=term_id,
        id=sense_id,
        definition=_text(data, "definition") or "",
        source=_ref(data, "source", rel),
        location=_loc(rel, data.mark),
        uses=_refs(data, "uses", rel),
        locator=_text(data, "locator"),
        quote=_text(data, "quote"),
        definition_location=_value_loc(data, "definition", rel),
        label=_text(data, "label"),
        quoted_in=_ref(data, "quoted_in", rel),
        quote_location=_value_loc(data, "quote", rel),
        note=_text(data, "note"),
        note_location=_value_loc(data, "note", rel),
        **links,
    )


def build_term(data: PosDict, rel: str, entry_id: str) -> Term:
    senses_raw = data.get("senses")
    senses = []
    if isinstance(senses_raw, PosList):
        senses = [
            s
            for s in (
                _build_sense(entry_id, item, rel)
                for item in senses_raw
                if isinstance(item, PosDict)
            )
            if s
        ]
    aliases, alias_locations = _texts(data, "aliases", rel)
    status = data.get("status")
    return Term(
        id=entry_id,
        label=_text(data, "label") or entry_id,
        location=_loc(rel, data.mark),
        senses=tuple(senses),
        aliases=aliases,
        alias_locations=alias_locations,
        label_location=_value_loc(data, "label", rel),
        status=status
        if status in ("established", "contested", "deprecated", "proposed")
        else "established",
        primitive=data.get("primitive") is True,
        broader=_refs(data, "broader", rel),
        related=_refs(data, "related", rel),
        replaced_by=_ref(data, "replaced_by", rel),
        note=_text(data, "note"),
        waivers=_waivers(data, rel),
    )


def build_claim(data: PosDict, rel: str, entry_id: str) -> Claim:
    return Claim(
        id=entry_id,
        claim=_text(data, "claim") or "",
        location=_loc(rel, data.mark),
        source=_ref(data, "source", rel),
        title=_text(data, "title"),
        locator=_text(data, "locator"),
        quote=_text(data, "quote"),
        about=_refs(data, "about", rel),
        supports=_refs(data, "supports", rel),
        objects_to=_refs(data, "objects_to", rel),
        waivers=_waivers(data, rel),
        claim_location=_value_loc(data, "claim", rel),
        quoted_in=_ref(data, "quoted_in", rel),
        quote_location=_value_loc(data, "quote", rel),
        undercuts=_undercuts(data, rel),
        note=_text(data, "note"),
        note_location=_value_loc(data, "note", rel),
    )


def build_source(data: PosDict, rel: str, entry_id: str) -> Source:
    authors, _ = _texts(data, "authors", rel)
    return Source(
        id=entry_id,
        title=_text(data, "title") or entry_id,
        type=_text(data, "kind") or "other",
        location=_loc(rel, data.mark),
        authors=authors,
        author_note=_text(data, "author_note"),
        date=_text(data, "date"),
        url=_text(data, "url"),
        part_of=_ref(data, "part_of", rel),
        in_reply_to=_ref(data, "in_reply_to", rel),
        references=_refs(data, "references", rel),
        text=_text(data, "text"),
        description=_text(data, "description"),
        waivers=_waivers(data, rel),
        text_location=_value_loc(data, "text", rel),
    )


BUILDERS = {"term": build_term, "claim": build_claim, "source": build_source}


ENTRY_SUFFIXES = (".yaml", ".yml")


def _stray_finding(path: Path, root: Path) -> Finding:
    """Why the loader does not read ``path``, a file or folder inside a data folder."""
    rel = path.relative_to(root).as_posix()
    if path.is_symlink():
        message = (
            f"{rel} is a symbolic link; entries are regular files inside the knowledge base, "
            "and links are never followed"
        )
        hint = "replace the link with the file itself, or delete it"
    elif path.is_dir():
        message = f"the folder {rel} could not be read, so no entry in it is loaded"
        hint = "make the folder readable, or remove it"
    elif path.suffix in ENTRY_SUFFIXES:
        message = f"{rel} is not a regular file, so it is not read as an entry"
        hint = "replace it with a regular YAML file, or delete it"
    else:
        message = f"{rel} is not read: only files whose names end in .yaml or .yml are entries"
        hint = f"rename it to {path.stem}.yaml if it is an entry; otherwise move it out of the data folder"
    return _finding("stray-file", Location(rel), message, hint)


_ENTRY_START = re.compile(r"^id:\s*\S", re.M)


def _misplaced_entries(root: Path) -> list[Finding]:
    """Entries the loader never sees: YAML files in a folder named almost like a data folder
    (``term/``, ``Sources/``), and files at the root that begin like an entry (``id: …``)."""
    folders = list(KIND_FOLDERS.values())
    findings = []
    for item in sorted(root.iterdir()):
        if item.name.startswith(".") or item.is_symlink() or item.name in folders:
            continue
        if item.is_dir():
            close = misplaced_folder(item.name)
            files = (
                sorted(p for p in item.rglob("*") if p.suffix in ENTRY_SUFFIXES) if close else []
            )
            findings += [
                _misplaced(
                    path, root, f"the folder {item.name}/ is not read; did you mean {close[0]}/?"
                )
                for path in files
            ]
        elif item.suffix in ENTRY_SUFFIXES and item.is_file() and _begins_like_an_entry(item):
            findings.append(
                _misplaced(item, root, "entries go in terms/, arguments/ or sources/, by kind")
            )
    return findings


def _begins_like_an_entry(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    return bool(_ENTRY_START.search(head))


def _misplaced(path: Path, root: Path, why: str) -> Finding:
    rel = path.relative_to(root).as_posix()
    return _finding(
        "stray-file",
        Location(rel),
        f"{rel} looks like an entry but is not read: {why}",
        "move it into the data folder of its kind (terms/, arguments/ or sources/)",
    )


def _yaml_files(folder: Path, root: Path) -> tuple[list[tuple[Path, str]], list[Finding]]:
    """The entry files under ``folder`` (each with its path relative to ``root``, in POSIX
    form) and a finding for every other file or link in it.

    Links (to files or folders, dangling or not) are reported and never followed; hidden
    files that are not YAML (``.gitkeep``, editor swap files) are passed over.
    """
    if folder.is_symlink():
        return [], [_stray_finding(folder, root)]
    if not folder.is_dir():
        return [], []
    entries: list[str] = []
    strays: list[str] = []
    base = str(folder)
    _scan(base, entries, strays)
    entries.sort(key=_path_order)
    strays.sort(key=_path_order)
    prefix = folder.relative_to(root).as_posix()
    inside = [path[len(base) + 1 :] for path in entries]  # the scan joined base and names
    return (
        [(folder / rest, f"{prefix}/{_posix(rest)}") for rest in inside],
        [_stray_finding(Path(path), root) for path in strays],
    )


def _posix(path: str) -> str:
    """``path`` with POSIX separators: ``Path.as_posix`` without parsing each of many
    thousand paths again."""
    return path if os.sep == "/" else path.replace(os.sep, "/")


def _scan(folder: str, entries: list[str], strays: list[str]) -> None:
    """Sort what is under ``folder`` into entry files and strays, as os.walk would walk it
    (a link to a folder is listed, never entered; an unreadable folder is a stray), but
    with the file types the directory listing already holds: a big tree costs no extra calls."""
    try:
        with os.scandir(folder) as listing:
            items = list(listing)
    except OSError:
        strays.append(folder)
        return
    for item in items:
        try:
            is_dir = item.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if item.is_symlink():
                strays.append(item.path)
            else:
                _scan(item.path, entries, strays)
            continue
        suffix = _suffix(item.name)
        if suffix in ENTRY_SUFFIXES and item.is_file() and not item.is_symlink():
            entries.append(item.path)
        elif not item.name.startswith(".") or suffix in ENTRY_SUFFIXES:
            strays.append(item.path)


def _suffix(name: str) -> str:
    """``PurePath(name).suffix``."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _path_order(path: str) -> list[str]:
    """The order in which Path objects sort (by their parts), for plain strings."""
    return os.path.normcase(path).split(os.sep)


def load_entry_file(
    path: Path, rel: str, kind: str, raw: bytes | None = None
) -> tuple[object | None, list[Finding]]:
    """Read and validate one file; returns the built entry (or None) and its findings.

    ``raw`` is the file's content when the caller has read it already (the cache has)."""
    stem = path.stem
    try:
        raw = path.read_bytes() if raw is None else raw
    except OSError as exc:
        return None, [
            _finding("syntax", Location(rel), f"the file could not be read: {exc.strerror}")
        ]
    data, problems = parse_yaml(raw)
    findings = [
        _finding(p.kind, _loc(rel, p.mark), p.message, p.hint, (kind, stem)) for p in problems
    ]
    if data is None and findings:
        return None, findings
    if not isinstance(data, PosDict):
        findings.append(
            _finding(
                "schema",
                _loc(rel, getattr(data, "mark", None)),
                f"the file holds no {kind}, only an empty value (`~`, `null` or a bare `---`)"
                if data is None
                else f"the file should hold one {kind} as a mapping of fields, not {_type_name(data)}",
                f"start from `kb new {kind} {stem}`",
                (kind, stem),
            )
        )
        return None, findings
    findings += _schema_findings(data, kind, rel, (kind, stem))
    findings += _value_findings(data, rel, (kind, stem), raw)
    written_id = data.get("id")
    if isinstance(written_id, str) and written_id != stem:
        findings.append(
            _finding(
                "file-name",
                _loc(rel, data.value_marks.get("id")),
                f"id '{written_id}' differs from the file name '{path.name}'",
                f"rename the file to {written_id}{path.suffix} or set `id: {stem}`",
                (kind, stem),
            )
        )
    entry_id = written_id if isinstance(written_id, str) and written_id else stem
    return BUILDERS[kind](data, rel, entry_id), findings


def _sense_duplicates(term: Term) -> list[Finding]:
    seen: dict[str, Sense] = {}
    out = []
    for sense in term.senses:
        if sense.id in seen:
            first = seen[sense.id].location
            out.append(
                _finding(
                    "duplicate-id",
                    sense.location,
                    f"sense id '{sense.id}' is used twice in term '{term.id}' (first at line {first.line})",
                    "give each sense of a term its own id",
                    ("term", term.id),
                )
            )
        else:
            seen[sense.id] = sense
    return out


def load_kb(root: str | Path, read_entry=load_entry_file) -> KnowledgeBase:
    """Load every entry under ``root`` (the folder holding terms/, arguments/, sources/).

    Raises :class:`NotAKnowledgeBase` when none of the three folders exists; every other
    problem becomes a finding in ``kb.load_findings``. ``read_entry`` reads one file, as
    :func:`load_entry_file` does (:mod:`kb.cache` passes one that answers from its cache).
    """
    root = Path(root)
    if not any((root / folder).is_dir() for folder in KIND_FOLDERS.values()):
        raise NotAKnowledgeBase(
            f"{root} has no terms/, arguments/ or sources/ folder: give the folder that holds them"
        )
    kb = KnowledgeBase(root=root)
    kb.load_findings.extend(_misplaced_entries(root))
    tables: dict[str, dict] = {"term": kb.terms, "claim": kb.claims, "source": kb.sources}
    for kind, folder in KIND_FOLDERS.items():
        paths, strays = _yaml_files(root / folder, root)
        kb.load_findings.extend(strays)
        for path, rel in paths:
            kb.files_read += 1
            entry, findings = read_entry(path, rel, kind)
            kb.load_findings.extend(findings)
            if entry is None:
                kb.unreadable.setdefault(kind, {})[path.stem] = rel
                continue
            table = tables[kind]
            if entry.id in table:
                first = table[entry.id].location
                kb.load_findings.append(
                    _finding(
                        "duplicate-id",
                        entry.location,
                        f"{kind} id '{entry.id}' is already used by {first.path}",
                        "ids must be unique within terms, arguments and sources: rename one of the two",
                        (kind, entry.id),
                    )
                )
                continue
            table[entry.id] = entry
            if kind == "term":
                kb.load_findings.extend(_sense_duplicates(entry))
    return kb
