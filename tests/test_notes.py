"""The editor's ``note`` on claims and senses: read with its position, checked by the schema,
carried by the exports, shown on the pages as "Editor's note"."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import markdown
import pyoxigraph as ox
import pytest

import kb
from kb.exporters import csv_folder, node_link
from kb.exporters.rdf import RDFS, SKOS, rdf_triples
from kb.rules import run_rules
from kb.site.claim_page import render_claim
from kb.site.context import SiteData
from kb.site.term_page import render_term
from tests.helpers import write_kb

BASE = "https://atlas.example/"
SENSE_NOTE = (
    "Filed here rather than under robust alignment: the remark says nothing about distributions."
)
CLAIM_NOTE = (
    'Recorded as an undercut: the reply opens "That\'s true but" and grants robust alignment.'
)
HOSTILE_NOTE = "<script>alert(1)</script> **not bold** [x](javascript:alert(2))"

TERM = f"""\
id: robust-alignment
label: robust alignment
senses:
  - id: main
    definition: The robust alignment notion.
    source: paper
    note: {json.dumps(SENSE_NOTE)}
"""

CLAIM = f"""\
id: swap-test
title: A swap test
claim: Robust alignment can be tested by swapping goals.
source: paper
supports: [robust-alignment#main]
note: {json.dumps(CLAIM_NOTE)}
"""


@pytest.fixture
def base(tmp_path):
    write_kb(tmp_path, {"terms/robust-alignment.yaml": TERM, "arguments/swap-test.yaml": CLAIM})
    return kb.load(tmp_path)


def render(md: str) -> str:
    return markdown.markdown(md, extensions=["attr_list", "md_in_html", "admonition"])


def test_notes_are_read_with_their_positions(base):
    sense = base.sense("robust-alignment#main")
    claim = base.claims["swap-test"]
    assert sense.note == SENSE_NOTE
    assert (sense.note_location.path, sense.note_location.line, sense.note_location.column) == (
        "terms/robust-alignment.yaml",
        7,
        11,
    )
    assert claim.note == CLAIM_NOTE
    assert (claim.note_location.line, claim.note_location.column) == (6, 7)


@pytest.mark.parametrize(
    ("where", "text"),
    [("terms/robust-alignment.yaml", TERM), ("arguments/swap-test.yaml", CLAIM)],
)
@pytest.mark.parametrize("bad", ["[a, b]", "{text: a}"])
def test_a_note_that_is_not_text_is_a_schema_error_at_its_line(tmp_path, where, text, bad):
    broken = re.sub(r"note: .*", f"note: {bad}", text)
    line = broken.splitlines().index(next(x for x in broken.splitlines() if "note:" in x)) + 1
    write_kb(tmp_path, {where: broken})
    findings = [f for f in run_rules(kb.load(tmp_path)) if f.code == "KB001"]
    assert [(f.location.path, f.location.line) for f in findings] == [(where, line)]
    assert "note" in findings[0].message


def test_rdf_carries_sense_and_claim_notes(base):
    triples = {(s, p, o) for s, p, o in rdf_triples(base, BASE)}
    notes = {(p, o.value) for s, p, o in triples if p in (SKOS.editorialNote, RDFS.comment)}
    assert notes == {(SKOS.editorialNote, SENSE_NOTE), (RDFS.comment, CLAIM_NOTE)}
    sense_subject = next(s for s, p, o in triples if p == SKOS.editorialNote)
    claim_subject = next(s for s, p, o in triples if p == RDFS.comment)
    assert (
        sense_subject,
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value"),
        ox.Literal("The robust alignment notion.", language="en"),
    ) in triples
    assert ox.Literal(CLAIM_NOTE, language="en") in {o for s, p, o in triples if s == claim_subject}


def test_json_and_csv_carry_the_notes(base):
    nodes = {n["entry_id"]: n for n in json.loads(node_link.generate(base))["nodes"]}
    assert nodes["robust-alignment#main"]["note"] == SENSE_NOTE
    assert nodes["swap-test"]["note"] == CLAIM_NOTE
    assert "note" not in nodes["paper"]
    rows = {
        r["entry_id"]: r
        for r in csv.DictReader(io.StringIO(csv_folder.generate(base)["nodes.csv"]))
    }
    assert rows["robust-alignment#main"]["note"] == SENSE_NOTE
    assert rows["swap-test"]["note"] == CLAIM_NOTE


def _editors_note(page: str) -> str:
    """The HTML inside the page's only "Editor's note" box."""
    boxes = re.findall(
        r'<div class="admonition note">\s*<p class="admonition-title">Editor\'s note</p>\s*(.*?)</div>',
        page,
        re.S,
    )
    assert len(boxes) == 1, page
    return boxes[0]


def _text(box: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", box)).strip()


def test_the_sense_card_shows_the_note(base):
    page = render(render_term(SiteData(base), base.terms["robust-alignment"]))
    card = re.search(r'<div class="kb-sense[^"]*">(.*)</div>', page, re.S).group(1)
    box = _editors_note(card)
    assert _text(box) == SENSE_NOTE
    assert "<a " not in box  # the page's own term stays plain


def test_the_claim_page_shows_the_note_with_terms_linked(base):
    box = _editors_note(render(render_claim(SiteData(base), base.claims["swap-test"])))
    assert _text(box) == CLAIM_NOTE
    # finished HTML (kb.site.aside): the link is at the built page's address
    assert '<a class="kb-term" href="../../terms/robust-alignment/">robust alignment</a>' in box


def test_a_hostile_note_renders_as_text(tmp_path):
    claim = CLAIM.replace(json.dumps(CLAIM_NOTE), json.dumps(HOSTILE_NOTE))
    write_kb(tmp_path, {"terms/robust-alignment.yaml": TERM, "arguments/swap-test.yaml": claim})
    base = kb.load(tmp_path)
    box = _editors_note(render(render_claim(SiteData(base), base.claims["swap-test"])))
    assert re.findall(r"<(\w+)", box) == ["p"]  # no element formed from the note's text
    assert _text(box) == HOSTILE_NOTE
