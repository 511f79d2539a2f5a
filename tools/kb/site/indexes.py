"""Pages that list entries: the three section indexes, the A–Z glossary and the disputes."""

from __future__ import annotations

import unicodedata
from itertools import groupby
from textwrap import indent

from kb.model import Term
from kb.site.context import (
    SiteData,
    discussion_of,
    display_date,
    holders,
    in_sentence,
    join_names,
    node_id,
    participant,
    participant_where,
    reading_key,
    sense_label,
    sense_node,
)
from kb.site.markup import (
    Linker,
    bullet_list,
    escape,
    escape_html,
    first_sentence,
    join_blocks,
    page_start,
    section,
    sense_name,
    sense_target,
    term_path,
    thread_path,
)
from kb.site.thread_page import thread_title

KIND_HEADINGS = {
    "other": "Other documents",
    "comment": "Comments",
    "wiki": "Wiki pages",
    "newsletter": "Newsletters",
    "sequence": "Sequences",
    "paper": "Papers",
    "post": "Posts",
    "video": "Videos",
    "book": "Books",
}


def one_line(data: SiteData, term_id: str) -> str:
    """The whole first sentence of a term's first definition (plain text)."""
    term = data.base.terms[term_id]
    return first_sentence(term.senses[0].definition) if term.senses else ""


def sortable(table: str, caption: str, text_column: int) -> str:
    """A Markdown table that kb.js makes sortable by clicking its headers (it stays a plain,
    readable table without script); ``caption`` names it for screen readers. On a phone each
    row becomes a card whose ``text_column`` (1-based: the column of long text) takes the
    whole width. The site search leaves the table out: every row repeats an entry whose own
    page is indexed, and the search index is loaded by every page."""
    return (
        f'<div class="kb-sortable kb-text-col-{text_column}" role="region" '
        f'aria-label="{escape_html(caption)}" tabindex="0" data-search-exclude markdown>'
        f"\n\n{table}\n\n</div>"
    )


def status_badge(data: SiteData, linker: Linker, term: Term) -> str:
    """The term's status as a badge (contested, deprecated, proposed; nothing when
    established), and for a replaced term what replaces it."""
    if term.status == "established":
        return ""
    badge = f'<span class="kb-badge kb-status-{term.status}">{escape(term.status)}</span>'
    if term.replaced_by:
        return f"{badge} (use {linker.term(data.base, term.replaced_by.target)} instead)"
    return badge


def render_terms_index(data: SiteData) -> str:
    linker = Linker("terms/index.md")
    rows = ["| Term | Status | Senses | Definition |", "| --- | --- | --- | --- |"]
    for term in sorted(data.base.terms.values(), key=lambda t: reading_key(t.label)):
        rows.append(
            f"| {linker.term(data.base, term.id)} | {escape(term.status)} | "
            f"{len(term.senses)} | {escape(one_line(data, term.id))} |"
        )
    return join_blocks(
        page_start("Terms"),
        f"{len(data.base.terms)} terms. Click a column "
        "heading to sort. See also the "
        f"[glossary]({linker.href('glossary.md')}) and the "
        f"[disputes]({linker.href('disputes.md')}).",
        sortable("\n".join(rows), "Terms", text_column=4),
    )


def render_claims_index(data: SiteData) -> str:
    linker = Linker("arguments/index.md")
    rows = ["| Claim | By | Supported by | Objected to by |", "| --- | --- | --- | --- |"]
    for claim in sorted(data.base.claims.values(), key=lambda c: reading_key(c.headline)):
        node = f"claim:{claim.id}"
        source = data.base.sources.get(claim.source.target) if claim.source else None
        rows.append(
            f"| {linker.claim(data.base, claim.id)} "
            f"| {escape(participant_where(data.base, source)) if source else ''} "
            f"| {len(data.incoming(node, 'supports'))} "
            f"| {len(data.incoming(node, 'objects_to'))} |"
        )
    return join_blocks(
        page_start("Arguments"),
        f"{len(data.base.claims)} claims. Click a column heading to sort.",
        sortable("\n".join(rows), "Claims", text_column=1),
    )


def render_sources_index(data: SiteData) -> str:
    linker = Linker("sources/index.md")
    blocks = [page_start("Sources"), f"{len(data.base.sources)} sources."]
    threads = [
        linker.link(thread_title(d), thread_path(root)) + f" ({sum(1 for _ in d.walk())} comments)"
        for root, d in sorted(
            data.discussions.items(), key=lambda item: reading_key(item[1].root.title)
        )
    ]
    blocks.append(section("Discussions", bullet_list(threads), anchor="discussions"))
    others = [s for s in data.base.sources.values() if s.type != "comment"]
    by_kind = sorted(others, key=lambda s: (s.type, reading_key(s.title)))
    for kind, group in groupby(by_kind, key=lambda s: s.type):
        items = [
            f"{linker.source(data.base, s.id)}, {escape(participant(s))}"
            + (f" ({escape(display_date(s.date))})" if s.date else "")
            for s in group
        ]
        blocks.append(
            section(
                KIND_HEADINGS.get(kind, kind.capitalize()),
                bullet_list(items),
                anchor=f"kind-{kind}",
            )
        )
    comments = [s for s in data.base.sources.values() if s.type == "comment"]
    if comments:
        blocks.append(f"The {len(comments)} comments are listed in their discussions above.")
    return join_blocks(*blocks)


def glossary_rows(data: SiteData) -> list[tuple[str, str, str | None]]:
    """``(name, term id, alias of)`` for every label and alias, sorted A–Z."""
    rows: list[tuple[str, str, str | None]] = []
    for term in data.base.terms.values():
        rows.append((term.label, term.id, None))
        rows.extend((alias, term.id, term.label) for alias in term.aliases)
    return sorted(rows, key=lambda r: (_letter(r[0]) == "#", reading_key(r[0]), r[2] is not None))


def _letter(name: str) -> str:
    first = unicodedata.normalize("NFKD", name)[:1].upper()
    return first if first.isalpha() else "#"


def glossary_entry(data: SiteData, linker: Linker, term: Term) -> str:
    """A term in the glossary: its number of senses, its status (a contested or deprecated
    marker), and the whole first sentence of each sense (labelled when there are several)."""
    count = len(term.senses)
    head = (
        f"**{linker.link(term.label, term_path(term.id))}** "
        f"<small>{count} sense{'s' if count != 1 else ''}</small> "
        f"{status_badge(data, linker, term)}"
    )
    if count == 1:
        return f"{head.rstrip()}: {escape(first_sentence(term.senses[0].definition))}"
    senses = [
        f"*{escape(sense_label(data.base, s))}:* {escape(first_sentence(s.definition))}"
        for s in term.senses
    ]
    nested = "\n".join(f"    - {line}" for line in senses)
    return f"{head.rstrip()}\n\n{nested}"


def render_glossary(data: SiteData) -> str:
    linker = Linker("glossary.md")
    rows = glossary_rows(data)
    letters = list(dict.fromkeys(_letter(name) for name, _, _ in rows))
    jump = " · ".join(f"[{escape(c)}](#{_letter_anchor(c)})" for c in letters)
    blocks = [
        page_start("Glossary"),
        "Every term and alias, A–Z: how many senses the term has, whether it is "
        "contested or deprecated, and the first sentence of each sense.",
        f'<nav class="kb-az" aria-label="Letters" markdown>{jump}</nav>' if jump else "",
    ]
    for letter, group in groupby(rows, key=lambda r: _letter(r[0])):
        items = []
        for name, term_id, alias_of in group:
            if alias_of:
                link = linker.link(name, term_path(term_id))
                items.append(f"{link}: see *{escape(alias_of)}*")
            else:
                items.append(glossary_entry(data, linker, data.base.terms[term_id]))
        blocks.append(section(letter, bullet_list(items), anchor=_letter_anchor(letter)))
    abbreviations = [
        f"**{escape(key)}**: {escape(value)}"
        for key, value in sorted(data.abbreviations.items(), key=lambda kv: reading_key(kv[0]))
    ]
    blocks.append(section("Abbreviations", bullet_list(abbreviations), anchor="abbreviations"))
    return join_blocks(*blocks)


def _letter_anchor(letter: str) -> str:
    return "letter-other" if letter == "#" else f"letter-{letter.lower()}"


def conflicting_pairs(data: SiteData) -> list[tuple[str, str]]:
    """Every conflict between two senses, once (A↔B, not also B↔A), as sorted sense keys."""
    pairs: set[tuple[str, str]] = set()
    for sense in data.base.senses():
        for target in data.outgoing(sense_node(sense.key), "conflicts_with"):
            first, second = sorted((sense.key, node_id(target)))
            pairs.add((first, second))
    return sorted(pairs)


def _held_sense(data: SiteData, linker: Linker, key: str, with_term: bool) -> str:
    """A sense linked, by its label (with its term's when ``with_term``), and who holds it."""
    sense = data.base.sense(key)
    if sense is None:
        return linker.sense(data.base, key)
    name = sense_name(data.base, key) if with_term else sense_label(data.base, sense)
    link = linker.link(name, *sense_target(key))
    names = join_names([in_sentence(name) for name, _ in holders(data.base, sense)])
    # A sense without a label is named by its holder already ("sense 2, held by evhub").
    return f"{link}, held by {escape(names)}," if names and sense.label else link


def conflicts_by_term(data: SiteData, linker: Linker) -> list[str]:
    """The conflicting senses under their term, each sense with who holds it: a reader sees
    who holds which definition without opening the term's page."""
    items = []
    for term_id, group in groupby(conflicting_pairs(data), key=lambda p: p[0].partition("#")[0]):
        pairs = list(group)
        lines = [
            _held_sense(data, linker, a, False)
            + " conflicts with "
            + _held_sense(data, linker, b, b.partition("#")[0] != term_id).rstrip(",")
            for a, b in pairs
        ]
        count = f"{len(pairs)} conflict{'s' if len(pairs) > 1 else ''}"
        items.append(
            f"{linker.term(data.base, term_id)}, {count}:\n\n" + indent(bullet_list(lines), "    ")
        )
    return items


def unanswered_objections(data: SiteData) -> dict[str, list[str]]:
    """Claims and senses → the objections to them that nothing objects to in turn."""
    out: dict[str, list[str]] = {}
    for target in sorted(data.graph.nodes):
        if not target.startswith(("claim:", "sense:")):
            continue
        open_ones = [
            o for o in data.incoming(target, "objects_to") if not data.incoming(o, "objects_to")
        ]
        if open_ones:
            out[target] = open_ones
    return out


def document_of(data: SiteData, node: str) -> str | None:
    """The document a claim or sense comes from: its source, or for a comment the post whose
    discussion it is part of (a whole thread is one document)."""
    source = data.base.sources.get(str(data.graph.nodes[node].get("source", "")))
    if source is None:
        return None
    return discussion_of(data.base, source) or source.id


def cross_document_disputes(data: SiteData) -> dict[str, list[str]]:
    """Claims and senses → the objections and undercuts answering them from another document."""
    out: dict[str, list[str]] = {}
    for target in sorted(data.graph.nodes):
        if not target.startswith(("claim:", "sense:")):
            continue
        home = document_of(data, target)
        attackers = [
            a
            for a in data.incoming(target, "objects_to", "undercuts")
            if document_of(data, a) not in (home, None)
        ]
        if home is not None and attackers:
            out[target] = attackers
    return out


def _with_document(data: SiteData, linker: Linker, node: str) -> str:
    document = document_of(data, node)
    return (
        f"{linker.node(data.base, node)} (in {linker.node(data.base, 'source:' + str(document))})"
    )


def render_disputes(data: SiteData) -> str:
    linker = Linker("disputes.md")
    conflicts = conflicts_by_term(data, linker)
    contested = [
        linker.term(data.base, t.id)
        for t in sorted(data.base.terms.values(), key=lambda t: reading_key(t.label))
        if t.status == "contested"
    ]
    open_items = []
    unanswered = unanswered_objections(data)
    for target in data.by_label(list(unanswered)):
        answers = "; ".join(linker.node(data.base, o) for o in data.by_label(unanswered[target]))
        open_items.append(f"{linker.node(data.base, target)}, objected to by {answers}")
    disputed = cross_document_disputes(data)
    across = [
        _with_document(data, linker, target)
        + ", answered by "
        + "; ".join(_with_document(data, linker, a) for a in data.by_label(disputed[target]))
        for target in data.by_label(list(disputed))
    ]
    return join_blocks(
        page_start("Disputes"),
        "Where the atlas records disagreement: definitions that conflict, positions answered "
        "from another document, terms marked contested, and objections nobody has answered yet.",
        section(
            "Conflicting senses",
            bullet_list(conflicts, "No conflicting senses."),
            anchor="conflicting-senses",
        ),
        section(
            "Across documents",
            "Each claim or definition below is objected to or undercut from a document other "
            "than its own; one item per disputed position, with every document that answers it.\n\n"
            + bullet_list(across, "No position is answered from another document."),
            anchor="across-documents",
        ),
        section(
            "Contested terms",
            bullet_list(contested, "No contested terms."),
            anchor="contested-terms",
        ),
        section(
            "Unanswered objections",
            bullet_list(open_items, "Every objection has an answer."),
            anchor="unanswered-objections",
        ),
    )
