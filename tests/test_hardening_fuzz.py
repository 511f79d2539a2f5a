"""Fuzz: random YAML and random bytes never make a command crash (issue 11, class 6).

Every input gets positioned findings or a one-line usage error and exit 0, 1 or 2; never a
traceback. The inputs are built from YAML's own punctuation (tags, anchors, flow and block
collections, block scalars, tabs, odd line ends, document markers) mixed with the fields of
our entries, and from raw bytes. The example counts are small so the suite stays fast; run
with ``--hypothesis-seed=…`` or raise ``KB_FUZZ_EXAMPLES`` to search longer.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import kb
from kb.cli import cli
from kb.exporters import FORMATS
from kb.site.context import SiteData
from kb.site.generator import SiteError, load_checked
from tests.helpers import SOURCE

EXAMPLES = int(os.environ.get("KB_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FIELDS = [
    "id", "label", "aliases", "status", "senses", "definition", "uses", "source", "claim",
    "title", "kind", "authors", "date", "url", "waivers", "rule", "reason", "supports",
    "objects_to", "conflicts_with", "locator", "quote", "primitive", "broader",
]  # fmt: skip
PUNCTUATION = [
    ": ", ":\t", "- ", "\n", "\r", "\r\n", "\t", "  ", "    ", "#", " # c", "'", '"', "\\",
    "[", "]", "{", "}", ",", "|", ">-", "|+", "&a ", "*a", "!!int ", "!!bool ", "!!seq ",
    "!!omap ", "!!set ", "!!str ", "!!binary ", "!x ", "!<tag:x> ", "? ", "---", "...",
    "%YAML 1.1\n", "~", "null", "true", "yes", "2019-02-30", "0x1F", "1e999", ".nan", "<<: ",
    "=cmd()", "\x00", "\x07", "\x85", "\u2028", "\ufeff", "\ud7ff", "é", "#rlo", "a|b", "x;y",
]  # fmt: skip

yaml_ish = st.lists(
    st.one_of(
        st.sampled_from(FIELDS).map(lambda f: f + ": "),
        st.sampled_from(PUNCTUATION),
        st.text(max_size=6),
    ),
    max_size=40,
).map("".join)

entry_like = st.builds(
    lambda term_id, body: f"id: {term_id}\nlabel: {term_id}\n" + body,
    st.sampled_from(["alpha", "beta", "Alpha", "a#b", "a-b", "-", "x" * 300]),
    yaml_ish,
)

raw_bytes = st.binary(max_size=300)

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
scalars = st.one_of(any_text, st.integers(), st.booleans(), st.none(), st.floats())
term_data = st.fixed_dictionaries(
    {"id": st.just("alpha"), "label": any_text},
    optional={
        "aliases": st.lists(any_text, max_size=3),
        "senses": st.lists(
            st.fixed_dictionaries(
                {"id": any_text, "definition": any_text},
                optional={"uses": st.lists(any_text, max_size=3), "source": scalars},
            ),
            max_size=2,
        ),
        "note": scalars,
        "nte": scalars,  # a misspelled field
    },
)


def _dumped(data: dict, style: str | None, comment: str) -> str:
    text = yaml.safe_dump(data, default_style=style, allow_unicode=True, sort_keys=False)
    lines = text.splitlines()
    return "\n".join(
        line + (f"  # {comment}" if i % 3 == 1 else "") for i, line in enumerate(lines)
    )


structured = st.builds(
    _dumped,
    term_data,
    st.sampled_from([None, '"', "'", "|", ">"]),
    any_text.filter(str.isprintable),
)

contents = st.one_of(
    structured.map(lambda t: t.encode("utf-8")),
    yaml_ish.map(lambda t: t.encode("utf-8", "surrogatepass")),
    entry_like.map(lambda t: t.encode("utf-8", "surrogatepass")),
    raw_bytes,
)

FOLDERS = ("terms", "arguments", "sources")
POSITIONED = re.compile(r"^\S.*:\d+:\d+: KB\d{3} ", re.M)


def _kb(files: dict[str, bytes]) -> Path:
    root = Path(tempfile.mkdtemp(prefix="kb-fuzz-"))
    (root / "sources").mkdir()
    (root / "sources" / "paper.yaml").write_text(SOURCE, encoding="utf-8")
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def _invoke(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, f"kb {' '.join(args)} raised {result.exception!r}\n{result.output}"
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result


def _one_file_kb(folder: str, data: bytes) -> Path:
    return _kb({f"{folder}/alpha.yaml": data})


@FUZZ
@given(data=contents, folder=st.sampled_from(FOLDERS))
def test_check_answers_every_file_with_positioned_findings(data, folder):
    root = _one_file_kb(folder, data)
    try:
        result = _invoke("check", str(root))
        if result.exit_code == 1:
            assert POSITIONED.search(result.output), result.output
        base = kb.load(root)
        assert all(f.location.line >= 1 and f.location.column >= 1 for f in base.load_findings)
    finally:
        shutil.rmtree(root)


@FUZZ
@given(data=contents, folder=st.sampled_from(FOLDERS))
@example(data=b"\xc2\x85-", folder="terms")  # NEL is a YAML line break: a list on line 2
def test_fmt_never_crashes_and_keeps_what_it_cannot_format(data, folder):
    root = _one_file_kb(folder, data)
    path = root / folder / "alpha.yaml"
    try:
        result = _invoke("fmt", str(root / folder))
        if result.exit_code == 1:  # not formatted: the file is exactly as it was
            assert path.read_bytes() == data
            assert POSITIONED.search(result.output) or ":1:1:" in result.output, result.output
        elif data.strip():
            again = _invoke("fmt", "--check", str(root / folder))
            assert again.exit_code == 0, again.output  # formatting is stable
        assert not list(root.rglob("*.tmp")), "a temporary file was left behind"
    finally:
        shutil.rmtree(root)


@FUZZ
@given(data=contents, folder=st.sampled_from(FOLDERS))
def test_stats_never_crashes(data, folder):
    root = _one_file_kb(folder, data)
    try:
        _invoke("stats", str(root))
        _invoke("stats", "--format", "json", str(root))
    finally:
        shutil.rmtree(root)


@FUZZ
@given(data=contents, folder=st.sampled_from(FOLDERS))
def test_site_loader_refuses_or_accepts_never_crashes(data, folder):
    root = _one_file_kb(folder, data)
    try:
        try:
            base, _ = load_checked(root)
        except SiteError as exc:
            assert "the site is not built" in str(exc) or "terms/" in str(exc)
        else:
            assert base.load_findings == []  # no entry with loader errors reaches the site
            SiteData(base)
    finally:
        shutil.rmtree(root)


@FUZZ
@given(data=contents, folder=st.sampled_from(FOLDERS), fmt=st.sampled_from(sorted(FORMATS)))
def test_every_exporter_writes_whatever_the_input(data, folder, fmt):
    root = _one_file_kb(folder, data)
    out = root.parent / f"{root.name}-out"
    try:
        _invoke("export", "--format", fmt, "-o", str(out), str(root))
        if fmt not in ("csv",):
            _invoke("export", "--format", fmt, str(root))
    finally:
        shutil.rmtree(root)
        shutil.rmtree(out, ignore_errors=True)
        if out.is_file():
            out.unlink()


@FUZZ
@given(files=st.lists(contents, min_size=1, max_size=12))
def test_exporters_take_a_knowledge_base_of_fuzzed_files(files):
    """Many fuzzed files at once, through the library: every exporter returns its output."""
    root = _kb({f"{FOLDERS[i % 3]}/f{i}.yaml": data for i, data in enumerate(files)})
    try:
        base = kb.load(root)
        for exporter in FORMATS.values():
            assert exporter.generate(base)
    finally:
        shutil.rmtree(root)
