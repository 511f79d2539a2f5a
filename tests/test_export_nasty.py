"""Quotes, newlines, backslashes, ``<``, ``&`` and non-ASCII survive every format.

The ``nasty`` fixture puts the same hostile string in every text field; each test reads one
format back with a parser (or undoes the format's documented escaping) and finds the text.
"""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef

from kb.exporters import FORMATS
from tests.test_export_support import NASTY, fixture, read_csv

CLAIM = "claim:odd-claim"
ATLAS = "urn:example:alignment-atlas:"


def base():
    return fixture("nasty")


def test_fixture_really_is_nasty():
    text = base().graph.nodes[CLAIM]["text"]
    assert text == "claim " + NASTY
    assert all(ch in text for ch in ('"', "'", "\\", "<", "&", "\n", "ü", "日", "😀"))


@pytest.mark.parametrize(
    "fmt, reader",
    [
        ("graphml", lambda p: nx.read_graphml(p, force_multigraph=True)),
        ("gexf", nx.read_gexf),
    ],
)
def test_xml_formats_are_well_formed_and_keep_the_text(fmt, reader, tmp_path):
    path = FORMATS[fmt].write(base(), tmp_path / f"atlas.{fmt}")
    ElementTree.parse(path)
    graph = reader(path)
    assert graph.nodes[CLAIM]["text"] == "claim " + NASTY
    assert graph.nodes["term:odd-term"]["aliases"] == "alias " + NASTY
    assert (
        graph.nodes["source:odd-source"]["authors"]
        == 'Ann "The" O\'Brien <ann@example.org> & Zoë 日本'
    )


def test_json_keeps_the_text():
    data = json.loads(FORMATS["json"].generate(base()))
    claim = next(n for n in data["nodes"] if n["id"] == CLAIM)
    assert claim["text"] == "claim " + NASTY and claim["quote"] == "quote " + NASTY


def test_csv_keeps_the_text():
    rows = read_csv(FORMATS["csv"].generate(base())["nodes.csv"])
    claim = next(r for r in rows if r["node"] == CLAIM)
    assert claim["text"] == "claim " + NASTY and claim["locator"] == "locator " + NASTY


@pytest.mark.parametrize(
    "fmt, parser", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")]
)
def test_rdf_keeps_the_text(fmt, parser):
    rdf = Graph().parse(data=FORMATS[fmt].generate(base()), format=parser)
    claim = URIRef(ATLAS + "claim/odd-claim")
    aif_text = URIRef("http://www.arg.dundee.ac.uk/aif#claimText")
    assert set(rdf.objects(claim, aif_text)) == {Literal("claim " + NASTY, lang="en")}
    skos_alt = URIRef("http://www.w3.org/2004/02/skos/core#altLabel")
    assert set(rdf.objects(URIRef(ATLAS + "term/odd-term"), skos_alt)) == {
        Literal("alias " + NASTY, lang="en")
    }


def test_rdf_agent_iri_of_a_nasty_name_is_valid():
    rdf = Graph().parse(data=FORMATS["ntriples"].generate(base()), format="nt")
    foaf_name = URIRef("http://xmlns.com/foaf/0.1/name")
    (agent,) = rdf.subjects(foaf_name, Literal('Ann "The" O\'Brien <ann@example.org> & Zoë 日本'))
    assert not re.search(r'[\s<>"{}|\\^`]', str(agent))


def unescape_argdown(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_argdown_keeps_the_text_on_one_line():
    text = FORMATS["argdown"].generate(base())
    line = next(line for line in text.splitlines() if line.startswith("[odd-claim]: "))
    body = line[len("[odd-claim]: ") :]
    data = next(line for line in text.splitlines() if line.startswith("[odd-claim]{kind: "))
    assert unescape_argdown(body) == "claim " + NASTY.replace("\n", " ")
    assert (
        json.loads(
            data.split("title: ", 1)[1]
            .split(", source: ")[0]
            .replace("\\u007b", "{")
            .replace("\\u007d", "}")
        )
        == "title " + NASTY
    )


def unescape_dot(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def test_dot_label_shows_the_text():
    text = FORMATS["dot"].generate(base())
    line = next(line for line in text.splitlines() if line.startswith('  "claim:odd-claim" ['))
    label = re.match(r'  "claim:odd-claim" \[label="((?:[^"\\]|\\.)*)", kind=claim', line).group(1)
    assert unescape_dot(label) == "title " + NASTY


def unescape_mermaid(text: str) -> str:
    entities = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}
    text = text.replace("<br>", "\n")
    return re.sub(r"#(\w+);", lambda m: entities.get(m.group(1)) or chr(int(m.group(1))), text)


def test_mermaid_label_shows_the_text():
    text = FORMATS["mermaid"].generate(base())
    line = next(line for line in text.splitlines() if line.startswith("  claim_odd_claim["))
    label = re.match(r'  claim_odd_claim\["([^"]*)"\]:::claim$', line).group(1)
    assert "<b>" not in label and '"' not in label
    assert unescape_mermaid(label) == "title " + NASTY
