"""Argdown: every claim as a statement, with its support (``+>``) and attack (``->``) relations.

Statement titles are the claim ids (``[search-is-common]``), the text is the claim, and the
claim's own title, source and kind go in the statement's data (``[search-is-common]{title:
"…"}``, a paragraph after the statement and its relations, so the text ends where it ends). A sense
that a claim supports or attacks appears as a statement too, titled ``term#sense``, with its
definition as text. Every character the Argdown lexer treats specially is escaped with a
backslash, so contributors' text comes back unchanged; Argdown statements are single
paragraphs, so line breaks in a text become spaces.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx

from kb.exporters._common import sorted_graph, write_text
from kb.model import KnowledgeBase

#: Characters with a meaning in Argdown text (see the lexer of @argdown/core), plus ``=``
#: (front matter), ``+`` (relations) and ``\\`` itself.
SPECIAL = set("\\@#*_[],.:;</>-(){}=+")
RELATION_SIGNS = {"supports": "+>", "objects_to": "->"}


def escape_text(text: str) -> str:
    """One line of Argdown text that the parser reads back as ``text`` (line breaks → spaces)."""
    flat = re.sub(r"\s*[\r\n]+\s*", " ", text.strip())
    return "".join("\\" + char if char in SPECIAL else char for char in flat)


def title(node: str) -> str:
    """The statement title of a node: the entry id, without the brackets titles cannot hold."""
    return re.sub(r"[\[\]\r\n]", "_", node.split(":", 1)[1])


def data_block(values: dict[str, str]) -> str:
    """Argdown statement data as YAML flow; braces escaped so the lexer keeps it one block."""
    pairs = ", ".join(
        f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items()
    )
    return "{" + pairs.replace("{", "\\u007b").replace("}", "\\u007d") + "}"


def statement_nodes(graph: nx.MultiDiGraph) -> list[str]:
    """Claims, and senses that a claim supports or attacks, sorted (claims first)."""
    targets = {v for _, v, key in graph.edges(keys=True) if key in RELATION_SIGNS}
    nodes = [
        n
        for n, kind in graph.nodes(data="kind")
        if kind == "claim" or (kind == "sense" and n in targets)
    ]
    return sorted(nodes, key=lambda n: (graph.nodes[n]["kind"] != "claim", n))


def statement(graph: nx.MultiDiGraph, node: str) -> list[str]:
    data = graph.nodes[node]
    text = data["text"] if data["kind"] == "claim" else data["definition"]
    meta = {
        "kind": data["kind"],
        "label": data["label"],
        **{k: data[k] for k in ("title", "source") if k in data},
    }
    lines = [f"[{title(node)}]: {escape_text(text)}"]
    lines += [
        f"  {RELATION_SIGNS[key]} [{title(v)}]"
        for _, v, key in graph.out_edges(node, keys=True)
        if key in RELATION_SIGNS
    ]
    # The data goes in a paragraph of its own: written after the text, Argdown would read
    # the line break before the relations as part of the text (a trailing space).
    return [*lines, "", f"[{title(node)}]{data_block(meta)}"]


def generate(base: KnowledgeBase) -> str:
    """The Argdown document: front matter, then one block a statement."""
    graph = sorted_graph(base.graph)
    blocks = ["===\ntitle: Alignment Atlas argument map\n==="]
    blocks += ["\n".join(statement(graph, node)) for node in statement_nodes(graph)]
    return "\n\n".join(blocks) + "\n"


def write(base: KnowledgeBase, path: str | Path) -> Path:
    return write_text(path, generate(base))
