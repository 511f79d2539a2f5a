"""Argument trees around a claim, in both directions, as nested lists and as a Mermaid diagram.

*Upstream*: what the claim supports or objects to, then what those in turn answer.
*Downstream*: what supports or objects to the claim, then what answers those. Trees stop at
:data:`MAX_DEPTH` levels and :data:`MAX_NODES` nodes, so a page's size does not grow with the
whole knowledge base; a loop (possible while ``circular-support`` findings are waived) is cut
where a node would repeat on its own path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.site.context import SiteData
from kb.site.markup import Linker

MAX_DEPTH = 4
MAX_NODES = 40
RELATIONS = ("supports", "objects_to")
UPSTREAM_WORDS = {"supports": "supports", "objects_to": "objects to"}
DOWNSTREAM_WORDS = {"supports": "supported by", "objects_to": "objected to by"}


@dataclass
class TreeNode:
    node: str                      # graph node id: claim:<id> or sense:<term>#<sense>
    relation: str | None = None    # supports | objects_to, relative to the parent
    children: list["TreeNode"] = field(default_factory=list)


def argument_tree(data: SiteData, root: str, downstream: bool) -> TreeNode:
    """The tree of ``supports``/``objects_to`` edges from ``root``, breadth-first and bounded."""
    tree = TreeNode(root)
    budget = [MAX_NODES]
    _grow(data, tree, downstream, depth=1, path={root}, budget=budget)
    return tree


def _grow(data: SiteData, tree: TreeNode, downstream: bool, depth: int, path: set[str],
          budget: list[int]) -> None:
    if depth > MAX_DEPTH:
        return
    for relation in RELATIONS:
        neighbours = (data.incoming(tree.node, relation) if downstream
                      else data.outgoing(tree.node, relation))
        for other in neighbours:
            if other in path or budget[0] <= 0:
                continue
            budget[0] -= 1
            tree.children.append(TreeNode(other, relation))
    for child in tree.children:
        _grow(data, child, downstream, depth + 1, path | {child.node}, budget)


def tree_list(data: SiteData, tree: TreeNode, linker: Linker, downstream: bool,
              indent: int = 0) -> str:
    """The tree's children as nested Markdown bullets, each saying how it relates."""
    words = DOWNSTREAM_WORDS if downstream else UPSTREAM_WORDS
    lines = []
    for child in tree.children:
        lines.append(f"{' ' * indent}- *{words[child.relation]}* {linker.node(data.base, child.node)}")
        nested = tree_list(data, child, linker, downstream, indent + 4)
        if nested:
            lines.append(nested)
    return "\n".join(lines)


def mermaid_label(text: str, limit: int = 60) -> str:
    """Text safe inside a quoted Mermaid label: anything but letters, digits, spaces and plain
    punctuation becomes a numeric entity code (``#60;``), which Mermaid shows as the character."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return "".join(c if c.isalnum() or c in " ,.?'()-…" else f"#{ord(c)};" for c in text)


def _label(data: SiteData, node: str) -> str:
    attrs = data.graph.nodes[node] if node in data.graph else {}
    return attrs.get("label", node.split(":", 1)[1])


def mermaid_diagram(data: SiteData, root: str, up: TreeNode, down: TreeNode) -> str:
    """A Mermaid flowchart: answers point at what they answer; green supports, red objections.

    Node ids are generated (``n0``, ``n1``…), never taken from the data.
    """
    ids: dict[str, str] = {}
    lines = ["flowchart LR"]

    def declare(node: str) -> str:
        if node not in ids:
            ids[node] = f"n{len(ids)}"
            lines.append(f'    {ids[node]}["{mermaid_label(_label(data, node))}"]')
        return ids[node]

    declare(root)
    edges: list[tuple[str, str, str]] = []
    _collect(up, edges, upstream=True)
    _collect(down, edges, upstream=False)
    styles = []
    for index, (source, target, relation) in enumerate(dict.fromkeys(edges)):
        word = "supports" if relation == "supports" else "objects to"
        lines.append(f"    {declare(source)} -->|{word}| {declare(target)}")
        styles.append(f"    linkStyle {index} stroke:{EDGE_COLOURS[relation]},stroke-width:2px")
    lines.append("    classDef focus stroke-width:3px")
    lines.append(f"    class {ids[root]} focus")
    senses = [ident for node, ident in ids.items() if node.startswith("sense:")]
    if senses:
        lines.append("    classDef sense fill:#1e88e533,stroke:#1e88e5")
        lines.append(f"    class {','.join(senses)} sense")
    return "\n".join(lines + styles)


EDGE_COLOURS = {"supports": "#2e7d32", "objects_to": "#c62828"}


def _collect(tree: TreeNode, edges: list, upstream: bool) -> None:
    """(answering node, answered node, relation) for every edge of the tree."""
    for child in tree.children:
        edges.append((tree.node, child.node, child.relation) if upstream
                     else (child.node, tree.node, child.relation))
        _collect(child, edges, upstream)
