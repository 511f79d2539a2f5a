"""Undercuts, layer by layer: the graph edge, the rules, every export, kb diff and kb new."""

from __future__ import annotations

import json

import jsonschema
import networkx as nx
import pytest
from rdflib import RDF, Graph, Namespace, URIRef

import kb
from kb.diff import compare, format_text
from kb.exporters import FORMATS
from kb.exporters.rdf import build_rdf
from kb.fmt import format_text as fmt_text
from kb.loader import schema
from kb.query import named_queries, run_query
from kb.rules import run_rules
from kb.templates import render_template
from tests.helpers import write_kb

# b supports c and objects to d; a undercuts both links; e grants b but says it bears on
# neither c nor d in the way b says.
CLAIMS = {
    "arguments/b.yaml": "id: b\nclaim: B.\nsource: paper\nsupports: [c]\nobjects_to: [d]\n",
    "arguments/c.yaml": "id: c\nclaim: C.\nsource: paper\n",
    "arguments/d.yaml": "id: d\nclaim: D.\nsource: paper\n",
    "arguments/a.yaml": (
        "id: a\nclaim: B holds, but it bears on neither.\nsource: paper\nundercuts:\n"
        "  - {claim: b, supports: c}\n  - {claim: b, objects_to: d}\n"
    ),
}


@pytest.fixture
def base(tmp_path):
    return kb.load(write_kb(tmp_path, dict(CLAIMS)))


def undercut_edges(graph):
    return {
        (u, v, data["premise"], data["relation"])
        for u, v, data in graph.edges(data=True)
        if data["type"] == "undercuts"
    }


def test_the_graph_has_one_typed_edge_per_undercut_link(base):
    assert undercut_edges(base.graph) == {
        ("claim:a", "claim:c", "b", "supports"),
        ("claim:a", "claim:d", "b", "objects_to"),
    }
    assert base.graph.edges["claim:a", "claim:c", "undercuts"]["type"] == "undercuts"


def test_links_into_one_target_share_the_edge_in_order(tmp_path):
    files = dict(CLAIMS)
    files["arguments/e.yaml"] = "id: e\nclaim: E.\nsource: paper\nsupports: [c]\n"
    files["arguments/a.yaml"] = (
        "id: a\nclaim: Neither bears on c.\nsource: paper\nundercuts:\n"
        "  - {claim: e, supports: c}\n  - {claim: b, supports: c}\n"
    )
    graph = kb.load(write_kb(tmp_path, files)).graph
    assert undercut_edges(graph) == {("claim:a", "claim:c", "e|b", "supports|supports")}


def test_an_undercut_of_a_missing_link_makes_no_edge_and_an_error(tmp_path):
    files = dict(CLAIMS)
    files["arguments/a.yaml"] = (
        "id: a\nclaim: A.\nsource: paper\nundercuts:\n  - {claim: b, objects_to: c}\n"
    )
    base = kb.load(write_kb(tmp_path, files))
    assert undercut_edges(base.graph) == set()
    (found,) = [f for f in run_rules(base) if f.name == "undercut-without-relation"]
    assert (found.location.path, found.location.line, found.location.column) == (
        "arguments/a.yaml",
        5,
        28,
    )
    assert found.hint == "claim 'b' supports 'c': write `supports: c`"


def test_undercutting_a_support_of_ones_own_backing_is_a_loop(tmp_path):
    files = dict(CLAIMS)
    files["arguments/c.yaml"] = "id: c\nclaim: C.\nsource: paper\nsupports: [a]\n"
    (found,) = [
        f for f in run_rules(kb.load(write_kb(tmp_path, files))) if f.name == "circular-undercut"
    ]
    assert found.message == (
        "claims undercut and support one another in a loop: a undercuts a link into c, c supports a"
    )
    assert {entry_id for _, entry_id in found.related} == {"a", "c"}


def test_a_clean_undercut_passes_every_rule(base):
    assert [f for f in run_rules(base) if f.severity != "info"] == []


def test_rdf_undercut_is_a_ca_node_concluding_the_attacked_scheme_node(base):
    rdf = Graph().parse(data=FORMATS["ntriples"].generate(base), format="nt")
    atlas, aif = "urn:example:alignment-atlas:", Namespace("http://www.arg.dundee.ac.uk/aif#")
    ra, ca = URIRef(atlas + "ra/b/claim/c"), URIRef(atlas + "ca/b/claim/d")
    assert (ra, RDF.type, aif["RA-node"]) in rdf and (ca, RDF.type, aif["CA-node"]) in rdf
    assert (ra, aif.Premise, URIRef(atlas + "claim/b")) in rdf
    undercuts = {
        (node, conclusion)
        for node in rdf.subjects(aif.Premise, URIRef(atlas + "claim/a"))
        if (node, RDF.type, aif["CA-node"]) in rdf
        for conclusion in rdf.objects(node, aif.Conclusion)
    }
    assert undercuts == {
        (URIRef(atlas + "ca/a/ra/b/claim/c"), ra),
        (URIRef(atlas + "ca/a/ca/b/claim/d"), ca),
    }


def test_json_export_carries_the_link_and_meets_its_schema(base):
    data = json.loads(FORMATS["json"].generate(base))
    jsonschema.validate(data, schema("graph-json"))
    (edge,) = [e for e in data["edges"] if e["type"] == "undercuts" and e["target"] == "claim:c"]
    assert (edge["source"], edge["premise"], edge["relation"]) == ("claim:a", "b", "supports")


def test_json_schema_refuses_an_undercut_without_its_link(base):
    data = json.loads(FORMATS["json"].generate(base))
    edge = next(e for e in data["edges"] if e["type"] == "undercuts")
    del edge["premise"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema("graph-json"))


def test_csv_edges_name_the_undercut_link(base):
    edges = FORMATS["csv"].generate(base)["edges.csv"].splitlines()
    assert edges[0] == "source,target,type,premise,relation"
    assert "claim:a,claim:d,undercuts,b,objects_to" in edges
    assert "claim:b,claim:c,supports,," in edges


def test_graphml_and_gexf_read_back_with_the_link_attributes(base, tmp_path):
    graphml = nx.read_graphml(FORMATS["graphml"].write(base, tmp_path / "a.graphml"))
    gexf = nx.read_gexf(FORMATS["gexf"].write(base, tmp_path / "a.gexf"))
    for graph, type_name in ((graphml, "type"), (gexf, "edge_type")):
        links = {
            (u, v, data["premise"], data["relation"])
            for u, v, data in graph.edges(data=True)
            if data[type_name] == "undercuts"
        }
        assert links == undercut_edges(base.graph)


def test_argdown_writes_each_undercut_link_as_an_argument(base):
    text = FORMATS["argdown"].generate(base)
    assert "  _> <b supports c>\n" in text and "  _> <b objects to d>\n" in text
    assert "<b objects to d>: The link\\: b objects to d\n  <+ [b]\n  -> [d]\n" in text


def test_kb_diff_names_the_undercut_link(tmp_path):
    old = kb.load(
        write_kb(tmp_path / "old", {k: v for k, v in CLAIMS.items() if "a.yaml" not in k})
    )
    new = kb.load(write_kb(tmp_path / "new", dict(CLAIMS)))
    report = format_text(compare(old, new, "old", "new"))
    assert "  + claim:a --undercuts (b supports)--> claim:c" in report
    assert "  + claim:a --undercuts (b objects_to)--> claim:d" in report
    moved = dict(CLAIMS)
    moved["arguments/a.yaml"] = CLAIMS["arguments/a.yaml"].replace("claim: B", "# moved\nclaim: B")
    same = kb.load(write_kb(tmp_path / "moved", moved))
    assert compare(new, same, "new", "moved").entries == []


def test_kb_new_claim_shows_how_to_undercut():
    text = render_template("claim", "x")
    assert "# undercuts:" in text and "#   - claim: other-claim-id" in text


def test_kb_fmt_writes_undercuts_as_a_block_list_with_plain_ids():
    messy = "id: a\nclaim: A.\nsource: paper\nundercuts: [{supports: c, claim: b}]\n"
    assert fmt_text(messy, "claim") == (
        "id: a\nclaim: >-\n  A.\nsource: paper\nundercuts:\n  - claim: b\n    supports: c\n"
    )


def test_named_queries_list_undercut_links_and_count_an_undercut_as_an_answer(base):
    rdf = build_rdf(base)
    rows = run_query(rdf, named_queries()["undercut-links"].text)
    links = {(str(r["premise"]), str(r["link_kind"]), str(r["target"])) for r in rows}
    atlas, aif = "urn:example:alignment-atlas:", "http://www.arg.dundee.ac.uk/aif#"
    assert links == {
        (atlas + "claim/b", aif + "RA-node", atlas + "claim/c"),
        (atlas + "claim/b", aif + "CA-node", atlas + "claim/d"),
    }
    assert {str(r["undercutter_label"]) for r in rows} == {"B holds, but it bears on neither."}
    assert list(run_query(rdf, named_queries()["unanswered-objections"].text)) == []
