"""The page of one claim: the claim and its source, what it answers, its argument view (what
supports, objects to or undercuts it, and who said so) and its neighbourhood in the graph."""

from __future__ import annotations

from kb.model import Claim
from kb.site.argtree import ArgumentView, unindexed_section
from kb.site.context import SiteData, claim_node
from kb.site.entry_parts import attribution, editors_note, facts
from kb.site.graph_data import graph_link
from kb.site.local_graph import local_graph
from kb.site.markup import Linker, autolink, claim_path, join_blocks, page_start


def render_claim(data: SiteData, claim: Claim) -> str:
    """The Markdown of ``arguments/<id>.md`` (no table of contents: the argument view gets
    the width). The claim, who said it, what it is about and what it answers come first,
    then the argument view; the editors' note follows it (on a phone it came between the
    claim and its answers)."""
    page = claim_path(claim.id)
    linker = Linker(page)
    node = claim_node(claim.id)
    view = ArgumentView(data, page, node)
    return join_blocks(
        page_start(claim.headline, hide=["toc"]),
        graph_link(node, linker),
        f'<div class="kb-claim" markdown>\n\n{autolink(claim.claim, data.mentions, linker)}\n\n</div>',
        attribution(data, linker, claim.source, claim.locator, claim.quote),
        facts([("About", ", ".join(linker.term(data.base, ref.target) for ref in claim.about))]),
        unindexed_section("What this claim answers", "answers", "kb-arg-answered", view.context()),
        unindexed_section(
            "Answers to this claim",
            "responses",
            "kb-argmap",
            view.render() or '<p class="kb-arg-none">Nothing answers it yet.</p>',
        ),
        editors_note(data, linker, claim.note),
        local_graph(data, node, linker),
    )
