"""Argdown: every claim as a statement, with its support (``+>``) and attack (``->``) relations.

Statement titles are the claim ids (``[search-is-common]``), the text is the claim, and the
claim's own title, source and kind go in the statement's data (``[search-is-common]{title:
"…"}``, a paragraph after the statement and its relations, so the text ends where it ends). A sense
that a claim supports or attacks appears as a statement too, titled ``term#sense``, with its
definition as text. Every character the Argdown lexer treats specially is escaped with a
backslash, so contributors' text comes back unchanged; Argdown statements are single
paragraphs, so line breaks in a text become spaces.

An undercut attacks a link, and Argdown undercuts (``_>``) target arguments: each link that
a claim undercuts is also written as an argument titled after it (``<b supports c>``), with
the claim that makes the link as its premise (``<+ [b]``) and the link's relation to the
target (``+> [c]`` or ``-> [c]``); the undercutting claim's statement then has
``_> <b supports c>``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx

from kb.exporters._common import node_label, shown, sorted_graph, write_text
from kb.model import KnowledgeBase

#: Characters with a meaning in Argdown text (see the lexer of @argdown/core), plus ``=``
#: (front matter), ``+`` (relations) and ``\\`` itself.
SPECIAL = set("\\@#*_[],.:;</>-(){}=+")
RELATION_SIGNS = {"supports": "+>", "objects_to": "->"}
LINK_WORDS = {"supports": "supports", "objects_to": "objects to"}


def escape_text(text: str) -> str:
    """One line of Argdown text that the parser reads back as ``text`` (line breaks → spaces)."""
    flat = re.sub(r"\s*[\r\n]+\s*", " ", shown(text).strip())
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
    text = data.get("text" if data["kind"] == "claim" else "definition", "")
    meta = {
        "kind": data["kind"],
        "label": node_label(node, data),
        **{k: data[k] for k in ("title", "source") if k in data},
    }
    lines = [f"[{title(node)}]: {escape_text(text)}"]
    lines += [
        f"  {RELATION_SIGNS[key]} [{title(v)}]"
        for _, v, key in graph.out_edges(node, keys=True)
        if key in RELATION_SIGNS
    ]
    lines += [f"  _> <{link_title(*link)}>" for link in undercut_links(graph, node)]
    # The data goes in a paragraph of its own: written after the text, Argdown would read
    # the line break before the relations as part of the text (a trailing space).
    return [*lines, "", f"[{title(node)}]{data_block(meta)}"]


def undercut_links(graph: nx.MultiDiGraph, node: str) -> list[tuple[str, str, str]]:
    """``(premise claim id, relation, target node)`` of every link ``node`` undercuts."""
    return [
        (premise, relation, v)
        for _, v, data in graph.out_edges(node, data=True)
        if data["type"] == "undercuts"
        for premise, relation in zip(
            data["premise"].split("|"), data["relation"].split("|"), strict=True
        )
    ]


def link_title(premise: str, relation: str, target: str) -> str:
    """The title of the argument standing for one undercut link: ``b supports c``."""
    return f"{title('claim:' + premise)} {LINK_WORDS[relation]} {title(target)}"


def link_argument(premise: str, relation: str, target: str) -> list[str]:
    """The argument for one undercut link: its premise and its relation to the target."""
    name = link_title(premise, relation, target)
    return [
        f"<{name}>: {escape_text('The link: ' + name)}",
        f"  <+ [{title('claim:' + premise)}]",
        f"  {RELATION_SIGNS[relation]} [{title(target)}]",
    ]


def generate(base: KnowledgeBase) -> str:
    """The Argdown document: front matter, then one block a statement."""
    graph = sorted_graph(base.graph)
    blocks = ["===\ntitle: Alignment Atlas argument map\n==="]
    blocks += ["\n".join(statement(graph, node)) for node in statement_nodes(graph)]
    links = sorted({link for node in graph for link in undercut_links(graph, node)})
    blocks += ["\n".join(link_argument(*link)) for link in links]
    return "\n\n".join(blocks) + "\n"


def write(base: KnowledgeBase, path: str | Path) -> Path:
    return write_text(path, generate(base))
