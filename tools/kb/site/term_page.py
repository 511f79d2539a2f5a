"""The page of one term: its senses side by side as positions (who holds each, who agrees, who
disputes it), the claims about it grouped by sense and stance, and its place in the vocabulary."""

from __future__ import annotations

from html import escape as html_escape

from kb.model import Sense, Term
from kb.site.aside import aside, finished
from kb.site.context import (
    UNNAMED,
    SiteData,
    discussion_of,
    holders,
    in_sentence,
    participant,
    sense_label,
    sense_node,
    source_title,
    term_node,
)
from kb.site.entry_parts import attribution, editors_note, facts, source_link
from kb.site.graph_data import graph_link
from kb.site.local_graph import local_graph
from kb.site.markup import (
    HtmlLinker,
    Linker,
    autolink,
    escape,
    heading,
    html_list,
    join_blocks,
    page_start,
    section,
    sense_anchor,
    term_path,
    thread_path,
)

# Shown after the status badge, which already names the status.
STATUS_NOTES = {
    "contested": "The senses below disagree, or the term itself is disputed.",
    "proposed": "A term suggested here, not yet in common use.",
}
STANCES = (("supports", "Supports it"), ("objects_to", "Objects to it"))
SEARCH_BOOST = {"boost": 2}  # a term's page ranks above the pages that mention it


def search_tags(term: Term) -> list[str]:
    """The term's label and aliases as the page's tags: Material's search weighs a tag a
    thousand times a title word, so the page ranks first for any of its names. Not shown on
    the page (``hide: [tags]``: MkDocs has no tags plugin here, Zensical would show them).
    HTML-escaped, as the page's title is
    (:func:`kb.site.markup.page_start`)."""
    return [html_escape(name, quote=False) for name in (term.label, *term.aliases)]


def render_term(data: SiteData, term: Term) -> str:
    """The Markdown of ``terms/<id>.md`` (with its front matter)."""
    linker = Linker(term_path(term.id))
    html = HtmlLinker(linker.page, data.abbreviations)  # for finished HTML: kb.site.aside
    node = term_node(term.id)
    return join_blocks(
        page_start(term.label, search=SEARCH_BOOST, tags=search_tags(term), hide=["tags"]),
        status_block(data, term, linker),
        graph_link(node, linker),
        finished(
            html.blocks(
                facts([("Also called", ", ".join(html.text(a) for a in term.aliases))], html),
                html.paragraph(autolink(term.note, data.mentions, html, skip=term.id))
                if term.note
                else "",
            )
        ),
        vocabulary_tree(data, term, html),
        section("Senses", senses_grid(data, term, linker), heading_indexed=False),
        section(
            "Its definitions use",
            aside(inline_links(data, html, uses_of(data, term))),
            indexed=False,
        ),
        section(
            "Used in the definitions of",
            aside(inline_links(data, html, used_by(data, term))),
            indexed=False,
        ),
        section(
            "Claims about this term",
            claims_by_stance(data, term, html),
            anchor="claims",
            indexed=False,
        ),
        local_graph(data, term_node(term.id), linker),
    )


def inline_links(data: SiteData, html: HtmlLinker, nodes: list[str]) -> str:
    """Linked entries in one paragraph, comma-separated: a set of names reads at a glance
    (as a list, the 23 terms whose definitions use mesa-optimizer took a phone's screen)."""
    return html.paragraph(", ".join(html.node(data.base, n) for n in nodes)) if nodes else ""


def status_block(data: SiteData, term: Term, linker: Linker) -> str:
    """The status badge, and for a deprecated term what replaces it."""
    if term.status == "established":
        return ""
    badge = f'<span class="kb-badge kb-status-{term.status}">{term.status}</span>'
    if term.status == "deprecated" or term.replaced_by:
        target = (
            f" Replaced by {linker.term(data.base, term.replaced_by.target)}."
            if term.replaced_by
            else ""
        )
        return f'{badge}\n\n!!! warning "Deprecated"\n    Prefer another term.{target}'
    return f"{badge} {escape(STATUS_NOTES.get(term.status, ''))}"


def senses_grid(data: SiteData, term: Term, linker: Linker) -> str:
    """Every sense as a card in a grid, so that conflicting senses sit side by side."""
    cards = "\n\n".join(sense_card(data, term, sense, linker) for sense in term.senses)
    return f'<div class="grid kb-senses" markdown>\n\n{cards}\n\n</div>'


def sense_card(data: SiteData, term: Term, sense: Sense, linker: Linker) -> str:
    """One sense as a position: its label, definition, who holds it, who agrees, who
    disputes it, how it relates to the other senses, and where it comes from."""
    html = HtmlLinker(linker.page, data.abbreviations)  # the card but its heading: kb.site.aside
    node = sense_node(sense.key)
    conflicts = _sense_links(data, html, node, "conflicts_with", both=True)
    relations = [
        ("Held by", holder_links(data, html, sense) or "not recorded"),
        ("Agreed with by", agreeing(data, html, node)),
        ("Disputed by", disputing(data, html, node)),
        ("Conflicts with", conflicts),
        ("Refines", _sense_links(data, html, node, "refines")),
        ("Refined by", _sense_links(data, html, node, "refines", incoming=True)),
        ("Uses", ", ".join(html.term(data.base, ref.target) for ref in sense.uses)),
    ]
    body = html.blocks(
        html.paragraph(autolink(sense.definition, data.mentions, html, skip=term.id)),
        facts(relations, html),
        attribution(data, html, sense.source, sense.locator, sense.quote),
        editors_note(data, html, sense.note, skip=term.id),
    )
    heading = f"### {escape(sense_label(data.base, sense))} {{ #{sense_anchor(sense.id)} }}"
    kind = " kb-disputed" if conflicts else ""
    return f'<div class="kb-sense{kind}" markdown>\n\n{heading}\n\n{finished(body)}\n</div>'


def holder_links(data: SiteData, linker: Linker, sense: Sense, within: bool = False) -> str:
    """Who holds ``sense``, each linked to what they wrote (a comment: in its thread); named
    as inside a sentence when ``within`` ("…, held by the author of “…”")."""
    return ", ".join(
        source_link(data, linker, source_id, in_sentence(name) if within else name)
        for name, source_id in holders(data.base, sense)
    )


def agreeing(data: SiteData, linker: Linker, node: str) -> str:
    """The holders of the senses that agree with this one, each with that sense linked."""
    others = sorted(
        set(data.outgoing(node, "agrees_with")) | set(data.incoming(node, "agrees_with"))
    )
    return "; ".join(_held_sense(data, linker, other) for other in others)


def disputing(data: SiteData, linker: Linker, node: str) -> str:
    """The claims that object to this sense, grouped by who made them (a writer is named once
    after all of their claims); several writers are listed one per line."""
    groups: dict[str, list[str]] = {}
    for claim in data.by_label(data.incoming(node, "objects_to")):
        groups.setdefault(writer_link(data, linker, claim), []).append(
            linker.node(data.base, claim)
        )
    lines = [
        "; ".join(claims) + (f" ({writer})" if writer else "") for writer, claims in groups.items()
    ]
    if len(lines) <= 1:
        return "".join(lines)
    return linker.nested(lines)


def _held_sense(data: SiteData, linker: Linker, node: str) -> str:
    sense = data.base.sense(node.split(":", 1)[1])
    names = holder_links(data, linker, sense, within=True) if sense else ""
    link = linker.node(data.base, node)
    return f"{link}, held by {names}" if names else link


def claim_with_writer(data: SiteData, linker: Linker, node: str) -> str:
    """A linked claim followed by who made it, when its source is known."""
    link = linker.node(data.base, node)
    writer = writer_link(data, linker, node)
    return f"{link} ({writer})" if writer else link


def writer_link(data: SiteData, linker: Linker, node: str) -> str:
    """Who made a claim, linked to what they wrote; empty when its source is unknown."""
    claim = data.base.claims.get(node.split(":", 1)[1])
    if claim is None or claim.source is None or claim.source.target not in data.base.sources:
        return ""
    source = data.base.sources[claim.source.target]
    return source_link(data, linker, source.id, participant(source))


def _sense_links(
    data: SiteData, linker: Linker, node: str, edge: str, incoming: bool = False, both: bool = False
) -> str:
    others = set(data.incoming(node, edge) if incoming else data.outgoing(node, edge))
    if both:
        others |= set(data.incoming(node, edge))
    return ", ".join(linker.node(data.base, other) for other in sorted(others))


def claims_by_stance(data: SiteData, term: Term, linker: Linker) -> str:
    """The claims about the term, grouped by the sense they answer and their stance (supports,
    objects to); the others, about the term as a whole, with what they answer. The headings
    are Markdown (the table of contents lists them), the rest finished HTML (kb.site.aside)
    written by ``linker``, an HtmlLinker."""
    blocks, placed = [], set()
    for sense in term.senses:
        node = sense_node(sense.key)
        groups = []
        for edge, stance in STANCES:
            claims = data.by_label(data.incoming(node, edge))
            placed.update(claims)
            if claims:
                items = [claim_with_writer(data, linker, c) for c in claims]
                groups.append(linker.paragraph(linker.strong(f"{stance}:")))
                groups.append(linker.bullets(items))
        if groups:
            title = f"On {sense_label(data.base, sense)}"
            blocks.append(f"{heading(3, title, indexed=False)}\n\n{aside(linker.blocks(*groups))}")
    about = data.by_label(
        [c for c in data.incoming(term_node(term.id), "about") if c not in placed]
    )
    if about:
        title = heading(3, "About the term in general", indexed=False)
        blocks.append(f"{title}\n\n{aside(claims_by_document(data, linker, about))}")
    return "\n\n".join(blocks)


# A claim's stance towards the other claims: what it answers, in the order a list shows them.
ANSWERS = (("objects_to", "objects to", "object to"), ("supports", "supports", "support"))


def stance_rank(data: SiteData, node: str) -> int:
    """0 for a claim that objects to another, 1 for one that supports another, 2 otherwise."""
    return next((i for i, (edge, *_) in enumerate(ANSWERS) if data.outgoing(node, edge)), 2)


def claims_by_document(data: SiteData, linker: Linker, claims: list[str]) -> str:
    """Claims grouped by the document they come from (a paper or post; the comments of one
    discussion together), the documents with the most claims first. Each group says how many
    of its claims object to or support another; its objections come first. Who made a claim
    is named on it only where a group holds several writers' claims (comments)."""
    groups: dict[tuple[str, str, bool], list[str]] = {}
    for claim in claims:
        groups.setdefault(document_of(data, linker, claim), []).append(claim)
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0][0]))
    counts = _stance_counts(data, claims)
    lines = []
    if len(groups) > 1:
        lines.append(
            linker.paragraph(
                f"{_claims(len(claims))} from {len(groups)} documents"
                + (f": {counts}." if counts else ".")
            )
        )
    for (_, head, comments), members in ranked:
        members.sort(key=lambda c: stance_rank(data, c))  # stable: A–Z within a stance
        counts = _stance_counts(data, members)
        lines.append(
            linker.paragraph(
                f"{head} — {_claims(len(members))}" + (f": {counts}" if counts else "")
            )
        )
        items = [
            (claim_with_writer(data, linker, c) if comments else linker.node(data.base, c))
            + stance_of(data, linker, c)
            for c in members
        ]
        lines.append(linker.bullets(items))
    return linker.blocks(*lines)


def _claims(count: int) -> str:
    return f"{count} claim{'s' if count != 1 else ''}"


def _stance_counts(data: SiteData, claims: list[str]) -> str:
    """``3 object to another claim, 5 support another`` (no part for a stance no claim
    takes; nothing when none answers another)."""
    ranks = [stance_rank(data, c) for c in claims]
    parts: list[str] = []
    for i, (_, one, many) in enumerate(ANSWERS):
        count = ranks.count(i)
        if count:
            parts.append(
                f"{count} {one if count == 1 else many} another" + ("" if parts else " claim")
            )
    return ", ".join(parts)


def document_of(data: SiteData, linker: Linker, node: str) -> tuple[str, str, bool]:
    """A claim's document as (sort key, the group's linked heading, whether it is a
    discussion): its source, or for a comment the discussion it belongs to."""
    claim = data.base.claims.get(node.split(":", 1)[1])
    source = data.base.sources.get(claim.source.target) if claim and claim.source else None
    if source is None:
        return "~", linker.strong("Source not recorded"), False
    root_id = discussion_of(data.base, source)
    if root_id is not None:
        root = data.base.sources[root_id]
        where = "in" if root.type == "other" else "on"
        link = linker.link(f"“{source_title(data.base, root)}”", thread_path(root_id))
        return root_id + " comments", linker.strong(f"Comments {where} {link}"), True
    link = source_link(data, linker, source.id)
    by = participant(source)
    named = by == UNNAMED or by.startswith("Author of") or by in source_title(data.base, source)
    return source.id, linker.strong(link) + ("" if named else f" by {linker.text(by)}"), False


def stance_of(data: SiteData, linker: Linker, node: str) -> str:
    """`` — supports X; objects to Y`` for a claim, or nothing when it answers nothing."""
    parts = []
    for edge, word in (("supports", "supports"), ("objects_to", "objects to")):
        targets = data.outgoing(node, edge)
        if targets:
            links = ", ".join(linker.node(data.base, t) for t in targets)
            parts.append(f"{linker.em(word)} {links}")
    return " — " + "; ".join(parts) if parts else ""


def uses_of(data: SiteData, term: Term) -> list[str]:
    """Term nodes that any of the term's definitions use."""
    return sorted(
        {t for sense in term.senses for t in data.outgoing(sense_node(sense.key), "uses")}
    )


def used_by(data: SiteData, term: Term) -> list[str]:
    """Term nodes whose definitions use this term (through one of their senses)."""
    senses = data.incoming(term_node(term.id), "uses")
    return sorted({t for s in senses for t in data.outgoing(s, "sense_of")} - {term_node(term.id)})


def vocabulary_tree(data: SiteData, term: Term, linker: HtmlLinker) -> str:
    """The term in the broader/narrower tree: its broader terms up to the top, the term, and its
    narrower terms; related and replaced terms below. Shown in the sidebar (kb.js moves it
    there; without script it stays at the top of the page). Finished HTML (kb.site.aside),
    nested as Python-Markdown nested the Markdown list it was."""
    node = term_node(term.id)
    children = [linker.node(data.base, child) for child in data.incoming(node, "broader")]
    item = linker.strong(linker.text(term.label)) + (linker.nested(children) if children else "")
    for ancestor in reversed(broader_chain(data, node)):
        item = linker.node(data.base, ancestor) + linker.nested([item])
    related = sorted(set(data.outgoing(node, "related")) | set(data.incoming(node, "related")))
    extra = [
        (
            "Also broader",
            ", ".join(linker.node(data.base, n) for n in data.outgoing(node, "broader")[1:]),
        ),
        ("Related", ", ".join(linker.node(data.base, n) for n in related)),
        (
            "Replaces",
            ", ".join(linker.node(data.base, n) for n in data.incoming(node, "replaced_by")),
        ),
    ]
    items = [item] + [f"{linker.strong(label + ':')} {value}" for label, value in extra if value]
    tree = html_list(items, loose=len(items) > 1)  # the facts list joined the tree's list
    body = f'<p class="kb-vocab-title">Vocabulary</p>\n{tree}'
    # Raw HTML, not a Markdown block: Python-Markdown's md_in_html mangles a list nested in a
    # list item inside a Markdown block. Its attributes as md_in_html wrote them (Material's
    # search plugin then removes data-search-exclude from the page, as it did).
    return (
        '<nav aria-label="Vocabulary" class="kb-vocab-tree" '
        f'data-search-exclude="data-search-exclude">\n{aside(body)}\n</nav>'
    )


def broader_chain(data: SiteData, node: str) -> list[str]:
    """The first broader term, its first broader term, …, from the top down (loops stop it)."""
    chain, seen = [], {node}
    current = data.outgoing(node, "broader")
    while current and current[0] not in seen:
        seen.add(current[0])
        chain.append(current[0])
        current = data.outgoing(current[0], "broader")
    return chain[::-1]


__all__ = [
    "claim_with_writer",
    "render_term",
]
