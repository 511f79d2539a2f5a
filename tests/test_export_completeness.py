"""Every node kind, edge type and attribute of the graph reaches every format that can carry it.

The lists are enumerated from the code (``kb.graph.NODE_KINDS``, ``EDGE_TYPES``, the model's
dataclass fields), so a new edge type, kind or field fails here until each format carries it.
"""

from __future__ import annotations

import dataclasses
import json
import re
from xml.etree import ElementTree

import pytest
from rdflib import XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kb.exporters import DEFAULT_BASE_IRI, FORMATS
from kb.exporters.node_link import schema
from kb.exporters.rdf import (
    AIF,
    ARGUMENT_EDGES,
    COMMON_FIELDS,
    EDGE_PROPERTIES,
    NODE_FIELDS,
    RdfBuilder,
    build_rdf,
    rdf_triples,
    vocabulary,
)
from kb.exporters.rdf import (
    RDF as RDF_TERMS,
)
from kb.graph import EDGE_TYPES, NODE_KINDS
from kb.model import Claim, Sense, Source, Term
from tests.test_export_support import fixture, read_csv

#: Where each field of the model goes in the graph: a node attribute, an edge type, or a node.
FIELD_IN_GRAPH = {
    Term: {
        "id": "id",
        "label": "label",
        "location": "path,line",
        "senses": "node:sense",
        "aliases": "aliases",
        "status": "status",
        "primitive": "primitive",
        "broader": "edge:broader",
        "related": "edge:related",
        "replaced_by": "edge:replaced_by",
        "note": "note",
    },
    Sense: {
        "term_id": "term",
        "id": "id",
        "label": "sense_label",
        "definition": "definition",
        "source": "source",
        "quoted_in": "quoted_in",
        "location": "path,line",
        "uses": "edge:uses",
        "locator": "locator",
        "quote": "quote",
        "conflicts_with": "edge:conflicts_with",
        "refines": "edge:refines",
        "agrees_with": "edge:agrees_with",
        "note": "note",
    },
    Claim: {
        "id": "id",
        "claim": "text",
        "location": "path,line",
        "source": "source",
        "title": "title",
        "locator": "locator",
        "quote": "quote",
        "about": "edge:about",
        "supports": "edge:supports",
        "objects_to": "edge:objects_to",
        "undercuts": "edge:undercuts",
        "quoted_in": "quoted_in",
        "note": "note",
    },
    Source: {
        "id": "id",
        "title": "title",
        "type": "source_type",
        "location": "path,line",
        "authors": "authors",
        "author_note": "author_note",
        "date": "date",
        "url": "url",
        "part_of": "edge:part_of",
        "in_reply_to": "edge:in_reply_to",
        "references": "edge:references",
        "text": "text,archived",
        "description": "description",
    },
}
#: Fields that are about editing the YAML, not about the knowledge: positions of single values
#: and waivers of rule findings.
NOT_EXPORTED = {
    "alias_locations",
    "label_location",
    "definition_location",
    "claim_location",
    "quote_location",
    "text_location",
    "note_location",
    "waivers",
}
KIND_OF = {Term: "term", Sense: "sense", Claim: "claim", Source: "source"}


def graph():
    return fixture("complete").graph


def attributes_by_kind() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {kind: set() for kind in NODE_KINDS}
    for _, data in graph().nodes(data=True):
        found[data["kind"]] |= set(data)
    return found


def test_fixture_has_every_node_kind_and_edge_type():
    assert {kind for _, kind in graph().nodes(data="kind")} == set(NODE_KINDS)
    assert {key for _, _, key in graph().edges(keys=True)} == set(EDGE_TYPES)


@pytest.mark.parametrize("cls", list(FIELD_IN_GRAPH))
def test_every_model_field_is_in_the_graph_and_in_the_fixture(cls):
    fields = {f.name for f in dataclasses.fields(cls)} - NOT_EXPORTED
    assert fields == set(FIELD_IN_GRAPH[cls]), "a new model field: say where it goes in the graph"
    attrs = attributes_by_kind()[KIND_OF[cls]]
    for place in FIELD_IN_GRAPH[cls].values():
        if place.startswith("edge:"):
            assert place[5:] in EDGE_TYPES
        elif not place.startswith("node:"):
            assert set(place.split(",")) <= attrs, (
                f"the complete fixture lacks {place} on a {KIND_OF[cls]}"
            )


def test_json_schema_declares_exactly_the_attributes_of_each_kind():
    defs = schema()["$defs"]
    for kind, attrs in attributes_by_kind().items():
        declared = set(defs[f"{kind}_node"]["properties"]) - {"entry_id"}
        assert declared == attrs, kind
    assert defs["edge"]["properties"]["type"]["enum"] == list(EDGE_TYPES)


def all_attribute_names() -> set[str]:
    """Every node attribute name as the graph formats write it (``id`` is ``entry_id`` there)."""
    return (set().union(*attributes_by_kind().values()) - {"id"}) | {"entry_id"}


def test_graphml_declares_a_typed_key_for_every_attribute():
    root = ElementTree.fromstring(FORMATS["graphml"].generate(fixture("complete")))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {
        (k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.findall("g:key", ns)
    }
    assert {name for scope, name in keys if scope == "node"} == all_attribute_names()
    assert keys[("edge", "type")] == "string" and keys[("node", "primitive")] == "boolean"
    assert keys[("node", "line")] in ("int", "long")
    types = {
        d.text
        for d in root.iter("{http://graphml.graphdrawing.org/xmlns}data")
        if d.get("key") == "type"
    }
    assert types == set(EDGE_TYPES)


def test_gexf_declares_every_attribute():
    root = ElementTree.fromstring(FORMATS["gexf"].generate(fixture("complete")))
    ns = "{http://www.gexf.net/1.2draft}"
    titles = {
        (a.get("class"), attr.get("title")) for a in root.iter(f"{ns}attributes") for attr in a
    }
    node_titles = {t for c, t in titles if c == "node"} | {
        "label"
    }  # label is GEXF's own node label
    assert node_titles == all_attribute_names()
    assert ("edge", "edge_type") in titles
    assert {e.get("label") for e in root.iter(f"{ns}edge")} == set(EDGE_TYPES)


def test_csv_has_a_column_for_every_attribute_and_every_edge_type():
    files = FORMATS["csv"].generate(fixture("complete"))
    columns = set(files["nodes.csv"].splitlines()[0].split(","))
    assert columns == all_attribute_names() | {"node"}
    assert {row["type"] for row in read_csv(files["edges.csv"])} == set(EDGE_TYPES)


def test_json_carries_every_edge_type():
    data = json.loads(FORMATS["json"].generate(fixture("complete")))
    assert {edge["type"] for edge in data["edges"]} == set(EDGE_TYPES)


def test_rdf_maps_every_edge_type_once():
    assert set(EDGE_PROPERTIES) | set(ARGUMENT_EDGES) | {"undercuts"} == set(EDGE_TYPES)
    assert not set(EDGE_PROPERTIES) & set(ARGUMENT_EDGES)


def test_rdf_carries_every_attribute_of_every_node():
    builder = RdfBuilder("urn:example:test:")
    rdf = builder.build(graph())
    for node, data in graph().nodes(data=True):
        subject = builder.iri(node)
        for name, value in data.items():
            fields = {**COMMON_FIELDS, **NODE_FIELDS[data["kind"]]}[name]
            for field in fields if isinstance(fields, tuple) else (fields,):
                for obj in field.objects(builder, value):
                    triple = (
                        (obj, field.predicate(builder), subject)
                        if field.reverse
                        else (subject, field.predicate(builder), obj)
                    )
                    assert triple in rdf, f"{node} {name}"


def test_rdf_carries_every_edge():
    builder = RdfBuilder("urn:example:test:")
    rdf = builder.build(graph())
    for u, v, key, data in graph().edges(keys=True, data=True):
        s, o = builder.iri(u), builder.iri(v)
        if key == "undercuts":
            attacked = builder.scheme_iri(f"claim:{data['premise']}", v, data["relation"])
            assert (attacked, AIF.Conclusion, o) in rdf
            assert any(
                (n, RDF_TERMS.type, AIF["CA-node"]) in rdf and (n, AIF.Conclusion, attacked) in rdf
                for n in rdf.subjects(AIF.Premise, s)
            ), (u, key, v)
        elif key in ARGUMENT_EDGES:
            node_class = ARGUMENT_EDGES[key][1]
            assert any(
                (n, RDF_TERMS.type, node_class) in rdf and (n, AIF.Conclusion, o) in rdf
                for n in rdf.subjects(AIF.Premise, s)
            ), (u, key, v)
        else:
            predicate, reverse = EDGE_PROPERTIES[key]
            assert ((o, predicate(builder), s) if reverse else (s, predicate(builder), o)) in rdf, (
                u,
                key,
                v,
            )


def test_rdf_never_links_two_i_nodes_directly():
    rdf = rdf_triples(fixture("complete"))
    i_nodes = set(rdf.subjects(RDF_TERMS.type, AIF["I-node"]))
    kb = vocabulary(DEFAULT_BASE_IRI)
    not_arguments = {kb.refines, kb.agreesWith}  # a sense narrowing or agreeing with another
    direct = [
        (s, p, o) for s, p, o in rdf if s in i_nodes and o in i_nodes and p not in not_arguments
    ]
    assert direct == []
    assert len(set(rdf.subjects(RDF_TERMS.type, AIF["RA-node"]))) == sum(
        1 for *_, k in graph().edges(keys=True) if k == "supports"
    )
    assert len(set(rdf.subjects(RDF_TERMS.type, AIF["CA-node"]))) == sum(
        1
        for *_, k in graph().edges(keys=True)
        if k in ("objects_to", "conflicts_with", "undercuts")
    )


def argument_edges():
    return {
        (u.split(":", 1)[1], v.split(":", 1)[1], k)
        for u, v, k in graph().edges(keys=True)
        if k in ("supports", "objects_to")
    }


def test_argdown_has_every_claim_and_every_support_and_attack():
    text = FORMATS["argdown"].generate(fixture("complete"))
    titles = set(re.findall(r"^\[([^\]]+)\]:", text, re.M))
    claims = {n.split(":", 1)[1] for n, kind in graph().nodes(data="kind") if kind == "claim"}
    assert claims <= titles
    relations, undercuts, links, current = set(), set(), {}, None
    for line in text.splitlines():
        if m := re.match(r"^\[([^\]]+)\]:", line):
            current = m.group(1)
        elif m := re.match(r"^<([^>]+)>:", line):
            current = "<" + m.group(1)
        elif m := re.match(r"^  ([+-]>) \[([^\]]+)\]$", line):
            relation = {"+>": "supports", "->": "objects_to"}[m.group(1)]
            if current.startswith("<"):
                links[current[1:]] = (*links[current[1:]], relation, m.group(2))
            else:
                relations.add((current, m.group(2), relation))
        elif m := re.match(r"^  <\+ \[([^\]]+)\]$", line):
            links[current[1:]] = (m.group(1),)
        elif m := re.match(r"^  _> <([^>]+)>$", line):
            undercuts.add((current, m.group(1)))
    assert relations == argument_edges()
    expected = {
        (u.split(":", 1)[1], premise, relation, v.split(":", 1)[1])
        for u, v, data in graph().edges(data=True)
        if data["type"] == "undercuts"
        for premise, relation in zip(
            data["premise"].split("|"), data["relation"].split("|"), strict=True
        )
    }
    assert expected, "the complete fixture has an undercut"
    assert {(u, *links[name]) for u, name in undercuts} == expected


@pytest.mark.parametrize("fmt", ["dot", "mermaid"])
def test_drawings_have_every_node_and_every_typed_edge(fmt):
    text = FORMATS[fmt].generate(fixture("complete"))
    module = __import__(f"kb.exporters.{fmt}", fromlist=["x"])
    quote = module.quoted if fmt == "dot" else module.node_id
    for node in graph():
        assert quote(node) in text
    arrow = re.compile(r"^\s+(\S+) (?:->|-->|-\.->) ?(?:\|(\w+)\| )?(\S+)(?: \[label=(\w+))?", re.M)
    drawn = {(m.group(1), m.group(3), m.group(2) or m.group(4)) for m in arrow.finditer(text)}
    assert drawn == {(quote(u), quote(v), k) for u, v, k in graph().edges(keys=True)}


def test_rdf_literals_carry_datatypes_and_language():
    rdf = build_rdf(fixture("complete"))
    atlas, vocab = "urn:example:alignment-atlas:", "urn:example:alignment-atlas:vocab#"
    term = URIRef(atlas + "term/base-optimizer")
    assert (term, URIRef(vocab + "primitive"), Literal(True)) in rdf
    assert (term, URIRef(vocab + "line"), Literal(1)) in rdf
    assert (term, SKOS.prefLabel, Literal("base optimizer", lang="en")) in rdf
    dates = {str(o.datatype) for o in rdf.objects(None, DCTERMS.date)}
    assert dates == {str(XSD.date), str(XSD.gYearMonth), str(XSD.gYear)}
