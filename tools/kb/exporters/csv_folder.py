"""A folder of two CSV files, ``nodes.csv`` and ``edges.csv``, for bulk loads.

``nodes.csv`` has one row a node: ``node`` (the graph's node id, e.g. ``term:mesa-optimizer``),
``kind``, ``entry_id`` (the entry's id), ``label``, then every other attribute in alphabetical order (empty where a
node has none). ``edges.csv`` has ``source``, ``target``, ``type``, and for an ``undercuts``
edge ``premise`` and ``relation`` (the link it attacks, see :mod:`kb.graph`). Booleans are ``true`` /
``false``; text is quoted where needed (RFC 4180, ``\\n`` line ends). A cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a leading ``'``, so a
spreadsheet shows it as text instead of running it as a formula (CSV injection).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx

from kb.exporters._common import export_graph, write_folder
from kb.model import KnowledgeBase

FIRST_COLUMNS = ("node", "kind", "entry_id", "label")
EDGE_COLUMNS = ("source", "target", "type", "premise", "relation")


def node_columns(graph: nx.MultiDiGraph) -> list[str]:
    """``node, kind, entry_id, label`` then every other node attribute present, sorted."""
    names = {name for _, data in graph.nodes(data=True) for name in data}
    return list(FIRST_COLUMNS) + sorted(names - set(FIRST_COLUMNS))


#: First characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A value as CSV text; text a spreadsheet would run as a formula gets a leading ``'``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table(columns, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([cell(row.get(col)) for col in columns] for row in rows)
    return buffer.getvalue()


def generate(base: KnowledgeBase) -> dict[str, str]:
    """``{"nodes.csv": text, "edges.csv": text}``."""
    graph = export_graph(base.graph)
    nodes = ({"node": node, **data} for node, data in graph.nodes(data=True))
    edges = ({"source": u, "target": v, **data} for u, v, data in graph.edges(data=True))
    return {"nodes.csv": table(node_columns(graph), nodes), "edges.csv": table(EDGE_COLUMNS, edges)}


def write(base: KnowledgeBase, path: str | Path) -> Path:
    return write_folder(path, generate(base))
