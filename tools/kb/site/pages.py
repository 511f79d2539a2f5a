"""Every generated page of the site, as Markdown keyed by its path in the docs (called by
:func:`kb.site.generator.generate`)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING

from kb.rules import RULES
from kb.site.claim_page import render_claim
from kb.site.downloads import DOWNLOADS, export_formats, render_downloads, write_downloads
from kb.site.graph_data import render_graph_page
from kb.site.home import with_abbreviations
from kb.site.indexes import (
    render_claims_index,
    render_disputes,
    render_glossary,
    render_sources_index,
    render_terms_index,
)
from kb.site.markup import claim_path, rule_path, source_path, term_path, thread_path
from kb.site.rules_pages import render_rule, render_rules_index
from kb.site.source_page import render_source
from kb.site.term_page import render_term
from kb.site.thread_page import render_thread

if TYPE_CHECKING:
    from kb.site.generator import GeneratedSite

_MD_LINK = re.compile(r"(!?\[[^\]]*\])\(([^)\s]+)\)")


def render_pages(site: GeneratedSite, contributing: str | None, scratch: Path) -> None:
    """Render every page of ``site.data`` into ``site.pages`` (entry pages also into
    ``site.entries``, and with the rule pages into ``site.unlisted``); the exports are written
    into ``scratch`` and listed in ``site.files``."""
    data = site.data
    base = data.base
    for term in base.terms.values():
        _entry(site, term_path(term.id), render_term(data, term), term)
    for claim in base.claims.values():
        _entry(site, claim_path(claim.id), render_claim(data, claim), claim)
    for source in base.sources.values():
        _entry(site, source_path(source.id), render_source(data, source), source)
    for root_id, discussion in data.discussions.items():
        site.pages[thread_path(root_id)] = render_thread(data, discussion)
        site.unlisted.add(thread_path(root_id))
    site.pages.update(
        {
            "terms/index.md": render_terms_index(data),
            "arguments/index.md": render_claims_index(data),
            "sources/index.md": render_sources_index(data),
            "glossary.md": render_glossary(data),
            "disputes.md": render_disputes(data),
            "graph.md": render_graph_page(data),
            "rules/index.md": render_rules_index(),
            "contributing.md": contributing_page(contributing),
        }
    )
    for rule in RULES.values():
        site.pages[rule_path(rule.name)] = render_rule(rule)
        site.unlisted.add(rule_path(rule.name))
    formats = export_formats()
    downloads = write_downloads(base, formats, scratch / DOWNLOADS) if formats else []
    site.pages["downloads.md"] = render_downloads(downloads)
    for path, markdown in site.pages.items():
        site.pages[path] = with_abbreviations(markdown, data)
    site.files.update({d.file: d.path for d in downloads})


def _entry(site: GeneratedSite, path: str, markdown: str, entry) -> None:
    site.pages[path] = markdown
    site.entries[path] = entry.location.path
    site.unlisted.add(path)


def contributing_page(text: str | None) -> str:
    """The root CONTRIBUTING.md as the site's ``contributing.md``.

    Its links are written for the repository: ``docs/x.md`` becomes ``x.md``; a link to any
    other file of the repository (not part of the site) keeps its text and loses the link.
    """
    if text is None:
        return (
            "# Contributing\n\nThe contributing guide (CONTRIBUTING.md in the repository) "
            "is not written yet. Meanwhile, the [data model](data-model.md) describes every "
            "field of an entry.\n"
        )
    return _MD_LINK.sub(_site_link, text)


def _site_link(match: re.Match) -> str:
    label, target = match.group(1), match.group(2)
    if re.match(r"^[a-z][a-z0-9+.-]*:|^#", target):
        return match.group(0)
    path, _, anchor = target.partition("#")
    path = posixpath.normpath(path)
    if path.startswith("docs/"):
        return f"{label}({path[5:]}{'#' + anchor if anchor else ''})"
    return label[1:-1] if not label.startswith("!") else ""


__all__ = ["contributing_page", "render_pages"]
