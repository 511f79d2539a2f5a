"""GraphML: every node and edge with its attributes as declared, typed ``<key>`` elements.

Key ids are the attribute names (``kind``, ``label``, ``type`` …), so the file reads well and
stays stable. The node's ``id`` attribute is called ``entry_id`` (GraphML readers such as igraph
keep the node id, ``term:…``, in an attribute named ``id``). Each edge's id is ``source|type|target``, unique in the file; its type is in the
``type`` key. Readers: networkx ``read_graphml``, igraph, Gephi, Cytoscape, yEd.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kb.exporters._common import edge_id, export_graph, write_text
from kb.model import KnowledgeBase


def with_edge_ids(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose edge keys are unique ids (:func:`edge_id`) instead of types."""
    out = nx.MultiDiGraph()
    out.add_nodes_from(graph.nodes(data=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        out.add_edge(u, v, key=edge_id(u, key, v), **data)
    return out


def generate(base: KnowledgeBase) -> str:
    """The knowledge-base graph as a GraphML document."""
    graph = with_edge_ids(export_graph(base.graph))
    return "\n".join(nx.generate_graphml(graph, named_key_ids=True, prettyprint=True)) + "\n"


def write(base: KnowledgeBase, path: str | Path) -> Path:
    return write_text(path, generate(base))
