"""Past one process: the N-Triples export bulk-loads into a persistent RDF store (pyoxigraph,
on disk in tmp_path), and every named query answers there exactly as ``kb query`` does.

This is what an analyst who outgrows the in-memory graph does (README, "Speed"): export once,
load into a store that lives on disk, query it as often as needed. The store is closed and
reopened read-only before querying, so the answers come from what was written to disk.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.query import named_queries, prologue

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_BASES = {"real": ROOT, "complete": ROOT / "tests" / "fixtures" / "export" / "complete"}


def kb_command(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module", params=list(KNOWLEDGE_BASES))
def store_path(request, tmp_path_factory) -> tuple[Path, Path]:
    """The knowledge base and a store on disk holding its N-Triples export."""
    root = KNOWLEDGE_BASES[request.param]
    folder = tmp_path_factory.mktemp(f"store-{request.param}")
    export = folder / "atlas.nt"
    kb_command("export", str(root), "--format", "ntriples", "-o", str(export))
    store = ox.Store(str(folder / "store"))
    store.bulk_load(path=str(export), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    assert len(store) == sum(1 for line in export.open("rb") if line.strip())
    del store  # closed: the queries below read what is on disk
    return root, folder / "store"


def answers_of_kb_query(root: Path, name: str) -> list[list[str]]:
    text = kb_command("query", "--named", name, "--root", str(root), "--format", "csv")
    return list(csv.reader(io.StringIO(text)))


def answers_of_store(store: ox.Store, name: str) -> list[list[str]]:
    solutions = store.query(prologue() + named_queries()[name].text)
    names = [variable.value for variable in solutions.variables]
    rows = [[("" if row[n] is None else row[n].value) for n in names] for row in solutions]
    return [names, *rows]


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_answers_the_same_from_the_store(store_path, name):
    root, path = store_path
    store = ox.Store.read_only(str(path))
    expected = answers_of_kb_query(root, name)
    assert answers_of_store(store, name) == expected


def test_the_store_holds_answers_worth_comparing(store_path):
    _, path = store_path
    store = ox.Store.read_only(str(path))
    answered = [name for name in named_queries() if len(answers_of_store(store, name)) > 1]
    assert len(answered) >= 3, answered
