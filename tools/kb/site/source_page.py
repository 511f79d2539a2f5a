"""The page of one source: bibliographic data, its thread, and what the atlas takes from it."""

from __future__ import annotations

from kb.model import Source
from kb.site.context import SiteData, source_node
from kb.site.entry_parts import entry_footer, facts
from kb.site.graph_data import graph_link
from kb.site.markup import (Linker, autolink, bullet_list, escape, escape_html, external_link,
                            first_sentence, join_blocks, section, source_path)

MAX_THREAD_DEPTH = 4
THREAD_EDGES = ("part_of", "in_reply_to")


def render_source(data: SiteData, source: Source) -> str:
    """The Markdown of ``sources/<id>.md``."""
    linker = Linker(source_path(source.id))
    node = source_node(source.id)
    return join_blocks(
        f"# {escape(source.title)}",
        graph_link(node, linker),
        facts([
            ("Kind", escape(source.type)),
            ("By", escape(source.byline)),
            ("Date", escape(source.date or "")),
            ("Original", external_link(source.url, source.url) if source.url else ""),
            ("Seed document", f"<code>{escape_html(source.seed)}</code>" if source.seed else ""),
        ]),
        autolink(source.description, data.mentions, linker) if source.description else "",
        section("Thread", thread(data, node, linker)),
        section("Senses defined here", senses_citing(data, node, linker)),
        section("Claims made here", bullet_list(
            [linker.node(data.base, n) for n in data.incoming(node, "cites") if n.startswith("claim:")])),
        section("Works it refers to", bullet_list([linker.node(data.base, n)
                                                   for n in data.outgoing(node, "references")])),
        section("Referred to by", bullet_list([linker.node(data.base, n)
                                               for n in data.incoming(node, "references")])),
        entry_footer(data, source),
    )


def thread(data: SiteData, node: str, linker: Linker) -> str:
    """The chain of parents (part of / in reply to), then the tree of replies and parts."""
    return join_blocks(
        facts([("Part of", _chain(data, node, "part_of", linker)),
               ("In reply to", _chain(data, node, "in_reply_to", linker))]),
        _answers(data, node, linker, depth=1, indent=0),
    ).strip()


def _chain(data: SiteData, node: str, edge: str, linker: Linker) -> str:
    """``parent ← grandparent ← …`` following one edge type upward (loops stop it)."""
    links, seen = [], {node}
    current = data.outgoing(node, edge)
    while current and current[0] not in seen:
        seen.add(current[0])
        links.append(linker.node(data.base, current[0]))
        current = data.outgoing(current[0], edge)
    return " ← ".join(links)


def _answers(data: SiteData, node: str, linker: Linker, depth: int, indent: int) -> str:
    if depth > MAX_THREAD_DEPTH:
        return ""
    lines = []
    for edge, word in (("in_reply_to", "reply"), ("part_of", "part")):
        for child in data.incoming(node, edge):
            lines.append(f"{' ' * indent}- *{word}:* {linker.node(data.base, child)}")
            nested = _answers(data, child, linker, depth + 1, indent + 4)
            if nested:
                lines.append(nested)
    return "\n".join(lines)


def senses_citing(data: SiteData, node: str, linker: Linker) -> str:
    items = []
    for sense in (n for n in data.incoming(node, "cites") if n.startswith("sense:")):
        definition = data.graph.nodes[sense].get("definition", "")
        items.append(f"{linker.node(data.base, sense)}: {escape(first_sentence(definition))}")
    return bullet_list(items)
