"""The exports checked by tools we did not write: pyoxigraph, pyshacl, python-igraph and the
official Argdown command line (``@argdown/cli``, pinned in package-lock.json)."""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from collections import Counter
from importlib import resources

import igraph
import pyoxigraph
import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kb.exporters import FORMATS
from kb.exporters.graphml import original_id
from kb.exporters.rdf import build_rdf
from kb.query import named_queries, prologue, run_query
from tests.test_export_support import REPO, fixture

FIXTURE_NAMES = ("complete", "nasty")
ARGDOWN = REPO / "node_modules" / ".bin" / "argdown"


# -- pyoxigraph: the same SPARQL answers as rdflib -----------------------------------------


def rows_from_rdflib(result) -> list[tuple[str, ...]]:
    return [tuple("" if value is None else str(value) for value in row) for row in result]


def rows_from_oxigraph(solutions) -> list[tuple[str, ...]]:
    names = [v.value for v in solutions.variables]
    return [
        tuple("" if row[name] is None else row[name].value for name in names) for row in solutions
    ]


@pytest.mark.parametrize(
    "fmt, ox_format",
    [("turtle", pyoxigraph.RdfFormat.TURTLE), ("ntriples", pyoxigraph.RdfFormat.N_TRIPLES)],
)
@pytest.mark.parametrize("query_name", sorted(named_queries()))
def test_pyoxigraph_gives_the_same_answers_as_rdflib(fmt, ox_format, query_name):
    base = fixture("complete")
    store = pyoxigraph.Store()
    store.load(FORMATS[fmt].generate(base), format=ox_format)
    assert len(store) == len(build_rdf(base))
    text = named_queries()[query_name].text
    ours = rows_from_rdflib(run_query(build_rdf(base), text))
    theirs = rows_from_oxigraph(store.query(prologue() + text))
    assert theirs == ours


def test_pyoxigraph_finds_the_unanswered_objection():
    store = pyoxigraph.Store()
    store.load(FORMATS["turtle"].generate(fixture("complete")), format=pyoxigraph.RdfFormat.TURTLE)
    rows = rows_from_oxigraph(
        store.query(prologue() + named_queries()["unanswered-objections"].text)
    )
    assert rows == [
        (
            "urn:example:alignment-atlas:claim/heuristics-suffice",
            "Heuristics suffice",
            "urn:example:alignment-atlas:claim/heuristics-do-not-scale",
            "Heuristics do not scale",
        )
    ]


# -- pyshacl: the SKOS part against shapes written from the SKOS integrity conditions -------


def shapes() -> Graph:
    text = resources.files("kb.exporters").joinpath("skos-shapes.ttl").read_text("utf-8")
    return Graph().parse(data=text, format="turtle")


def validate(data: Graph) -> tuple[bool, str]:
    conforms, _, report = pyshacl.validate(data, shacl_graph=shapes(), advanced=True)
    return conforms, report


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_skos_part_passes_shacl(name):
    conforms, report = validate(build_rdf(fixture(name)))
    assert conforms, report


ATLAS = "urn:example:alignment-atlas:"
MESA, LEARNED = URIRef(ATLAS + "term/mesa-optimizer"), URIRef(ATLAS + "term/learned-optimizer")


def _alt_equals_pref(g):
    g.add((MESA, SKOS.altLabel, Literal("mesa-optimizer", lang="en")))


def _two_pref_labels(g):
    g.add((MESA, SKOS.prefLabel, Literal("mesa optimizer", lang="en")))


def _related_and_broader(g):
    g.add((MESA, SKOS.related, LEARNED))
    g.add((LEARNED, SKOS.related, MESA))


def _broader_without_narrower(g):
    g.remove((LEARNED, SKOS.narrower, MESA))


def _concept_outside_scheme(g):
    g.remove((MESA, SKOS.inScheme, None))


@pytest.mark.parametrize(
    "break_it, condition",
    [
        (_alt_equals_pref, "S13"),
        (_two_pref_labels, "S14"),
        (_related_and_broader, "S27"),
        (_broader_without_narrower, "S25"),
        (_concept_outside_scheme, "exactly one skos:ConceptScheme"),
    ],
)
def test_shacl_shapes_catch_each_broken_integrity_condition(break_it, condition):
    data = build_rdf(fixture("complete"))
    break_it(data)
    conforms, report = validate(data)
    assert not conforms
    assert condition in report


# -- python-igraph: the GraphML export loads with the same counts ------------------------


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_igraph_reads_graphml_with_the_same_counts(name, tmp_path):
    base = fixture(name)
    path = FORMATS["graphml"].write(base, tmp_path / "atlas.graphml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # igraph warns when it cannot keep the node ids
        g = igraph.Graph.Read_GraphML(str(path))
    assert g.is_directed()
    assert (g.vcount(), g.ecount()) == (base.graph.number_of_nodes(), base.graph.number_of_edges())
    assert Counter(g.vs["kind"]) == Counter(kind for _, kind in base.graph.nodes(data="kind"))
    assert Counter(g.es["type"]) == Counter(key for *_, key in base.graph.edges(keys=True))
    assert sorted(map(original_id, g.vs["id"])) == sorted(base.graph)
    assert sorted(g.vs["entry_id"]) == sorted(data["id"] for _, data in base.graph.nodes(data=True))


# -- the official Argdown parser: same statements and relations ---------------------------


def argdown_json(path) -> dict:
    if not ARGDOWN.exists():
        pytest.fail(
            "the Argdown CLI is not installed: run `npm ci` at the repository root "
            "(scripts/test does) to install @argdown/cli from package-lock.json"
        )
    if shutil.which("node") is None:
        pytest.fail("Node.js is needed to run the Argdown CLI")
    done = subprocess.run(
        [str(ARGDOWN), "json", "--stdout", "--silent", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


def our_statements(base) -> dict[str, str]:
    graph = base.graph
    targets = {v for _, v, k in graph.edges(keys=True) if k in ("supports", "objects_to")}
    out = {}
    for node, data in graph.nodes(data=True):
        if data["kind"] == "claim" or (data["kind"] == "sense" and node in targets):
            out[node.split(":", 1)[1]] = data.get("text") or data["definition"]
    return out


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_argdown_cli_parses_the_export_with_the_same_statements_and_relations(name, tmp_path):
    base = fixture(name)
    parsed = argdown_json(FORMATS["argdown"].write(base, tmp_path / "atlas.argdown"))
    texts = {
        title: " ".join(next(m["text"] for m in s["members"] if m.get("text")).split())
        for title, s in parsed["statements"].items()
    }
    assert texts == {title: " ".join(text.split()) for title, text in our_statements(base).items()}
    relations = {(r["from"], r["to"], r["relationType"]) for r in parsed["relations"]}
    kinds = {"supports": "support", "objects_to": "attack"}
    expected = {
        (u.split(":", 1)[1], v.split(":", 1)[1], kinds[k])
        for u, v, k in base.graph.edges(keys=True)
        if k in kinds
    }
    for u, v, data in base.graph.edges(data=True):
        if data["type"] == "undercuts":
            claim, target = u.split(":", 1)[1], v.split(":", 1)[1]
            for premise, relation in zip(
                data["premise"].split("|"), data["relation"].split("|"), strict=True
            ):
                link = f"{premise} {relation.replace('_', ' ')} {target}"
                expected |= {
                    (claim, link, "undercut"),
                    (premise, link, "support"),
                    (link, target, kinds[relation]),
                }
    assert relations == expected
    assert set(parsed["arguments"]) == {link for _, link, kind in expected if kind == "undercut"}
    claim_titles = {
        s["data"]["title"] for s in parsed["statements"].values() if "title" in s.get("data", {})
    }
    assert claim_titles == {c.title for c in base.claims.values() if c.title}
