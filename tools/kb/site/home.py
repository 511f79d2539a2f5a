"""Live figures for hand-written pages: the home page's counts and its most contested terms.

A hand-written page asks for them with a marker on a line of its own (an HTML comment, so the
page reads fine where the plugin does not run): ``<!-- kb:counts -->`` and
``<!-- kb:contested -->``. The plugin replaces each marker with Markdown computed from the
knowledge base at build time, so the home page never shows a stale, hand-typed number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kb.model import Term
from kb.site.context import SiteData, sense_node, term_node
from kb.site.markup import Linker, abbreviation_definitions, bullet_list, join_blocks

MOST_CONTESTED = 8


@dataclass(frozen=True)
class Dispute:
    """How disputed a term is: conflicts between its senses, objections to its senses or to
    claims about it."""

    term: Term
    conflicts: int
    objections: int

    @property
    def weight(self) -> int:
        return self.conflicts + self.objections


def counts(data: SiteData) -> list[tuple[int, str, str]]:
    """``(number, what, page)``: terms, senses, claims, sources and objections (claims that
    object to a claim or a sense), each with the page that lists them."""
    base = data.base
    objections = sum(1 for claim in base.claims.values() if claim.objects_to)
    return [
        (len(base.terms), "terms", "terms/index.md"),
        (sum(len(term.senses) for term in base.terms.values()), "senses", "glossary.md"),
        (len(base.claims), "claims", "arguments/index.md"),
        (len(base.sources), "sources", "sources/index.md"),
        (objections, "objections", "disputes.md"),
    ]


def render_counts(data: SiteData, linker: Linker) -> str:
    items = [
        f"[**{number:,}** {what if number != 1 else what[:-1]}]({linker.href(page)})"
        for number, what, page in counts(data)
    ]
    return f'<div class="kb-counts" markdown>\n\n{bullet_list(items)}\n\n</div>'


def dispute(data: SiteData, term: Term) -> Dispute:
    senses = [sense_node(sense.key) for sense in term.senses]
    conflicting = {
        frozenset((s, other))
        for s in senses
        for other in data.outgoing(s, "conflicts_with") + data.incoming(s, "conflicts_with")
    }
    targets = senses + data.incoming(term_node(term.id), "about")
    objections = sum(len(data.incoming(target, "objects_to")) for target in targets)
    return Dispute(term, len(conflicting), objections)


def most_contested(data: SiteData, limit: int = MOST_CONTESTED) -> list[Dispute]:
    """The terms with the most conflicts and objections (ties: marked contested first, then
    A–Z); a term with neither is listed only when its status is ``contested``."""
    disputes = [dispute(data, term) for term in data.base.terms.values()]
    disputes = [d for d in disputes if d.weight or d.term.status == "contested"]
    disputes.sort(key=lambda d: (-d.weight, d.term.status != "contested", d.term.label.casefold()))
    return disputes[:limit]


def render_contested(data: SiteData, linker: Linker) -> str:
    items = []
    for d in most_contested(data):
        badge = (
            ' <span class="kb-badge kb-status-contested">contested</span>'
            if d.term.status == "contested"
            else ""
        )
        figures = ", ".join(
            part
            for part in (
                _plural(d.conflicts, "conflict between senses", "conflicts between senses"),
                _plural(d.objections, "objection", "objections"),
            )
            if part
        )
        items.append(
            f"{linker.term(data.base, d.term.id)}{badge}" + (f" — {figures}" if figures else "")
        )
    return join_blocks(
        bullet_list(items, "Nothing is disputed yet."),
        f"All disputes: [conflicting senses, contested terms, unanswered "
        f"objections]({linker.href('disputes.md')}).",
    )


def _plural(number: int, one: str, many: str) -> str:
    return "" if not number else f"{number} {one if number == 1 else many}"


MARKERS: dict[str, Callable[[SiteData, Linker], str]] = {
    "<!-- kb:counts -->": render_counts,
    "<!-- kb:contested -->": render_contested,
}


def fill_markers(markdown: str, data: SiteData, page: str) -> str:
    """``markdown`` (of the docs page ``page``) with every marker line replaced by its figures,
    links to entries this knowledge base does not hold reduced to their text, and the
    abbreviations' definitions appended (each use then shows its expansion)."""
    if "<!-- kb:" in markdown:
        linker = Linker(page)
        lines = [
            MARKERS[line.strip()](data, linker) if line.strip() in MARKERS else line
            for line in markdown.split("\n")
        ]
        markdown = "\n".join(lines)
    return with_abbreviations(unlink_missing_entries(markdown, data), data)


_ENTRY_LINK = re.compile(
    r"\[([^\]]+)\]\((?:\.\./)*(terms|arguments|sources|threads)/([^)/#\s]+)\.md(?:#[^)\s]*)?\)"
)


def unlink_missing_entries(markdown: str, data: SiteData) -> str:
    """Links of a hand-written page to entry or thread pages that this knowledge base does not
    have, as plain text: the pages in docs/ are written for the project's own content and are
    built with any knowledge base (a test fixture, a fork starting afresh)."""
    tables: dict[str, Mapping[str, object]] = {
        "terms": data.base.terms,
        "arguments": data.base.claims,
        "sources": data.base.sources,
        "threads": data.discussions,
    }

    def keep_or_unlink(match: re.Match) -> str:
        exists = match.group(3) == "index" or match.group(3) in tables[match.group(2)]
        return match.group(0) if exists else match.group(1)

    return _ENTRY_LINK.sub(keep_or_unlink, markdown)


def with_abbreviations(markdown: str, data: SiteData) -> str:
    """``markdown`` followed by the knowledge base's abbreviation definitions, if any."""
    if not data.abbreviations:
        return markdown
    return markdown.rstrip("\n") + "\n\n" + abbreviation_definitions(data.abbreviations) + "\n"
