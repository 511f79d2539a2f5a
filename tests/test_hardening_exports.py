"""Class 8 of issue 11 (all but RDF, which tests/test_export_*.py check with pyoxigraph):
every export is accepted by a strict, independent consumer, on the real knowledge base and
on a hostile one whose text carries control characters, markup, formula starters, ``|`` and
``;``, and whose ids collide under naive encodings.

GraphML: well-formed for expat (a strict XML parser), every ``id`` an XML NMTOKEN (what the
GraphML schema requires), every reference declared. GEXF: well-formed, ids unique and
referenced. CSV: no cell a spreadsheet would run as a formula. Mermaid: one node per entry,
and advice to draw a part when too large. Argdown: the official parser reads every
statement's text without a trailing space.
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from pathlib import Path
from xml.dom import minidom
from xml.parsers.expat import ExpatError

import pytest
from click.testing import CliRunner

import kb
from kb.cli import cli
from kb.exporters import FORMATS
from kb.exporters.csv_folder import FORMULA_STARTS
from kb.exporters.graphml import graphml_id, original_id
from tests.helpers import write_kb
from tests.test_export_tools import argdown_json

REPO = Path(__file__).parent.parent

# XML 1.0 (fifth edition) §2.3: NameChar, the characters an NMTOKEN is made of.
_NAME_START = (
    ":A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
NMTOKEN = re.compile(f"[{_NAME_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]+")

HOSTILE_TEXT = 'a\x07b\x1b[31m <script>alert("x")</script> ]]> &amp; \ufffe end'


def _term(term_id: str, sense: str, label: str, aliases: str = "[]") -> str:
    return (
        f"id: {term_id}\nlabel: {json.dumps(label)}\naliases: {aliases}\nsenses:\n"
        f"  - id: {sense}\n    definition: {json.dumps(HOSTILE_TEXT)}\n    uses: []\n"
        "    source: paper\n"
    )


@cache
def hostile_root(tmp: str) -> Path:
    files = {
        # Two senses whose Mermaid ids met under the old encoding ('-' → '_', '#' → '_x23_').
        "terms/t-x23-s.yaml": _term("t-x23-s", "z", '=HYPERLINK("http://evil.example")'),
        "terms/t.yaml": _term("t", "s-x23-z", "+1+1", aliases='["a|b", "@SUM(A1)"]'),
        "terms/minus.yaml": _term("minus", "main", "-2+3"),
        "arguments/claim.yaml": (
            f"id: claim\ntitle: {json.dumps(HOSTILE_TEXT)}\nclaim: {json.dumps(HOSTILE_TEXT)}\n"
            "source: paper\nobjects_to: [t-x23-s#z]\nsupports: [t#s-x23-z]\n"
        ),
        "sources/paper.yaml": (
            f"id: paper\ntitle: {json.dumps(HOSTILE_TEXT)}\nkind: paper\n"
            'authors: ["Ada; Bob", "\\tTab"]\n'
        ),
    }
    return write_kb(Path(tmp), files, with_source=False)


@pytest.fixture(scope="module")
def bases(tmp_path_factory):
    return {
        "real": kb.load(REPO),
        "hostile": kb.load(hostile_root(str(tmp_path_factory.mktemp("hostile")))),
    }


def _strict_xml(text: str):
    try:
        return minidom.parseString(text.encode("utf-8"))
    except ExpatError as exc:  # pragma: no cover - the failure message is the point
        line = text.splitlines()[exc.lineno - 1]
        pytest.fail(f"not well-formed XML: {exc}: {line[:200]!r}")


@pytest.mark.parametrize("which", ["real", "hostile"])
def test_graphml_is_well_formed_with_nmtoken_ids_and_declared_references(bases, which):
    doc = _strict_xml(FORMATS["graphml"].generate(bases[which]))
    ids = {
        name: [e.getAttribute("id") for e in doc.getElementsByTagName(name)]
        for name in ("key", "node", "edge")
    }
    for name, values in ids.items():
        bad = [v for v in values if not NMTOKEN.fullmatch(v)]
        assert not bad, f"{name} ids that are not NMTOKENs: {bad[:5]}"
        assert len(values) == len(set(values)), f"{name} ids are not unique"
    nodes = set(ids["node"])
    for edge in doc.getElementsByTagName("edge"):
        assert {edge.getAttribute("source"), edge.getAttribute("target")} <= nodes
    keys = set(ids["key"])
    assert {d.getAttribute("key") for d in doc.getElementsByTagName("data")} <= keys
    assert sorted(map(original_id, nodes)) == sorted(bases[which].graph)


def test_graphml_ids_are_one_to_one():
    tricky = ["sense:a#b", "sense:a_23_b", "sense:a.b", "term:a_b", "term:a-b", "x:é", "x:_"]
    encoded = [graphml_id(text) for text in tricky]
    assert len(set(encoded)) == len(tricky)
    assert all(NMTOKEN.fullmatch(e) for e in encoded)
    assert [original_id(e) for e in encoded] == tricky


@pytest.mark.parametrize("which", ["real", "hostile"])
def test_gexf_is_well_formed_with_unique_referenced_ids(bases, which):
    doc = _strict_xml(FORMATS["gexf"].generate(bases[which]))
    nodes = [n.getAttribute("id") for n in doc.getElementsByTagName("node")]
    edges = [e.getAttribute("id") for e in doc.getElementsByTagName("edge")]
    assert len(nodes) == len(set(nodes)) and len(edges) == len(set(edges))
    for edge in doc.getElementsByTagName("edge"):
        assert {edge.getAttribute("source"), edge.getAttribute("target")} <= set(nodes)


def test_xml_exports_replace_what_xml_cannot_hold(bases):
    for fmt in ("graphml", "gexf"):
        doc = _strict_xml(FORMATS[fmt].generate(bases["hostile"]))
        text = doc.toxml()
        assert "a\ufffdb" in text and "\x07" not in text
        assert '<script>alert("x")</script>' not in text  # escaped as text, not markup
        assert "&lt;script&gt;" in text


def _cells(files: dict[str, str]):
    for name, text in files.items():
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                yield name, cell


@pytest.mark.parametrize("which", ["real", "hostile"])
def test_no_csv_cell_starts_a_formula(bases, which):
    files = FORMATS["csv"].generate(bases[which])
    risky = [(name, cell) for name, cell in _cells(files) if cell.startswith(FORMULA_STARTS)]
    assert risky == []


def test_csv_keeps_the_text_behind_the_quote(bases):
    cells = {cell for _, cell in _cells(FORMATS["csv"].generate(bases["hostile"]))}
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert "'+1+1" in cells and "'-2+3" in cells


def test_lossy_list_items_are_findings_not_silent_merges(bases):
    findings = [f for f in bases["hostile"].load_findings if "which the graph exports" in f.message]
    assert {f.location.path for f in findings} == {"terms/t.yaml", "sources/paper.yaml"}


def test_mermaid_gives_colliding_entries_their_own_boxes(bases):
    text = FORMATS["mermaid"].generate(bases["hostile"])
    boxes = re.findall(r'^  (\w+)\["', text, re.M)
    assert len(boxes) == len(set(boxes)) == bases["hostile"].graph.number_of_nodes()
    drawn = re.findall(r"^  (\S+) (?:-->|-\.->)\|(\w+)\| (\S+)$", text, re.M)
    assert len(drawn) == bases["hostile"].graph.number_of_edges()
    assert {u for u, _, _ in drawn} | {v for _, _, v in drawn} <= set(boxes)
    assert "\x07" not in text and "\x1b" not in text  # no control characters reach a terminal


def test_mermaid_says_how_to_draw_a_part_when_too_large(tmp_path):
    claims = {
        f"arguments/c{i:03}.yaml": f"id: c{i:03}\nclaim: Claim {i}.\nsource: paper\nsupports: [hub]\n"
        for i in range(260)
    }
    claims["arguments/hub.yaml"] = "id: hub\nclaim: The hub.\nsource: paper\n"
    root = write_kb(tmp_path, claims)
    text = FORMATS["mermaid"].generate(kb.load(root))
    first = text.splitlines()[0]
    assert first.startswith("%% this diagram has 521 links, more than the 500 Mermaid draws")
    assert "--focus ID" in first
    result = CliRunner().invoke(cli, ["export", "--format", "mermaid", str(root)])
    assert result.exit_code == 0
    assert "note: this diagram has 521 links" in result.output
    focused = FORMATS["mermaid"].generate(kb.load(root), focus="c001", depth=1)
    assert not focused.startswith("%%")


def test_argdown_statements_have_no_trailing_space(bases, tmp_path):
    path = FORMATS["argdown"].write(bases["hostile"], tmp_path / "hostile.argdown")
    parsed = argdown_json(path)
    texts = [m["text"] for s in parsed["statements"].values() for m in s["members"] if "text" in m]
    assert texts and all(text == text.strip() for text in texts), texts
    data = {title: s.get("data", {}) for title, s in parsed["statements"].items()}
    assert data["claim"]["title"] == HOSTILE_TEXT


def test_argdown_of_the_real_atlas_has_no_trailing_space(bases, tmp_path):
    parsed = argdown_json(FORMATS["argdown"].write(bases["real"], tmp_path / "atlas.argdown"))
    members = [m for s in parsed["statements"].values() for m in s["members"]]
    assert [m["text"] for m in members if m.get("text") and m["text"] != m["text"].strip()] == []


@pytest.mark.parametrize("which", ["real", "hostile"])
def test_json_export_is_strict_json(bases, which):
    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    data = json.loads(FORMATS["json"].generate(bases[which]), parse_constant=refuse)
    assert len(data["nodes"]) == bases[which].graph.number_of_nodes()
