"""``kb export`` and ``kb query`` from the command line: output, files, exit codes, messages."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.exporters import FORMATS
from tests.test_export_support import FIXTURES, fixture

ROOT = str(FIXTURES / "complete")


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.mark.parametrize("fmt", [name for name, e in FORMATS.items() if not e.folder])
def test_export_to_stdout_is_the_generated_text(fmt):
    result = run("export", ROOT, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout == FORMATS[fmt].generate(fixture("complete"))


def test_export_to_a_file_and_a_folder(tmp_path):
    result = run("export", ROOT, "-f", "turtle", "-o", str(tmp_path / "out" / "atlas.ttl"))
    assert result.exit_code == 0 and result.stdout == ""
    assert (tmp_path / "out" / "atlas.ttl").read_text("utf-8") == FORMATS["turtle"].generate(
        fixture("complete")
    )
    result = run("export", ROOT, "-f", "csv", "-o", str(tmp_path / "csv"))
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == ["edges.csv", "nodes.csv"]


def test_base_iri_changes_every_atlas_iri():
    result = run("export", ROOT, "-f", "ntriples", "--base-iri", "https://atlas.example.org/id/")
    assert result.exit_code == 0
    assert "<https://atlas.example.org/id/term/mesa-optimizer>" in result.stdout
    assert "urn:example:alignment-atlas:" not in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["-f", "csv"], "the csv export is a folder of files: give it with -o DIR"),
        (
            ["-f", "turtle", "--focus", "mesa-optimizer"],
            "--focus applies to dot, mermaid, not to turtle",
        ),
        (
            ["-f", "graphml", "--base-iri", "https://x.org/"],
            "--base-iri applies to turtle, jsonld, ntriples, not to graphml",
        ),
        (["-f", "dot", "--depth", "2"], "--depth needs --focus"),
        (["-f", "dot", "--focus", "heuristics"], "no entry is named 'heuristics'; did you mean"),
        (["-f", "turtle", "--base-iri", "not an iri"], "the base IRI must be an absolute IRI"),
        (["-f", "turtle", "--base-iri", "https://x.org/atlas"], "must end in '/', '#' or ':'"),
        (["-f", "xml"], "'xml' is not one of"),
    ],
)
def test_export_usage_errors_exit_2_with_a_reason(args, message):
    result = run("export", ROOT, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_export_of_a_folder_without_data_exits_2(tmp_path):
    result = run("export", str(tmp_path), "-f", "json")
    assert result.exit_code == 2


def test_export_to_an_unwritable_place_exits_2(tmp_path):
    (tmp_path / "file").write_text("x")
    result = run("export", ROOT, "-f", "json", "-o", str(tmp_path / "file" / "atlas.json"))
    assert result.exit_code == 2
    assert "cannot write" in result.output


def test_focus_draws_the_neighbourhood_only():
    result = run("export", ROOT, "-f", "mermaid", "--focus", "heuristics-suffice", "--depth", "0")
    assert result.exit_code == 0
    nodes = [line for line in result.stdout.splitlines() if ":::" in line]
    assert nodes == ['  claim_heuristics_suffice["Heuristics suffice"]:::claim']
    one = run("export", ROOT, "-f", "dot", "--focus", "claim:heuristics-suffice").stdout
    assert '"claim:heuristics-do-not-scale"' in one and '"source:a-comment"' in one
    assert '"term:base-optimizer"' not in one
    sense = run(
        "export", ROOT, "-f", "dot", "--focus", "mesa-optimizer#loose", "--depth", "1"
    ).stdout
    assert '"sense:mesa-optimizer#loose" -> "term:mesa-optimizer"' in sense


def test_help_lists_formats_and_examples():
    result = run("export", "--help")
    assert "Examples:" in result.output and all(name in result.output for name in FORMATS)
    assert "Examples:" in run("query", "--help").output


def test_query_table():
    result = run(
        "query",
        "--root",
        ROOT,
        "SELECT ?label WHERE { ?t a skos:Concept ; skos:prefLabel ?label } ORDER BY ?label",
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "label",
        "-------------------",
        "base optimizer",
        "inner alignment",
        "learned optimizer",
        "mesa-optimizer",
        "optimization daemon",
        "(5 rows)",
    ]


def test_query_json_and_csv_are_sparql_result_formats():
    text = 'SELECT ?t WHERE { ?t kb:status "contested" }'
    data = json.loads(run("query", "--root", ROOT, "--format", "json", text).stdout)
    assert data["head"]["vars"] == ["t"]
    assert data["results"]["bindings"] == [
        {"t": {"type": "uri", "value": "urn:example:alignment-atlas:term/learned-optimizer"}}
    ]
    rows = list(
        csv.reader(io.StringIO(run("query", "--root", ROOT, "--format", "csv", text).stdout))
    )
    assert rows == [["t"], ["urn:example:alignment-atlas:term/learned-optimizer"]]


def test_query_ask_and_stdin():
    assert run("query", "--root", ROOT, "ASK { ?ra a aif:RA-node }").stdout == "true\n"
    result = run("query", "--root", ROOT, "-", input='ASK { ?c kb:status "nonsense" }')
    assert result.stdout == "false\n"


def test_named_queries_list_and_run():
    listed = run("query", "--list").stdout
    assert "unanswered-objections" in listed and "contested-dependencies" in listed
    result = run("query", "--root", ROOT, "--named", "contested-dependencies", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["term"].rsplit("/", 1)[1], r["sense"].split("sense/", 1)[1]) for r in rows] == [
        ("inner-alignment", "inner-alignment/main"),
        ("mesa-optimizer", "mesa-optimizer/loose"),
        ("mesa-optimizer", "mesa-optimizer/rlo"),
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "give either a SPARQL query or --named NAME"),
        (["--named", "nope"], "no named query is called 'nope'"),
        (["SELECT ?x WHERE { ?x a skos:Concept "], "the query is not valid SPARQL"),
        (["SELECT ?x\nWHERE { ?x ?y }"], "(line 2, column"),
        (["--base-iri", "nope", "ASK {}"], "the base IRI must be an absolute IRI"),
    ],
)
def test_query_errors_exit_2(args, message):
    result = run("query", "--root", ROOT, *args)
    assert result.exit_code == 2
    assert message in result.output
