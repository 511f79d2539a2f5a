"""A Mermaid flowchart of the whole graph, or of one entry's neighbourhood (``focus``, ``depth``).

Node ids are derived from the graph's node ids (``term:mesa-optimizer`` → ``term_mesa_optimizer``);
labels are quoted and every character Mermaid could read as markup is written as an entity
code (``#quot;``, ``#lt;``, ``#35;`` …), line breaks as ``<br>``. A class per kind colours
the nodes; edges are labelled with their type. Node ids are unique (:func:`node_ids`). A
diagram larger than Mermaid draws by default (500 links, 50,000 characters) starts with a
``%%`` comment saying how to draw a part of it (``--focus``); ``kb export`` prints the same
advice.
"""

from __future__ import annotations

import re
from pathlib import Path

from kb.exporters._common import drawing_graph, node_label, shown, write_text
from kb.model import KnowledgeBase

ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;"}
CLASS_STYLES = {
    "term": "fill:#dbeafe,stroke:#1e40af",
    "sense": "fill:#f1f5f9,stroke:#475569",
    "claim": "fill:#fef3c7,stroke:#92400e",
    "source": "fill:#e5e7eb,stroke:#374151",
}
ARROWS = {"objects_to": "-.->", "conflicts_with": "-.->", "undercuts": "-.->"}
EDGE_LINE = re.compile(r"^  \S+ (?:-->|-\.->)\|")
#: Mermaid's default ``maxEdges`` and ``maxTextSize``: larger diagrams are not drawn.
MAX_EDGES, MAX_TEXT_SIZE = 500, 50_000


def node_id(node: str) -> str:
    """A Mermaid-safe id: letters and digits kept, ``-`` → ``_``, anything else → ``_xHH_``."""
    kind, _, entry = node.partition(":")

    def encode(match: re.Match) -> str:
        char = match.group()
        return "_" if char == "-" else f"_x{ord(char):x}_"

    return kind + "_" + re.sub(r"[^A-Za-z0-9]", encode, entry)


def node_ids(graph) -> dict[str, str]:
    """Every node's Mermaid id: :func:`node_id`, with ``_2``, ``_3`` … added in sorted node
    order where two nodes would otherwise share one (``a-b#c`` and ``a_b#c`` both read
    ``a_b…``), so two entries never merge into one box."""
    out, used = {}, set()
    for node in sorted(graph):
        base = candidate = node_id(node)
        number = 1
        while candidate in used:
            number += 1
            candidate = f"{base}_{number}"
        used.add(candidate)
        out[node] = candidate
    return out


def oversize(text: str) -> str | None:
    """Why Mermaid would refuse to draw ``text`` with its default limits, or None."""
    edges = sum(1 for line in text.splitlines() if EDGE_LINE.match(line))
    if edges > MAX_EDGES:
        return f"{edges} links, more than the {MAX_EDGES} Mermaid draws by default"
    if len(text) > MAX_TEXT_SIZE:
        return f"{len(text)} characters, more than the {MAX_TEXT_SIZE} Mermaid reads by default"
    return None


def advice(text: str) -> str | None:
    """What to do when the diagram is too large for Mermaid's defaults."""
    reason = oversize(text)
    return (
        f"this diagram has {reason}: draw a part of the graph with "
        "`kb export --format mermaid --focus ID --depth 1` (an entry id, or term#sense), "
        "or raise maxEdges and maxTextSize in your Mermaid configuration"
        if reason
        else None
    )


def label(text: str) -> str:
    """A quoted Mermaid label that displays ``text`` as written."""
    escaped = "".join(ENTITIES.get(char, char) for char in shown(text))
    return '"' + re.sub(r"\r\n|\r|\n", "<br>", escaped) + '"'


def generate(base: KnowledgeBase, focus: str | None = None, depth: int = 1) -> str:
    """``flowchart LR`` with one node a line, then one edge a line, then the class styles."""
    graph = drawing_graph(base, focus, depth)
    ids = node_ids(graph)
    lines = ["flowchart LR"]
    lines += [
        f"  {ids[node]}[{label(node_label(node, data))}]:::{data['kind']}"
        for node, data in graph.nodes(data=True)
    ]
    lines += [
        f"  {ids[u]} {ARROWS.get(key, '-->')}|{key}| {ids[v]}"
        for u, v, key in graph.edges(keys=True)
    ]
    lines += [f"  classDef {kind} {style}" for kind, style in CLASS_STYLES.items()]
    text = "\n".join(lines) + "\n"
    note = advice(text)
    return f"%% {note}\n{text}" if note else text


def write(base: KnowledgeBase, path: str | Path, focus: str | None = None, depth: int = 1) -> Path:
    return write_text(path, generate(base, focus, depth))
