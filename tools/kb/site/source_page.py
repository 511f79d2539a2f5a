"""The page of one source: who wrote it and when, where it sits (its discussion or the work it
is part of), and what the atlas takes from it."""

from __future__ import annotations

from kb.model import Source
from kb.site.context import (
    SiteData,
    discussion_of,
    display_date,
    participant,
    source_node,
    source_title,
)
from kb.site.entry_parts import facts
from kb.site.graph_data import graph_link
from kb.site.local_graph import local_graph
from kb.site.markup import (
    Linker,
    autolink,
    bullet_list,
    escape,
    external_link,
    first_sentence,
    join_blocks,
    page_start,
    section,
    source_path,
    thread_path,
)
from kb.site.term_page import stance_of

KIND_NAMES = {"other": "document"}


def render_source(data: SiteData, source: Source) -> str:
    """The Markdown of ``sources/<id>.md``."""
    linker = Linker(source_path(source.id))
    node = source_node(source.id)
    claims = [n for n in data.incoming(node, "cites") if n.startswith("claim:")]
    return join_blocks(
        page_start(source_title(data.base, source)),
        graph_link(node, linker),
        search_excluded(
            facts(
                [
                    ("Kind", escape(KIND_NAMES.get(source.type, source.type))),
                    ("By", escape(participant(source))),
                    (
                        "About the author",
                        escape(source.author_note)
                        if source.author_note and not source.authors
                        else "",
                    ),
                    ("Date", escape(display_date(source.date))),
                    ("Original", external_link(source.url, source.url) if source.url else ""),
                    ("Part of", _chain(data, node, "part_of", linker)),
                    (
                        "In reply to",
                        linker.node(data.base, data.outgoing(node, "in_reply_to")[0])
                        if data.outgoing(node, "in_reply_to")
                        else "",
                    ),
                    ("Discussion", discussion_link(data, source, linker)),
                    ("Archived", _not_archived_note(data, source)),
                ]
            )
        ),
        autolink(source.description, data.mentions, linker) if source.description else "",
        section(
            "Parts",
            bullet_list([linker.node(data.base, n) for n in parts(data, node)]),
            indexed=False,
        ),
        section("Senses defined here", senses_citing(data, node, linker), indexed=False),
        section(
            "Claims made here",
            bullet_list([linker.node(data.base, c) + stance_of(data, linker, c) for c in claims]),
            indexed=False,
        ),
        section(
            "Works it refers to",
            bullet_list([linker.node(data.base, n) for n in data.outgoing(node, "references")]),
            indexed=False,
        ),
        section(
            "Referred to by",
            bullet_list([linker.node(data.base, n) for n in data.incoming(node, "references")]),
            indexed=False,
        ),
        local_graph(data, source_node(source.id), linker),
    )


def _not_archived_note(data: SiteData, source: Source) -> str:
    """For a work the documents only cite, say so: its words reach the atlas only where a
    document quotes them, so its quotes were checked against that document, not the work."""
    if data.base.is_archived(source.id):
        return ""
    return (
        "no: a work the archived documents cite; what the atlas takes from it comes "
        "through the documents that quote or summarise it"
    )


def discussion_link(data: SiteData, source: Source, linker: Linker) -> str:
    """For a comment, a link to it in its thread; for a post with comments, to its thread."""
    root = discussion_of(data.base, source)
    if root is not None:
        return linker.comment(data.base, source.id, root, text="this comment in its thread")
    discussion = data.discussions.get(source.id)
    if discussion is None:
        return ""
    count = sum(1 for _ in discussion.walk())
    return linker.link(
        f"the whole thread ({count} comment{'s' if count != 1 else ''})", thread_path(source.id)
    )


def parts(data: SiteData, node: str) -> list[str]:
    """The sources that are part of this one, except comments (those are in its thread)."""
    return [
        n
        for n in data.incoming(node, "part_of")
        if data.graph.nodes[n].get("source_type") != "comment"
    ]


def search_excluded(markdown: str) -> str:
    """``markdown`` kept out of the site search, so that a result's snippet is what the source
    says, not the page's facts ("Kind: comment", "this comment in its thread")."""
    return f"<div data-search-exclude markdown>\n\n{markdown}\n\n</div>" if markdown else ""


def _chain(data: SiteData, node: str, edge: str, linker: Linker) -> str:
    """``parent, part of grandparent, part of …`` following one edge type upward (loops stop
    it)."""
    links, seen = [], {node}
    current = data.outgoing(node, edge)
    while current and current[0] not in seen:
        seen.add(current[0])
        links.append(linker.node(data.base, current[0]))
        current = data.outgoing(current[0], edge)
    return ", part of ".join(links)


def senses_citing(data: SiteData, node: str, linker: Linker) -> str:
    items = []
    for sense in (n for n in data.incoming(node, "cites") if n.startswith("sense:")):
        definition = data.graph.nodes[sense].get("definition", "")
        items.append(f"{linker.node(data.base, sense)}: {escape(first_sentence(definition))}")
    return bullet_list(items)
