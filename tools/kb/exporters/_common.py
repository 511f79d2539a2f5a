"""What several exporters share: a sorted copy of the graph, a neighbourhood, file writing.

Every export starts from :func:`sorted_graph`, so that the same knowledge base always gives
byte-identical output (nodes by id, edges by source, target and type, attributes by name)
and a diff between two exports shows only what changed.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from kb.atomic import write_atomic
from kb.exporters import ExportError
from kb.model import KnowledgeBase

if TYPE_CHECKING:  # networkx is imported where a graph is made: the RDF exports need none
    import networkx as nx


def sorted_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose nodes, edges and attributes are inserted in sorted order."""
    import networkx as nx

    out = nx.MultiDiGraph()
    for node in sorted(graph):
        out.add_node(node, **dict(sorted(graph.nodes[node].items())))
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        out.add_edge(u, v, key=key, **dict(sorted(data.items())))
    return out


def export_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The sorted graph with each node's ``id`` attribute renamed ``entry_id``.

    GraphML readers (igraph), GEXF and node-link JSON all use ``id`` for the node itself
    (``term:x``), so an attribute of that name would clash; the graph formats use this.
    """
    out = sorted_graph(graph)
    for _, data in out.nodes(data=True):
        data["entry_id"] = data.pop("id")
    return out


def node_label(node: str, data: dict) -> str:
    """The label to draw for ``node``: its ``label``, or its entry id when it has none (a
    claim with neither title nor text, which ``kb check`` reports)."""
    return data.get("label") or node.split(":", 1)[-1]


def edge_id(u: str, edge_type: str, v: str) -> str:
    """A stable, unique edge id (GEXF wants one): ``source|type|target``."""
    return f"{u}|{edge_type}|{v}"


#: Characters XML 1.0 does not allow in a document at all (not even as ``&#…;``).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


#: Control characters (C0 but tab and line breaks, DEL, C1): in a drawing they show as
#: nothing, and printed to a terminal they are commands (``ESC [ … m``).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """``text`` with every control character replaced by U+FFFD, for the text formats."""
    return CONTROL.sub("\ufffd", text)


def xml_text(value):
    """``value`` with every character XML cannot hold replaced by U+FFFD (text only).

    The loader reports such characters (``schema``), so only data with findings has any;
    the export stays well-formed instead of failing in every XML reader."""
    return XML_INVALID.sub("\ufffd", value) if isinstance(value, str) else value


def xml_safe(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose node ids, edge keys and text attributes XML can hold."""
    import networkx as nx

    out = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        out.add_node(xml_text(node), **{k: xml_text(v) for k, v in data.items()})
    for u, v, key, data in graph.edges(keys=True, data=True):
        out.add_edge(
            xml_text(u), xml_text(v), key=xml_text(key), **{k: xml_text(x) for k, x in data.items()}
        )
    return out


def resolve_node(graph: nx.MultiDiGraph, text: str) -> str:
    """The node named by ``text``: a node id (``term:x``), ``term#sense``, or a bare entry id.

    A bare id must name exactly one entry; otherwise the error lists the candidates.
    """
    if text in graph:
        return text
    if "#" in text and f"sense:{text}" in graph:
        return f"sense:{text}"
    matches = [
        f"{kind}:{text}" for kind in ("term", "claim", "source") if f"{kind}:{text}" in graph
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ExportError(
            f"'{text}' names more than one entry: {', '.join(matches)}; give one of them", "--focus"
        )
    close = difflib.get_close_matches(text, [n.split(":", 1)[1] for n in graph] + list(graph), n=3)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise ExportError(f"no entry is named '{text}'{hint}", "--focus")


def neighbourhood(graph: nx.MultiDiGraph, focus: str | None, depth: int) -> nx.MultiDiGraph:
    """The whole graph, or the nodes within ``depth`` links of ``focus`` (either direction)."""
    if focus is None:
        return graph
    import networkx as nx

    centre = resolve_node(graph, focus)
    return graph.subgraph(nx.ego_graph(graph, centre, radius=depth, undirected=True)).copy()


def drawing_graph(base: KnowledgeBase, focus: str | None, depth: int) -> nx.MultiDiGraph:
    """The sorted graph, cut to a neighbourhood when a focus is given (dot, mermaid)."""
    return sorted_graph(neighbourhood(base.graph, focus, depth))


def write_text(path: str | Path, text: str | bytes) -> Path:
    """Write ``text`` as UTF-8 (or bytes as they are) atomically (:func:`kb.atomic.write_atomic`);
    returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, text)


def write_folder(path: str | Path, files: dict[str, str]) -> Path:
    """Write each ``name -> text`` of ``files`` into the folder ``path`` (created if needed)."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write_text(folder / name, text)
    return folder
