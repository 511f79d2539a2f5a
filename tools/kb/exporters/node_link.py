"""Node-link JSON (networkx ``node_link_data``, the shape D3 reads), checked by a JSON Schema.

``{"directed": true, "multigraph": true, "graph": {...}, "nodes": [...], "edges": [...]}``:
each node is ``{"id": "term:…", "kind": …, "entry_id": …, …}`` (as in every graph format,
the node's own ``id`` attribute is called ``entry_id``; node-link uses ``id`` for the node), and each edge
``{"source", "target", "key", "type"}`` where ``key`` is the edge type. The schema is
``kb/schemas/graph-json.schema.json``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import networkx as nx

from kb.exporters._common import export_graph, write_text
from kb.model import KnowledgeBase

GRAPH_INFO = {"name": "Alignment Atlas", "node_id_attribute": "entry_id"}


def schema() -> dict:
    """The JSON Schema the export follows."""
    return json.loads(
        resources.files("kb").joinpath("schemas", "graph-json.schema.json").read_text("utf-8")
    )


def node_link(base: KnowledgeBase) -> dict:
    """The node-link data of the sorted graph, with node attribute ``id`` renamed ``entry_id``."""
    graph = export_graph(base.graph)
    graph.graph.update(GRAPH_INFO)
    return nx.node_link_data(graph, edges="edges")


def generate(base: KnowledgeBase) -> str:
    """The node-link JSON, keys sorted, two-space indent, UTF-8 text kept as is."""
    return json.dumps(node_link(base), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(base: KnowledgeBase, path: str | Path) -> Path:
    return write_text(path, generate(base))
