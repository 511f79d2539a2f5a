"""Shared helpers for the export tests: fixture knowledge bases and read-back normalisers.

The fixtures: ``complete`` has every node kind, edge type and attribute of the graph;
``nasty`` carries quotes, newlines, backslashes, ``<``, ``&`` and non-ASCII in every text field.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

import networkx as nx

import kb

FIXTURES = Path(__file__).parent / "fixtures" / "export"
REPO = Path(__file__).parent.parent
NASTY = (
    "Quote \" apostrophe ' back\\slash <b>bold</b> & amp; line one\nline two ünïcødé — 日本語 😀 "
    "[x] {y} #z *w* e.g. a:b: end"
)


@cache
def fixture(name: str):
    """A loaded fixture knowledge base (cached: the exporters never modify it)."""
    return kb.load(FIXTURES / name)


def node_table(graph: nx.MultiDiGraph) -> dict[str, dict]:
    return {node: dict(data) for node, data in graph.nodes(data=True)}


def edge_set(graph: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    """``(source, target, type)`` of every edge, the type read from the ``type`` attribute."""
    return {(u, v, data["type"]) for u, v, data in graph.edges(data=True)}


def exported_nodes(graph: nx.MultiDiGraph) -> dict[str, dict]:
    """The node table as the graph formats carry it: attribute ``id`` is called ``entry_id``."""
    table = node_table(graph)
    for data in table.values():
        data["entry_id"] = data.pop("id")
    return table


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def csv_cell(value) -> str:
    """What a graph attribute value looks like in the CSV export."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)
