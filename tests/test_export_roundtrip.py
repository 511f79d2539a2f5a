"""Nothing lost: graph → GraphML / GEXF / JSON / CSV → read back → the same graph; RDF → parsed
back by rdflib → the same triples. Run on both fixtures (complete and nasty text)."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic, to_isomorphic

from kb.exporters import FORMATS
from kb.exporters.graphml import edge_graphml_id, original_id
from kb.exporters.rdf import build_rdf
from tests.test_export_support import (
    csv_cell,
    edge_set,
    exported_nodes,
    fixture,
    node_table,
    read_csv,
)

FIXTURE_NAMES = ("complete", "nasty")


def link_attributes(graph, u: str, v: str, edge_type: str) -> dict:
    """An edge's attributes besides its type: an undercut names the link it attacks."""
    data = graph.edges[u, v, edge_type]
    return {name: data[name] for name in ("premise", "relation") if name in data}


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_graphml_reads_back_to_the_same_graph(name, tmp_path):
    base = fixture(name)
    path = FORMATS["graphml"].write(base, tmp_path / "atlas.graphml")
    read = nx.read_graphml(path, force_multigraph=True)
    back = nx.relabel_nodes(read, original_id)
    assert node_table(back) == exported_nodes(base.graph)
    assert edge_set(back) == edge_set(base.graph)
    assert all(
        data == {"type": data["type"], **link_attributes(base.graph, u, v, data["type"])}
        for u, v, data in back.edges(data=True)
    )
    assert {key for _, _, key in read.edges(keys=True)} == {
        edge_graphml_id(u, t, v) for u, v, t in edge_set(base.graph)
    }


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_gexf_reads_back_to_the_same_graph(name, tmp_path):
    base = fixture(name)
    path = FORMATS["gexf"].write(base, tmp_path / "atlas.gexf")
    back = nx.read_gexf(path)
    assert node_table(back) == exported_nodes(base.graph)
    edges = {(u, v, d["edge_type"]) for u, v, d in back.edges(data=True)}
    assert edges == edge_set(base.graph)
    for u, v, data in back.edges(data=True):
        kind = data["edge_type"]
        assert data == {
            "edge_type": kind,
            "label": kind,
            "id": f"{u}|{kind}|{v}",
            **link_attributes(base.graph, u, v, kind),
        }


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_json_reads_back_to_the_same_graph(name):
    base = fixture(name)
    data = json.loads(FORMATS["json"].generate(base))
    back = nx.node_link_graph(data, edges="edges")
    assert node_table(back) == exported_nodes(base.graph)
    assert sorted(back.edges(keys=True, data=True)) == sorted(
        base.graph.edges(keys=True, data=True)
    )
    assert back.is_directed() and back.is_multigraph()


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_csv_rows_hold_every_node_and_edge(name, tmp_path):
    base = fixture(name)
    folder = FORMATS["csv"].write(base, tmp_path / "atlas-csv")
    nodes = read_csv((folder / "nodes.csv").read_text("utf-8"))
    edges = read_csv((folder / "edges.csv").read_text("utf-8"))
    expected = {
        node: {k: csv_cell(v) for k, v in data.items()}
        for node, data in exported_nodes(base.graph).items()
    }
    assert {
        row["node"]: {k: v for k, v in row.items() if k != "node" and v != ""} for row in nodes
    } == expected
    assert {(e["source"], e["target"], e["type"]) for e in edges} == edge_set(base.graph)
    assert len(edges) == base.graph.number_of_edges()


def test_csv_header_starts_with_node_kind_id_label():
    files = FORMATS["csv"].generate(fixture("complete"))
    assert files["nodes.csv"].splitlines()[0].startswith("node,kind,entry_id,label,")
    assert files["edges.csv"].splitlines()[0] == "source,target,type,premise,relation"


@pytest.mark.parametrize("name", FIXTURE_NAMES)
@pytest.mark.parametrize(
    "fmt, rdflib_format", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")]
)
def test_rdf_parses_back_to_the_same_triples(name, fmt, rdflib_format):
    base = fixture(name)
    built = build_rdf(base)
    back = Graph().parse(data=FORMATS[fmt].generate(base), format=rdflib_format)
    assert len(back) == len(built) > 0
    assert isomorphic(back, built)
    assert set(to_isomorphic(back)) == set(to_isomorphic(built))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_is_byte_identical_across_runs_and_hash_seeds(fmt, tmp_path):
    """Two runs in fresh interpreters with different hash seeds give the same bytes."""
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / seed
        code = (
            "import kb, sys; from kb.exporters import write_export; "
            "write_export(kb.load(sys.argv[1]), sys.argv[2], sys.argv[3])"
        )
        subprocess.run(
            [sys.executable, "-c", code, str(fixture("complete").root), fmt, str(target)],
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        )
        files = sorted(target.iterdir()) if target.is_dir() else [target]
        outputs.append([f.read_bytes() for f in files])
    assert outputs[0] == outputs[1]
    assert outputs[0][0]


def test_graphml_text_is_sorted_by_node_id():
    text = FORMATS["graphml"].generate(fixture("complete"))
    ids = [line.split('"')[1] for line in text.splitlines() if line.strip().startswith("<node id=")]
    assert ids == sorted(ids) and len(ids) == fixture("complete").graph.number_of_nodes()


def test_ntriples_lines_are_sorted():
    lines = FORMATS["ntriples"].generate(fixture("complete")).splitlines()
    assert lines == sorted(lines)


def test_write_export_writes_each_format_and_rejects_unknown_names_and_options(tmp_path):
    from kb.exporters import ExportError, write_export

    base = fixture("complete")
    for name, exporter in FORMATS.items():
        written = write_export(base, name, tmp_path / exporter.filename("atlas"))
        assert written.is_dir() == exporter.folder and written.name == exporter.filename("atlas")
    with pytest.raises(ExportError, match="no export format is named 'xml'"):
        write_export(base, "xml", tmp_path / "x")
    with pytest.raises(ExportError, match="the graphml export takes no option focus"):
        FORMATS["graphml"].generate(base, focus="mesa-optimizer")


def test_real_knowledge_base_exports_in_every_format():
    """Smoke check on the atlas itself (its content changes; only that every format works)."""
    import kb
    from tests.test_export_support import REPO

    base = kb.load(REPO)
    for name, exporter in FORMATS.items():
        out = exporter.generate(base)
        assert all(out.values()) if exporter.folder else out, name
