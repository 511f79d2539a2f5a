"""The page of one claim: the claim, its source, and its argument tree in both directions."""

from __future__ import annotations

from kb.model import Claim
from kb.site.argtree import argument_tree, mermaid_diagram, tree_list
from kb.site.context import SiteData, claim_node
from kb.site.entry_parts import attribution, facts
from kb.site.graph_data import graph_link
from kb.site.markup import Linker, autolink, claim_path, join_blocks, page_start, section


def render_claim(data: SiteData, claim: Claim) -> str:
    """The Markdown of ``arguments/<id>.md``."""
    linker = Linker(claim_path(claim.id))
    node = claim_node(claim.id)
    up = argument_tree(data, node, downstream=False)
    down = argument_tree(data, node, downstream=True)
    diagram = ""
    if up.children or down.children:
        diagram = f"```mermaid\n{mermaid_diagram(data, node, up, down)}\n```"
    return join_blocks(
        page_start(claim.headline),
        graph_link(node, linker),
        f'<div class="kb-claim" markdown>\n\n{autolink(claim.claim, data.mentions, linker)}\n\n</div>',
        attribution(data, linker, claim.source, claim.locator, claim.quote),
        facts([("About", ", ".join(linker.term(data.base, ref.target) for ref in claim.about))]),
        section("Argument map", diagram),
        section("What this claim answers", tree_list(data, up, linker, downstream=False)),
        section("What answers this claim",
                tree_list(data, down, linker, downstream=True) or "*Nothing answers it yet.*",
                anchor="responses"),
    )
