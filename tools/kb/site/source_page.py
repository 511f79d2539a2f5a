"""The page of one source: who wrote it and when, where it sits (its discussion or the work it
is part of), and what the atlas takes from it."""

from __future__ import annotations

from kb.model import Source
from kb.site.aside import aside
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
    HtmlLinker,
    Linker,
    autolink,
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
    """The Markdown of ``sources/<id>.md``. Its facts and lists of linked entries are left out
    of the search, and written as finished HTML (kb.site.aside)."""
    page = source_path(source.id)
    linker, html = Linker(page), HtmlLinker(page, data.abbreviations)
    node = source_node(source.id)
    claims = [n for n in data.incoming(node, "cites") if n.startswith("claim:")]
    return join_blocks(
        page_start(source_title(data.base, source)),
        graph_link(node, linker),
        search_excluded(facts(source_facts(data, source, html), html)),
        autolink(source.description, data.mentions, linker) if source.description else "",
        listing("Parts", [html.node(data.base, n) for n in parts(data, node)], html),
        section("Senses defined here", aside(senses_citing(data, node, html)), indexed=False),
        listing(
            "Claims made here",
            [html.node(data.base, c) + stance_of(data, html, c) for c in claims],
            html,
        ),
        listing(
            "Works it refers to",
            [html.node(data.base, n) for n in data.outgoing(node, "references")],
            html,
        ),
        listing(
            "Referred to by",
            [html.node(data.base, n) for n in data.incoming(node, "references")],
            html,
        ),
        local_graph(data, source_node(source.id), linker),
    )


def source_facts(data: SiteData, source: Source, html: HtmlLinker) -> list[tuple[str, str]]:
    """What the source is, who wrote it and when, and where it sits (HTML)."""
    node = source_node(source.id)
    replied = data.outgoing(node, "in_reply_to")
    return [
        ("Kind", html.text(KIND_NAMES.get(source.type, source.type))),
        ("By", html.text(participant(source))),
        (
            "About the author",
            html.text(source.author_note) if source.author_note and not source.authors else "",
        ),
        ("Date", html.text(display_date(source.date))),
        ("Original", external_link(source.url, source.url) if source.url else ""),
        ("Part of", _chain(data, node, "part_of", html)),
        ("In reply to", html.node(data.base, replied[0]) if replied else ""),
        ("Discussion", discussion_link(data, source, html)),
        ("Archived", html.text(_not_archived_note(data, source))),
    ]


def listing(title: str, items: list[str], html: HtmlLinker) -> str:
    """A section listing linked entries (HTML items), left out of the search."""
    return section(title, aside(html.bullets(items)), indexed=False)


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


def search_excluded(html: str) -> str:
    """Finished ``html`` kept out of the site search, so that a result's snippet is what the
    source says, not the page's facts ("Kind: comment", "this comment in its thread")."""
    return f"<div data-search-exclude markdown>\n\n{aside(html)}\n\n</div>" if html else ""


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
        items.append(f"{linker.node(data.base, sense)}: {linker.text(first_sentence(definition))}")
    return linker.bullets(items)
