"""Pages that list entries: the three section indexes, the A–Z glossary and the disputes."""

from __future__ import annotations

import unicodedata
from itertools import groupby

from kb.site.context import SiteData, claim_node, node_id, sense_node
from kb.site.markup import (Linker, bullet_list, escape, first_sentence, join_blocks, section,
                            term_path)


def _sort_key(text: str) -> str:
    return unicodedata.normalize("NFKD", text).casefold()


def one_line(data: SiteData, term_id: str) -> str:
    """The first sentence of a term's first definition (plain text)."""
    term = data.base.terms[term_id]
    return first_sentence(term.senses[0].definition) if term.senses else ""


def render_terms_index(data: SiteData) -> str:
    linker = Linker("terms/index.md")
    rows = ["| Term | Status | Senses | Definition |", "| --- | --- | --- | --- |"]
    for term in sorted(data.base.terms.values(), key=lambda t: _sort_key(t.label)):
        rows.append(f"| {linker.term(data.base, term.id)} | {escape(term.status)} | "
                    f"{len(term.senses)} | {escape(one_line(data, term.id))} |")
    return join_blocks("# Terms", f"{len(data.base.terms)} terms. See also the "
                       f"[glossary]({linker.href('glossary.md')}) and the "
                       f"[disputes]({linker.href('disputes.md')}).", "\n".join(rows))


def render_claims_index(data: SiteData) -> str:
    linker = Linker("arguments/index.md")
    rows = ["| Claim | Supported by | Objected to by |", "| --- | --- | --- |"]
    for claim in sorted(data.base.claims.values(), key=lambda c: _sort_key(c.headline)):
        node = claim_node(claim.id)
        rows.append(f"| {linker.claim(data.base, claim.id)} | {len(data.incoming(node, 'supports'))} "
                    f"| {len(data.incoming(node, 'objects_to'))} |")
    return join_blocks("# Arguments", f"{len(data.base.claims)} claims.", "\n".join(rows))


def render_sources_index(data: SiteData) -> str:
    linker = Linker("sources/index.md")
    by_kind = sorted(data.base.sources.values(), key=lambda s: (s.type, _sort_key(s.title)))
    blocks = ["# Sources", f"{len(data.base.sources)} sources."]
    for kind, group in groupby(by_kind, key=lambda s: s.type):
        items = [f"{linker.source(data.base, s.id)}, {escape(s.byline)}"
                 + (f" ({escape(s.date)})" if s.date else "") for s in group]
        blocks.append(section(kind.capitalize(), bullet_list(items), anchor=f"kind-{kind}"))
    return join_blocks(*blocks)


def glossary_rows(data: SiteData) -> list[tuple[str, str, str | None]]:
    """``(name, term id, alias of)`` for every label and alias, sorted A–Z."""
    rows = []
    for term in data.base.terms.values():
        rows.append((term.label, term.id, None))
        rows.extend((alias, term.id, term.label) for alias in term.aliases)
    return sorted(rows, key=lambda r: (_letter(r[0]) == "#", _sort_key(r[0]), r[2] is not None))


def _letter(name: str) -> str:
    first = unicodedata.normalize("NFKD", name)[:1].upper()
    return first if first.isalpha() else "#"


def render_glossary(data: SiteData) -> str:
    linker = Linker("glossary.md")
    rows = glossary_rows(data)
    letters = list(dict.fromkeys(_letter(name) for name, _, _ in rows))
    jump = " · ".join(f"[{escape(l)}](#{_letter_anchor(l)})" for l in letters)
    blocks = ["# Glossary", "Every term and alias, A–Z, with the first sentence of its first "
              "definition.", f'<nav class="kb-az" markdown>{jump}</nav>' if jump else ""]
    for letter, group in groupby(rows, key=lambda r: _letter(r[0])):
        items = []
        for name, term_id, alias_of in group:
            link = linker.link(name, term_path(term_id))
            if alias_of:
                items.append(f"{link}: see *{escape(alias_of)}*")
            else:
                items.append(f"**{link}**: {escape(one_line(data, term_id))}")
        blocks.append(section(letter, bullet_list(items), anchor=_letter_anchor(letter)))
    return join_blocks(*blocks)


def _letter_anchor(letter: str) -> str:
    return "letter-other" if letter == "#" else f"letter-{letter.lower()}"


def conflicting_pairs(data: SiteData) -> list[tuple[str, str]]:
    """Every ``conflicts_with`` link between two senses, as (from, to) sense keys, sorted."""
    pairs = set()
    for sense in data.base.senses():
        for target in data.outgoing(sense_node(sense.key), "conflicts_with"):
            pairs.add((sense.key, node_id(target)))
    return sorted(pairs)


def unanswered_objections(data: SiteData) -> dict[str, list[str]]:
    """Claims and senses → the objections to them that nothing objects to in turn."""
    out: dict[str, list[str]] = {}
    for target in sorted(data.graph.nodes):
        if not target.startswith(("claim:", "sense:")):
            continue
        open_ones = [o for o in data.incoming(target, "objects_to")
                     if not data.incoming(o, "objects_to")]
        if open_ones:
            out[target] = open_ones
    return out


def render_disputes(data: SiteData) -> str:
    linker = Linker("disputes.md")
    conflicts = [f"{linker.sense(data.base, a)} conflicts with {linker.sense(data.base, b)}"
                 for a, b in conflicting_pairs(data)]
    contested = [linker.term(data.base, t.id) for t in data.base.terms.values()
                 if t.status == "contested"]
    open_items = []
    for target, objections in unanswered_objections(data).items():
        answers = "; ".join(linker.node(data.base, o) for o in objections)
        open_items.append(f"{linker.node(data.base, target)}, objected to by {answers}")
    return join_blocks(
        "# Disputes",
        "Where the atlas records disagreement: definitions that conflict, terms marked "
        "contested, and objections nobody has answered yet.",
        section("Conflicting senses", bullet_list(conflicts, "No conflicting senses."),
                anchor="conflicting-senses"),
        section("Contested terms", bullet_list(sorted(contested), "No contested terms."),
                anchor="contested-terms"),
        section("Unanswered objections", bullet_list(open_items, "Every objection has an answer."),
                anchor="unanswered-objections"),
    )

