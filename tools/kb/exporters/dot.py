"""Graphviz DOT of the whole graph, or of one entry's neighbourhood (``focus``, ``depth``).

Node shapes and colours say the kind, edge styles the type; each node keeps its ``kind`` and
each edge its ``type`` as attributes, so tools that read DOT still see the typed graph.
Render with ``dot -Tsvg atlas.dot -o atlas.svg``.
"""

from __future__ import annotations

from pathlib import Path

from kb.exporters._common import drawing_graph, node_label, shown, write_text
from kb.model import KnowledgeBase

NODE_STYLES = {
    "term": 'shape=box, style="rounded,filled", fillcolor="#dbeafe"',
    "sense": 'shape=note, style=filled, fillcolor="#f1f5f9"',
    "claim": 'shape=box, style=filled, fillcolor="#fef3c7"',
    "source": 'shape=folder, style=filled, fillcolor="#e5e7eb"',
}
EDGE_STYLES = {
    "supports": 'color="#15803d"',
    "objects_to": 'color="#b91c1c"',
    "undercuts": 'color="#b91c1c", style=dashed, arrowhead=tee',
    "conflicts_with": 'color="#b91c1c", style=dashed',
    "sense_of": "style=dotted",
    "cites": 'style=dotted, color="#6b7280"',
    "about": 'style=dashed, color="#6b7280"',
}


def quoted(text: str) -> str:
    """A DOT double-quoted string whose label shows ``text`` as written (newlines kept)."""
    escaped = (
        shown(text)
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\r\n", "\n")
        .replace("\r", "\n")
    )
    return '"' + escaped.replace("\n", "\\n") + '"'


def generate(base: KnowledgeBase, focus: str | None = None, depth: int = 1) -> str:
    """A ``digraph``; with ``focus``, only nodes within ``depth`` links of that entry."""
    graph = drawing_graph(base, focus, depth)
    lines = [
        "digraph atlas {",
        "  graph [rankdir=LR];",
        '  node [fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for node, data in graph.nodes(data=True):
        lines.append(
            f"  {quoted(node)} [label={quoted(node_label(node, data))}, kind={data['kind']}, "
            f"{NODE_STYLES[data['kind']]}];"
        )
    for u, v, key in graph.edges(keys=True):
        style = EDGE_STYLES.get(key)
        lines.append(
            f"  {quoted(u)} -> {quoted(v)} [label={key}, type={key}{', ' + style if style else ''}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def write(base: KnowledgeBase, path: str | Path, focus: str | None = None, depth: int = 1) -> Path:
    return write_text(path, generate(base, focus, depth))
