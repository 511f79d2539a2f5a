"""GraphML: every node and edge with its attributes as declared, typed ``<key>`` elements.

Key ids are the attribute names (``kind``, ``label``, ``type`` …), so the file reads well and
stays stable. The node's ``id`` attribute is called ``entry_id`` (GraphML readers such as igraph
keep the node id, ``term:…``, in an attribute named ``id``). Node and edge ids are XML NMTOKENs,
as the GraphML schema requires: ``term:mesa-optimizer`` stays as it is, a sense
``sense:mesa-optimizer#rlo`` becomes ``sense:mesa-optimizer_23_rlo`` (see :func:`graphml_id`),
and each edge's id is ``source.type.target``, unique in the file; its type is in the ``type``
key. Text that XML cannot hold (control characters) is written as U+FFFD. Readers: networkx
``read_graphml``, igraph, Gephi, Cytoscape, yEd.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
from networkx.readwrite.graphml import GraphMLWriter

from kb.exporters._common import export_graph, write_text, xml_safe
from kb.model import KnowledgeBase

#: Characters kept as they are in GraphML ids; every other one is written ``_hex_``.
_ALL_KEPT = re.compile(r"[A-Za-z0-9:-]*")
_NOT_KEPT = re.compile(r"[^A-Za-z0-9:-]")


def graphml_id(text: str) -> str:
    """``text`` as an XML NMTOKEN (what the GraphML schema requires of ids), one to one.

    Letters, digits, ``:`` and ``-`` are kept, so entry ids read as they are
    (``term:mesa-optimizer``); any other character, ``_`` and ``.`` included, is written as
    its code point between underscores (``sense:mesa-optimizer#rlo`` →
    ``sense:mesa-optimizer_23_rlo``), so two different ids never meet.
    """
    if _ALL_KEPT.fullmatch(text):
        return text
    return _NOT_KEPT.sub(lambda m: f"_{ord(m.group(0)):x}_", text)


def original_id(graphml_node_id: str) -> str:
    """The graph's node id of a GraphML node id: the inverse of :func:`graphml_id`."""
    return re.sub(r"_([0-9a-f]+)_", lambda m: chr(int(m.group(1), 16)), graphml_node_id)


def edge_graphml_id(u: str, edge_type: str, v: str) -> str:
    """A unique edge id: ``source.type.target`` (encoded ids hold no ``.``; types are words)."""
    return f"{graphml_id(u)}.{graphml_id(edge_type).replace('_5f_', '_')}.{graphml_id(v)}"


def with_graphml_ids(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` with NMTOKEN node ids and unique edge ids (instead of types)."""
    out = nx.MultiDiGraph()
    out.add_nodes_from((graphml_id(node), data) for node, data in graph.nodes(data=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        out.add_edge(graphml_id(u), graphml_id(v), key=edge_graphml_id(u, key, v), **data)
    return out


class _Writer(GraphMLWriter):
    """networkx's GraphML writer (what ``nx.generate_graphml`` uses), knowing Python's value
    types only: the graph holds no numpy values, and networkx's own list of types imports
    numpy (a tenth of a second, in every site build, for nothing). The same types map to the
    same GraphML types (networkx lists numpy's before these, and the last entry wins)."""

    def construct_types(self):
        types = [
            (int, "integer"),
            (str, "yfiles"),
            (str, "string"),
            (int, "int"),
            (int, "long"),
            (float, "float"),
            (float, "double"),
            (bool, "boolean"),
        ]
        self.xml_type = dict(types)
        self.python_type = dict(reversed(a) for a in types)


def generate(base: KnowledgeBase) -> str:
    """The knowledge-base graph as a GraphML document."""
    graph = with_graphml_ids(xml_safe(export_graph(base.graph)))
    writer = _Writer(encoding="utf-8", prettyprint=True, named_key_ids=True)
    writer.add_graph_element(graph)
    return "\n".join(str(writer).splitlines()) + "\n"


def write(base: KnowledgeBase, path: str | Path) -> Path:
    return write_text(path, generate(base))
