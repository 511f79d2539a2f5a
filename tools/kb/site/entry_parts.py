"""Pieces shared by the entry pages: facts lists, attribution, lists of linked nodes."""

from __future__ import annotations

from kb.model import Ref
from kb.site.context import SiteData
from kb.site.markup import Linker, bullet_list, escape, escape_html


def facts(pairs: list[tuple[str, str]]) -> str:
    """``- **Label:** value`` for each pair whose value is not empty (labels are ours)."""
    return bullet_list([f"**{label}:** {value}" for label, value in pairs if value])


def links_of(data: SiteData, linker: Linker, nodes: list[str]) -> str:
    """A bullet list linking to each graph node."""
    return bullet_list([linker.node(data.base, node) for node in nodes])


def attribution(data: SiteData, linker: Linker, source: Ref | None, locator: str | None,
                quote: str | None) -> str:
    """Where a definition or claim comes from: the linked source, the locator, the quote."""
    parts = []
    if source is not None:
        where = f", {escape(locator)}" if locator else ""
        parts.append(f"**Source:** {linker.source(data.base, source.target)}{where}")
    if quote:
        parts.append(f"> “{escape(quote)}”")
    return "\n\n".join(parts)


def entry_footer(data: SiteData, entry) -> str:
    """The data file behind the page, so a reader knows what to edit."""
    path = escape_html(entry.location.path)
    return f'<p class="kb-entry-file" data-search-exclude>Entry file: <code>{path}</code></p>'
