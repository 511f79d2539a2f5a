"""A Mermaid flowchart of the whole graph, or of one entry's neighbourhood (``focus``, ``depth``).

Node ids are derived from the graph's node ids (``term:mesa-optimizer`` → ``term_mesa_optimizer``);
labels are quoted and every character Mermaid could read as markup is written as an entity
code (``#quot;``, ``#lt;``, ``#35;`` …), line breaks as ``<br>``. A class per kind colours
the nodes; edges are labelled with their type.
"""

from __future__ import annotations

import re
from pathlib import Path

from kb.exporters._common import drawing_graph, write_text
from kb.model import KnowledgeBase

ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;"}
CLASS_STYLES = {
    "term": "fill:#dbeafe,stroke:#1e40af",
    "sense": "fill:#f1f5f9,stroke:#475569",
    "claim": "fill:#fef3c7,stroke:#92400e",
    "source": "fill:#e5e7eb,stroke:#374151",
}
ARROWS = {"objects_to": "-.->", "conflicts_with": "-.->"}


def node_id(node: str) -> str:
    """A Mermaid-safe id: letters and digits kept, ``-`` → ``_``, anything else → ``_xHH_``."""
    kind, _, entry = node.partition(":")

    def encode(match: re.Match) -> str:
        char = match.group()
        return "_" if char == "-" else f"_x{ord(char):x}_"

    return kind + "_" + re.sub(r"[^A-Za-z0-9]", encode, entry)


def label(text: str) -> str:
    """A quoted Mermaid label that displays ``text`` as written."""
    escaped = "".join(ENTITIES.get(char, char) for char in text)
    return '"' + re.sub(r"\r\n|\r|\n", "<br>", escaped) + '"'


def generate(base: KnowledgeBase, focus: str | None = None, depth: int = 1) -> str:
    """``flowchart LR`` with one node a line, then one edge a line, then the class styles."""
    graph = drawing_graph(base, focus, depth)
    lines = ["flowchart LR"]
    lines += [
        f"  {node_id(node)}[{label(data['label'])}]:::{data['kind']}"
        for node, data in graph.nodes(data=True)
    ]
    lines += [
        f"  {node_id(u)} {ARROWS.get(key, '-->')}|{key}| {node_id(v)}"
        for u, v, key in graph.edges(keys=True)
    ]
    lines += [f"  classDef {kind} {style}" for kind, style in CLASS_STYLES.items()]
    return "\n".join(lines) + "\n"


def write(base: KnowledgeBase, path: str | Path, focus: str | None = None, depth: int = 1) -> Path:
    return write_text(path, generate(base, focus, depth))
