"""GEXF 1.2 for Gephi: typed nodes and edges with declared attributes.

GEXF gives two attribute names a meaning of its own, so they are renamed here: a node's
``id`` becomes ``entry_id`` (GEXF's node id is the graph's node id, ``term:…``), and an edge's
``type`` becomes ``edge_type`` (GEXF's edge ``type`` means directed or undirected). The edge
type is also the edge's label, which Gephi shows. Each edge's id is ``source|type|target``.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kb.exporters._common import edge_id, sorted_graph, write_text
from kb.model import KnowledgeBase

CREATOR = "Alignment Atlas kb"


def gexf_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` with the attributes renamed as GEXF needs (see the module doc)."""
    out = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        attrs = {("entry_id" if name == "id" else name): value for name, value in data.items()}
        out.add_node(node, **dict(sorted(attrs.items())))
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {("edge_type" if name == "type" else name): value for name, value in data.items()}
        out.add_edge(u, v, key=key, id=edge_id(u, key, v), label=data["type"], **attrs)
    return out


def generate(base: KnowledgeBase) -> str:
    """The knowledge-base graph as a GEXF 1.2 document (no timestamp, so output is stable)."""
    writer = GEXFWriter(prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)
    meta.find("creator").text = CREATOR
    writer.add_graph(gexf_graph(sorted_graph(base.graph)))
    return str(writer)


def write(base: KnowledgeBase, path: str | Path) -> Path:
    return write_text(path, generate(base))
