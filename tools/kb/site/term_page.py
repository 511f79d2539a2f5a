"""The page of one term: its senses side by side, with every link in both directions."""

from __future__ import annotations

from kb.model import Sense, Term
from kb.site.context import SiteData, sense_node, term_node
from kb.site.markup import (Linker, autolink, bullet_list, escape, join_blocks, section,
                            sense_anchor, term_path)
from kb.site.entry_parts import attribution, entry_footer, facts, links_of
from kb.site.graph_data import graph_link

STATUS_NOTES = {
    "contested": "Contested: the senses below disagree, or the term itself is disputed.",
    "proposed": "Proposed: a term suggested here, not yet in common use.",
}


def render_term(data: SiteData, term: Term) -> str:
    """The Markdown of ``terms/<id>.md``."""
    linker = Linker(term_path(term.id))
    node = term_node(term.id)
    return join_blocks(
        f"# {escape(term.label)}",
        status_block(data, term, linker),
        graph_link(node, linker),
        facts([("Also called", ", ".join(escape(a) for a in term.aliases))]),
        autolink(term.note, data.mentions, linker, skip=term.id) if term.note else "",
        section("Senses", senses_grid(data, term, linker)),
        section("Its definitions use", links_of(data, linker, uses_of(data, term))),
        section("Used in the definitions of",
                links_of(data, linker, used_by(data, term))),
        section("Hierarchy", hierarchy(data, node, linker)),
        section("Claims about this term",
                links_of(data, linker, data.incoming(node, "about"))),
        section("Objections to its senses", objections_to_senses(data, term, linker)),
        entry_footer(data, term),
    )


def status_block(data: SiteData, term: Term, linker: Linker) -> str:
    """The status badge, and for a deprecated term what replaces it."""
    if term.status == "established":
        return ""
    badge = f'<span class="kb-badge kb-status-{term.status}">{term.status}</span>'
    if term.status == "deprecated" or term.replaced_by:
        target = (f" Replaced by {linker.term(data.base, term.replaced_by.target)}."
                  if term.replaced_by else "")
        return f"{badge}\n\n!!! warning \"Deprecated\"\n    Prefer another term.{target}"
    return f"{badge} {escape(STATUS_NOTES.get(term.status, ''))}"


def senses_grid(data: SiteData, term: Term, linker: Linker) -> str:
    """Every sense as a card in a grid, so that conflicting senses sit side by side."""
    cards = "\n\n".join(sense_card(data, term, sense, linker) for sense in term.senses)
    return f'<div class="grid kb-senses" markdown>\n\n{cards}\n\n</div>'


def sense_card(data: SiteData, term: Term, sense: Sense, linker: Linker) -> str:
    node = sense_node(sense.key)
    relations = [
        ("Conflicts with", _sense_links(data, linker, node, "conflicts_with", both=True)),
        ("Refines", _sense_links(data, linker, node, "refines")),
        ("Refined by", _sense_links(data, linker, node, "refines", incoming=True)),
        ("Agrees with", _sense_links(data, linker, node, "agrees_with", both=True)),
        ("Uses", ", ".join(linker.term(data.base, ref.target) for ref in sense.uses)),
        ("Supported by", _claims(data, linker, node, "supports")),
        ("Objected to by", _claims(data, linker, node, "objects_to")),
    ]
    body = join_blocks(
        f"### Sense “{escape(sense.id)}” {{ #{sense_anchor(sense.id)} }}",
        autolink(sense.definition, data.mentions, linker, skip=term.id),
        attribution(data, linker, sense.source, sense.locator, sense.quote),
        facts(relations),
    )
    kind = " kb-disputed" if relations[0][1] else ""
    return f'<div class="kb-sense{kind}" markdown>\n\n{body}\n</div>'


def _sense_links(data: SiteData, linker: Linker, node: str, edge: str,
                 incoming: bool = False, both: bool = False) -> str:
    others = set(data.incoming(node, edge) if incoming else data.outgoing(node, edge))
    if both:
        others |= set(data.incoming(node, edge))
    return ", ".join(linker.node(data.base, other) for other in sorted(others))


def _claims(data: SiteData, linker: Linker, node: str, edge: str) -> str:
    return ", ".join(linker.node(data.base, c) for c in data.incoming(node, edge))


def uses_of(data: SiteData, term: Term) -> list[str]:
    """Term nodes that any of the term's definitions use."""
    return sorted({t for sense in term.senses for t in data.outgoing(sense_node(sense.key), "uses")})


def used_by(data: SiteData, term: Term) -> list[str]:
    """Term nodes whose definitions use this term (through one of their senses)."""
    senses = data.incoming(term_node(term.id), "uses")
    return sorted({t for s in senses for t in data.outgoing(s, "sense_of")} - {term_node(term.id)})


def hierarchy(data: SiteData, node: str, linker: Linker) -> str:
    related = sorted(set(data.outgoing(node, "related")) | set(data.incoming(node, "related")))
    return facts([
        ("Broader", ", ".join(linker.node(data.base, n) for n in data.outgoing(node, "broader"))),
        ("Narrower", ", ".join(linker.node(data.base, n) for n in data.incoming(node, "broader"))),
        ("Related", ", ".join(linker.node(data.base, n) for n in related)),
        ("Replaces", ", ".join(linker.node(data.base, n) for n in data.incoming(node, "replaced_by"))),
    ])


def objections_to_senses(data: SiteData, term: Term, linker: Linker) -> str:
    items = []
    for sense in term.senses:
        for objection in data.incoming(sense_node(sense.key), "objects_to"):
            items.append(f"{linker.node(data.base, objection)} — against "
                         f"{linker.sense(data.base, sense.key)}")
    return bullet_list(items)


__all__ = ["render_term"]
