"""The RDF exports, written by pyoxigraph, against strict consumers and against rdflib.

- pyoxigraph (a strict parser) and rdflib read each of Turtle, N-Triples and JSON-LD back to
  the very triples the exporter built, on the real knowledge base, the export fixtures and a
  hostile knowledge base (URLs with bare ``%``, brackets, spaces and a second ``#``; text
  that looks like IRIs, prefixes, JSON-LD keywords; odd file names; every kind of quote);
- the fast writer and rdflib's own writer give isomorphic graphs;
- the exported literals carry the entries' texts exactly (escapes undone by the parser);
- the N-Triples lines are sorted and unique, and a large export written in two processes
  is byte for byte the export written in one (also when the second process dies);
- the triples are made of the same nodes and edges as the networkx graph;
- base IRIs: one ending in ``#`` gives valid IRIs with a single ``#``; one that is no IRI
  is refused for the ``--base-iri`` option (exit 2).
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

import kb
from kb.cli import cli
from kb.exporters import FORMATS, ExportError, rdf
from kb.exporters.rdf import build_rdf, encoded, in_two_processes, rdf_triples, safe_iri, to_rdflib
from kb.graph import build_graph, graph_edges, graph_nodes

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "export"

PARSERS = {
    "turtle": (ox.RdfFormat.TURTLE, "turtle"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "nt"),
    "jsonld": (ox.RdfFormat.JSON_LD, "json-ld"),
}

HOSTILE_URLS = [
    "https://example.org/100%/done",
    "https://example.org/a%2",
    "https://example.org/list[1]?q=[a,b]",
    "https://[2001:db8::1]:8080/path[x]",
    "https://example.org/a b/c\td",
    "https://example.org/page#part#two",
    "https://example.org/<script>{x}|y^`z\\",
    "https://exam[ple.org/x",
    "https://example.org/é?ü=ß#ç",
    "https://example.org/%41%zz%",
]

HOSTILE_TEXT = [
    'He said "yes" and \'no\' and “maybe” \\ \\" \\\\',
    "@id @context @graph @type @value @language",
    "kb:status atlas:term/x <http://evil.example/> _:b0 ?x $y",
    "multi\nline\n\ntext with trailing spaces   ",
    "emoji 🙂, right-to-left עברית, zero width\u200b, line separator\u2028end",
    "\"\"\"triple quotes\"\"\" and '''others'''",
    "# not a comment . ; , [ ] ( )",
]


def write_hostile_kb(root: Path) -> Path:
    """A small knowledge base whose every text and URL is hard to write as RDF."""
    for folder in ("terms", "arguments", "sources"):
        (root / folder).mkdir(parents=True)
    for i, url in enumerate(HOSTILE_URLS):
        text = HOSTILE_TEXT[i % len(HOSTILE_TEXT)]
        (root / "sources" / f"s{i}.yaml").write_text(
            f"id: s{i}\ntitle: {_quoted(text)}\nkind: post\nauthors: [{_quoted(text)}, A; B]\n"
            f"date: 2019-06-0{1 + i % 9}\nurl: {_quoted(url)}\n",
            "utf-8",
        )
    for i, text in enumerate(HOSTILE_TEXT):
        (root / "terms" / f"t{i}.yaml").write_text(
            f"id: t{i}\nlabel: {_quoted(f'term {i} {text}')}\naliases: [{_quoted(text + ' | alias')}]\n"
            f"note: {_quoted(text)}\nsenses:\n"
            f"  - id: a\n    definition: {_quoted(text)}\n    source: s{i}\n    locator: {_quoted(text)}\n"
            f"  - id: b\n    definition: {_quoted('other ' + text)}\n    source: s{i}\n"
            f"    conflicts_with: [t{i}#a]\n",
            "utf-8",
        )
        (root / "arguments" / f"c{i}.yaml").write_text(
            f"id: c{i}\ntitle: {_quoted(text)}\nclaim: {_quoted(text)}\nsource: s{i}\n"
            f"quote: {_quoted(text)}\nlocator: here\nobjects_to: [t{i}#b]\n"
            + (f"supports: [c{i - 1}]\n" if i else ""),
            "utf-8",
        )
    (root / "terms" / "ünïcode-ïd.yaml").write_text(
        "id: ünïcode-ïd\nlabel: unicode id\nsenses:\n  - id: a\n    definition: x\n", "utf-8"
    )
    return root


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    escaped = escaped.replace("\t", "\\t").replace("\u2028", "\\L").replace("\u200b", "\\u200b")
    return f'"{escaped}"'


def bases():
    hostile = write_hostile_kb_once()
    return {
        "real": kb.load(ROOT),
        "complete": kb.load(FIXTURES / "complete"),
        "nasty": kb.load(FIXTURES / "nasty"),
        "hostile": kb.load(hostile),
    }


_HOSTILE: list[Path] = []


def write_hostile_kb_once() -> Path:
    if not _HOSTILE:
        import tempfile

        _HOSTILE.append(write_hostile_kb(Path(tempfile.mkdtemp(prefix="kb-hostile-"))))
    return _HOSTILE[0]


@pytest.fixture(scope="module")
def knowledge_bases():
    return bases()


@pytest.mark.parametrize("fmt", list(PARSERS))
@pytest.mark.parametrize("name", ["real", "complete", "nasty", "hostile"])
def test_strict_and_lenient_parsers_read_back_every_triple(knowledge_bases, name, fmt):
    base = knowledge_bases[name]
    built = rdf_triples(base)
    text = FORMATS[fmt].generate(base)
    ox_format, rdflib_format = PARSERS[fmt]
    strict = {(t.subject, t.predicate, t.object) for t in ox.parse(text.encode(), format=ox_format)}
    assert strict == set(built)
    lenient = Graph().parse(data=text, format=rdflib_format)
    assert len(lenient) == len(built)
    assert isomorphic(lenient, to_rdflib(built))


def test_the_hostile_corpus_exercises_the_encoding(knowledge_bases):
    built = rdf_triples(knowledge_bases["hostile"])
    pages = {o.value for _, p, o in built if p.value == "http://xmlns.com/foaf/0.1/page"}
    assert len(pages) == len(HOSTILE_URLS)
    assert "https://example.org/100%25/done" in pages
    assert "https://example.org/list%5B1%5D?q=%5Ba,b%5D" in pages
    assert "https://[2001:db8::1]:8080/path%5Bx%5D" in pages
    assert "https://example.org/page#part%23two" in pages


@pytest.mark.parametrize("name", ["real", "complete", "hostile"])
def test_fast_writer_and_rdflib_writer_give_isomorphic_graphs(knowledge_bases, name):
    base = knowledge_bases[name]
    slow = Graph().parse(data=build_rdf(base).serialize(format="turtle"), format="turtle")
    fast = Graph().parse(data=FORMATS["turtle"].generate(base), format="turtle")
    assert len(fast) > 0
    assert isomorphic(slow, fast)


@pytest.mark.parametrize(
    "url, iri",
    [
        ("https://example.org/a%20b", "https://example.org/a%20b"),
        ("https://example.org/50%", "https://example.org/50%25"),
        ("https://example.org/x?a=[1]", "https://example.org/x?a=%5B1%5D"),
        ("http://[::1]/x", "http://[::1]/x"),
        ("https://example.org/a b", "https://example.org/a%20b"),
        ("https://example.org/#a#b", "https://example.org/#a%23b"),
        ("https://example.org/é", "https://example.org/é"),
    ],
)
def test_urls_become_iris(url, iri):
    assert safe_iri(url).value == iri


def test_base_iri_ending_in_hash_gives_one_hash_per_iri(knowledge_bases):
    base = knowledge_bases["complete"]
    text = FORMATS["ntriples"].generate(base, base_iri="https://example.org/atlas#")
    parsed = list(ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert len(parsed) == len(rdf_triples(base))
    iris = {
        term.value
        for t in parsed
        for term in (t.subject, t.predicate, t.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith("https://example.org/atlas#")
    }
    assert iris and all(iri.count("#") == 1 for iri in iris)
    assert "https://example.org/atlas#vocab/status" in iris


@pytest.mark.parametrize(
    "base_iri",
    [
        "https://example.org/a b/",
        "relative/path/",
        "https://example.org/x#y#",
        "https://e.org/%zz/",
    ],
)
def test_base_iris_that_are_no_iris_are_refused(knowledge_bases, base_iri, tmp_path):
    with pytest.raises(ExportError) as raised:
        FORMATS["turtle"].generate(knowledge_bases["complete"], base_iri=base_iri)
    assert raised.value.option == "--base-iri"
    result = CliRunner().invoke(
        cli, ["export", str(FIXTURES / "complete"), "--format", "turtle", "--base-iri", base_iri]
    )
    assert result.exit_code == 2
    assert "--base-iri" in result.output


def test_literals_carry_the_texts_exactly(knowledge_bases):
    text = FORMATS["ntriples"].generate(knowledge_bases["hostile"])
    notes = {
        t.object.value
        for t in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)
        if t.predicate.value == "http://www.w3.org/2004/02/skos/core#note"
    }
    assert notes == set(HOSTILE_TEXT)


@pytest.mark.parametrize("name", ["real", "hostile"])
def test_ntriples_lines_are_sorted_and_unique(knowledge_bases, name):
    text = FORMATS["ntriples"].generate(knowledge_bases[name])
    lines = text.split("\n")[:-1]  # not splitlines(): a text may hold U+2028, unescaped
    assert len(lines) == len(rdf_triples(knowledge_bases[name])) > 0
    assert lines == sorted(set(lines))


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "nt"])
@pytest.mark.parametrize("name", ["real", "hostile"])
def test_two_processes_write_the_bytes_of_one(knowledge_bases, monkeypatch, name, fmt):
    base = knowledge_bases[name]
    monkeypatch.setattr(rdf, "PARALLEL_FROM", 10**9)
    alone = encoded(base, fmt)
    monkeypatch.setattr(rdf, "PARALLEL_FROM", 0)
    monkeypatch.setattr(rdf, "_cpus", lambda: 2)
    shared = []
    monkeypatch.setattr(
        rdf, "in_two_processes", lambda *a: shared.append(1) or in_two_processes(*a)
    )
    assert encoded(base, fmt) == alone
    assert shared == ([] if fmt == "nt" else [1])
    assert alone.decode() == FORMATS[
        {"json-ld": "jsonld", "nt": "ntriples"}.get(fmt, fmt)
    ].generate(base)


def test_the_work_of_a_second_process_that_dies_is_done_here():
    parent = os.getpid()

    def work(job: str) -> bytes:
        if os.getpid() != parent:
            os._exit(3)  # the forked process dies without sending
        return job.encode()

    assert in_two_processes(work, "here", "there") == (b"here", b"there")


@pytest.mark.parametrize("name", ["real", "complete", "nasty", "hostile"])
def test_the_rdf_reads_the_nodes_and_edges_the_graph_is_made_of(knowledge_bases, name):
    base = knowledge_bases[name]
    graph = build_graph(base)
    nodes = graph_nodes(base)
    assert list(nodes.items()) == list(graph.nodes(data=True))
    edges = {(u, v, k): data for u, v, k, data in graph_edges(base, nodes)}
    assert edges == {(u, v, k): data for u, v, k, data in graph.edges(keys=True, data=True)}
