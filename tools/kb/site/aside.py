"""Finished HTML that needs neither Markdown nor the site search: marked by the generator, so
that the MkDocs adapter can keep it away from both.

An entry page carries much HTML that is finished when it is generated and that the site search
leaves out (``data-search-exclude``): the argument view, the lists of links to other entries,
the local-graph drawing. MkDocs would still parse all of it three times (Python-Markdown's
``md_in_html``, MkDocs' raw-HTML scan for anchors, Material's search indexer, which walks
excluded elements too); on a site of 1,000 entries that was a quarter of the build
(benchmarks/speed.md, "Site build: where the time goes").

The generator wraps such HTML in :func:`aside`: two HTML comments, which any builder passes
through untouched (``kb site`` removes them from the pages it writes). The MkDocs plugin
replaces each marked stretch by a numbered mark before Markdown (:func:`set_aside`) and puts
it back into the finished page (:func:`put_back`): the page is byte for byte what it would be
without the marks. Finished HTML that the search does index (a sense's card, a claim's text)
is wrapped in :func:`finished` instead and put back into the page's content before Material's
search indexer reads it: it skips Markdown only. What may be marked:

* finished HTML only: no Markdown in it, links already relative to the page (MkDocs neither
  rewrites nor checks them; the built-site tests do);
* for :func:`aside`, inside an element the search leaves out, so that the search index is the
  same;
* no ``id`` that a link points at (MkDocs checks anchors against the ids it sees), no heading
  that belongs in the page's table of contents.

Contributors' text inside is escaped, so it can never hold a mark.
"""

from __future__ import annotations

import posixpath
import re

from kb.site.markup import url_of

ASIDE = "aside"  # left out of the search: put back into the finished page
INDEXED = "html"  # indexed by the search: put back into the page's content, before the indexer
_MARKS = {
    kind: re.compile(f"<!--kb:{kind}-->(.*?)<!--/kb:{kind}-->", re.S) for kind in (ASIDE, INDEXED)
}
_NUMBERED = {kind: re.compile(f"<!--kb:{kind} (\\d+)-->") for kind in (ASIDE, INDEXED)}


def aside(html: str) -> str:
    """``html`` marked as finished and left out of the search (nothing when it is empty)."""
    return f"<!--kb:{ASIDE}-->{html}<!--/kb:{ASIDE}-->" if html else ""


def finished(html: str) -> str:
    """``html`` marked as finished, for the search to index (nothing when it is empty)."""
    return f"<!--kb:{INDEXED}-->{html}<!--/kb:{INDEXED}-->" if html else ""


def without_marks(markdown: str) -> str:
    """``markdown`` with the marks removed and the marked HTML kept."""
    for kind in (ASIDE, INDEXED):
        markdown = markdown.replace(f"<!--kb:{kind}-->", "").replace(f"<!--/kb:{kind}-->", "")
    return markdown


def for_other_builders(markdown: str, page: str) -> str:
    """The page ``page`` (its docs path) for a builder without the kb plugin (``kb site``):
    no marks, and the links of the marked HTML relative to the page's source folder.

    The generator writes those links as MkDocs serves them: relative to the page's address
    (``terms/x/``), since MkDocs leaves raw HTML as it is. Zensical reads a raw-HTML link as
    it reads a Markdown link, relative to the source file's folder (``terms/``), and rewrites
    it for the page's address; so here ``../y/`` becomes ``y/``, ``./#a`` becomes ``x/#a``.
    """
    base, folder = url_of(page), posixpath.dirname(page) or "."

    def from_folder(match: re.Match) -> str:
        path, rest = match.group(2), match.group(3)
        target = posixpath.normpath(posixpath.join(base, path))
        rel = posixpath.relpath(target, folder) + ("/" if path.endswith("/") else "")
        return f'{match.group(1)}"{rel}{rest}"'

    def stretch(match: re.Match) -> str:
        return _RELATIVE_LINK.sub(from_folder, match.group(1))

    for pattern in _MARKS.values():
        markdown = pattern.sub(stretch, markdown)
    return markdown


# A relative href (not a fragment, a scheme or the site's root). Not SVG's xlink:href, which
# Zensical leaves as it is.
_RELATIVE_LINK = re.compile(r'((?<![\w:-])href=)"(?![#/]|[a-z][a-z0-9+.-]*:)([^"?#]*)([^"]*)"')


def set_aside(markdown: str) -> tuple[str, dict[str, list[str]]]:
    """``markdown`` with each marked stretch replaced by a numbered mark, and the stretches
    by kind (:data:`ASIDE`, :data:`INDEXED`)."""
    stretches: dict[str, list[str]] = {}
    for kind, pattern in _MARKS.items():
        found = stretches[kind] = []

        def number(match: re.Match, kind=kind, found=found) -> str:
            found.append(match.group(1))
            return f"<!--kb:{kind} {len(found) - 1}-->"

        markdown = pattern.sub(number, markdown)
    return markdown, stretches


def put_back(html: str, stretches: dict[str, list[str]], kind: str) -> str:
    """``html`` (the page's content, or the finished page) with the stretches of ``kind`` set
    aside from its Markdown in place."""
    found = stretches.get(kind)
    if not found:
        return html
    return _NUMBERED[kind].sub(lambda m: found[int(m.group(1))], html)


__all__ = [
    "ASIDE",
    "INDEXED",
    "aside",
    "finished",
    "for_other_builders",
    "put_back",
    "set_aside",
    "without_marks",
]
