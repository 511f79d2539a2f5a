"""GEXF 1.2 for Gephi: typed nodes and edges with declared attributes.

As in every graph format, a node's ``id`` attribute is called ``entry_id`` (GEXF's node id
is the graph's node id, ``term:…``). GEXF gives edges a ``type`` of its own (directed or
undirected), so the edge type is the attribute ``edge_type``. The edge
type is also the edge's label, which Gephi shows. Each edge's id is ``source|type|target``.
Text that XML cannot hold (control characters) is written as U+FFFD.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kb.exporters._common import edge_id, export_graph, write_text, xml_safe
from kb.model import KnowledgeBase

CREATOR = "Alignment Atlas kb"


def gexf_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` with the edge attributes GEXF needs (see the module doc)."""
    out = nx.MultiDiGraph()
    out.add_nodes_from(graph.nodes(data=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {("edge_type" if name == "type" else name): value for name, value in data.items()}
        out.add_edge(u, v, key=key, id=edge_id(u, key, v), label=data["type"], **attrs)
    return out


class _Writer(GEXFWriter):
    """networkx's GEXF writer, knowing Python's value types only: the graph holds no numpy
    values, and networkx's own list of types imports numpy (a tenth of a second, in every
    site build, for nothing). The same types map to the same GEXF types (networkx lists
    numpy's before these, and the last entry for a type wins)."""

    def construct_types(self):
        types = [
            (int, "integer"),
            (float, "float"),
            (float, "double"),
            (bool, "boolean"),
            (list, "string"),
            (dict, "string"),
            (int, "long"),
            (str, "liststring"),
            (str, "anyURI"),
            (str, "string"),
        ]
        self.xml_type = dict(types)
        self.python_type = dict(reversed(a) for a in types)


def generate(base: KnowledgeBase) -> str:
    """The knowledge-base graph as a GEXF 1.2 document (no timestamp, so output is stable)."""
    writer = _Writer(prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate", None)
    meta.find("creator").text = CREATOR
    writer.add_graph(gexf_graph(xml_safe(export_graph(base.graph))))
    return str(writer)


def write(base: KnowledgeBase, path: str | Path) -> Path:
    return write_text(path, generate(base))
