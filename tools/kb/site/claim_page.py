"""The page of one claim: the claim and its source, what it answers, its argument view (what
supports, objects to or undercuts it, and who said so) and its neighbourhood in the graph."""

from __future__ import annotations

from kb.model import Claim
from kb.site.argtree import ArgumentView, title_names_writer, unindexed_section
from kb.site.aside import finished
from kb.site.context import SiteData, claim_node, participant, participant_where
from kb.site.entry_parts import attribution, editors_note, facts
from kb.site.graph_data import graph_link, node_label
from kb.site.local_graph import local_graph
from kb.site.markup import HtmlLinker, Linker, autolink, claim_path, join_blocks, page_start


def writer(data: SiteData, claim: Claim, linker: Linker) -> str:
    """Who made the claim, where the title of its source does not say so already: the
    authors of a paper, or a commenter known by their place in a discussion."""
    source = data.base.sources.get(claim.source.target) if claim.source else None
    if source is None:
        return ""
    title = node_label(data, f"source:{source.id}")
    if title_names_writer(title, participant(source)):
        return ""
    return linker.text(participant_where(data.base, source))


def render_claim(data: SiteData, claim: Claim) -> str:
    """The Markdown of ``arguments/<id>.md`` (no table of contents: the argument view gets
    the width). The claim, who said it, what it is about and what it answers come first,
    then the argument view; the editors' note follows it (on a phone it came between the
    claim and its answers). All but the title is finished HTML (kb.site.aside)."""
    page = claim_path(claim.id)
    linker, html = Linker(page), HtmlLinker(page, data.abbreviations)
    node = claim_node(claim.id)
    view = ArgumentView(data, page, node)
    text = html.paragraph(autolink(claim.claim, data.mentions, html))
    return join_blocks(
        page_start(claim.headline, hide=["toc"]),
        graph_link(node, linker),
        finished(
            html.blocks(
                f'<div class="kb-claim">\n{text}\n</div>',
                attribution(data, html, claim.source, claim.locator, claim.quote),
                facts(
                    [
                        ("By", writer(data, claim, html)),
                        ("About", ", ".join(html.term(data.base, r.target) for r in claim.about)),
                    ],
                    html,
                ),
            )
        ),
        unindexed_section("What this claim answers", "answers", "kb-arg-answered", view.context()),
        unindexed_section(
            "Answers to this claim",
            "responses",
            "kb-argmap",
            view.render() or '<p class="kb-arg-none">Nothing answers it yet.</p>',
        ),
        finished(editors_note(data, html, claim.note)),
        local_graph(data, node, linker),
    )
