"""Class 5 of issue 11: ``kb query`` is local and bounded.

SERVICE and FROM are refused before anything runs (and the query's process has no network
at all); a query runs in a child process killed after ``--timeout``; more rows than
``--limit`` stop it. Each ends with exit 2 and a one-line message.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import kb
from kb.cli import cli
from kb.exporters.rdf import build_rdf
from kb.query import (
    QueryLimitExceeded,
    QueryRefused,
    _forbid_network,
    bounded_answer,
    refuse_remote,
)

ROOT = Path(__file__).parent / "fixtures" / "export" / "complete"
CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"


@pytest.fixture(scope="module")
def graph():
    return build_rdf(kb.load(ROOT))


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if anything in this process tries to open a connection."""
    attempts = []

    def record(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("kb query tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", record)
    monkeypatch.setattr(socket.socket, "connect", record)
    return attempts


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?s WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT ?s WHERE { service silent <https://example.org/sparql> { ?s ?p ?o } }",
        "SELECT ?s WHERE { ?s ?p ?o . OPTIONAL { SERVICE <http://x.example/> { ?s ?q ?r } } }",
        "SELECT ?s WHERE { { SELECT ?s WHERE { SERVICE <http://x.example/> { ?s ?p ?o } } } }",
        "ASK { SERVICE <http://x.example/> { ?s ?p ?o } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://x.example/> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_before_anything_runs(text, no_connections):
    with pytest.raises(QueryRefused, match="SERVICE is not allowed"):
        refuse_remote(text)
    result = CliRunner().invoke(cli, ["query", "--root", str(ROOT), text])
    assert result.exit_code == 2
    assert "SERVICE is not allowed: kb query never makes network requests" in result.output
    assert no_connections == []


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?s FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT ?s FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_from_is_refused(text, no_connections):
    result = CliRunner().invoke(cli, ["query", "--root", str(ROOT), text])
    assert result.exit_code == 2
    assert "FROM and FROM NAMED are not allowed" in result.output
    assert no_connections == []


def test_the_query_process_has_no_network():
    _forbid_network_in_a_child = _run_in_child(_try_to_connect)
    assert _forbid_network_in_a_child == "OSError: kb query makes no network requests"


def _try_to_connect():
    _forbid_network()
    try:
        socket.create_connection(("example.org", 80), timeout=1)
    except OSError as exc:
        return f"OSError: {exc}"
    return "connected"


def _run_in_child(function):
    import multiprocessing

    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        return pool.apply(function)


def test_a_runaway_query_is_stopped_at_the_timeout(graph):
    started = time.monotonic()
    with pytest.raises(QueryLimitExceeded, match=r"did not finish within 1 seconds \(--timeout\)"):
        bounded_answer(graph, CROSS_PRODUCT, timeout=1)
    assert time.monotonic() - started < 10  # stopped, not waited for


def test_the_command_line_stops_a_runaway_query_with_exit_2():
    result = CliRunner().invoke(
        cli, ["query", "--root", str(ROOT), "--timeout", "1", CROSS_PRODUCT]
    )
    assert result.exit_code == 2
    assert "did not finish within 1 seconds" in result.output and "raise --timeout" in result.output


def test_too_many_rows_stop_the_query(graph):
    with pytest.raises(QueryLimitExceeded, match=r"more than 5 rows \(--limit\)"):
        bounded_answer(graph, "SELECT * WHERE { ?s ?p ?o }", row_limit=5)
    with pytest.raises(QueryLimitExceeded, match="more than 5 rows"):
        bounded_answer(graph, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", row_limit=5)
    result = CliRunner().invoke(
        cli, ["query", "--root", str(ROOT), "--limit", "5", "SELECT * WHERE { ?s ?p ?o }"]
    )
    assert result.exit_code == 2 and "more than 5 rows (--limit)" in result.output


def test_queries_within_bounds_answer_as_before(graph):
    answer = bounded_answer(
        graph, "SELECT ?l WHERE { ?t a skos:Concept ; skos:prefLabel ?l } ORDER BY ?l LIMIT 2"
    )
    assert answer.splitlines()[0] == "l" and answer.splitlines()[-1] == "(2 rows)"
    assert bounded_answer(graph, "ASK { ?s ?p ?o }") == "true"


def test_the_defaults_are_documented_in_the_help():
    result = CliRunner().invoke(cli, ["query", "--help"])
    help_text = " ".join(result.output.split())
    assert "--timeout SECONDS" in help_text and "[default: 30.0; x>0]" in help_text
    assert "--limit ROWS" in help_text and "[default: 10000; x>=1]" in help_text
    assert "SERVICE and FROM are refused" in help_text


@pytest.mark.parametrize("option", [["--timeout", "0"], ["--timeout", "-1"], ["--limit", "0"]])
def test_nonsense_bounds_are_usage_errors(option):
    result = CliRunner().invoke(cli, ["query", "--root", str(ROOT), *option, "ASK {}"])
    assert result.exit_code == 2 and "Invalid value for" in result.output


def test_a_query_that_eats_memory_is_stopped(graph, monkeypatch):
    import kb.query

    monkeypatch.setattr(kb.query, "MEMORY_HEADROOM", 64 * 1024**2)
    with pytest.raises(QueryLimitExceeded, match="needs more memory than kb query allows"):
        bounded_answer(graph, CROSS_PRODUCT, timeout=60)
