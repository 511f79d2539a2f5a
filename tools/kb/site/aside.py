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
without the marks. What may be marked:

* finished HTML only: no Markdown in it, links already relative to the page (MkDocs neither
  rewrites nor checks them; the built-site tests do);
* inside an element the search leaves out, so that the search index is the same;
* no ``id`` that a link points at (MkDocs checks anchors against the ids it sees), no heading
  that belongs in the page's table of contents.

Contributors' text inside is escaped, so it can never hold a mark.
"""

from __future__ import annotations

import re

START, END = "<!--kb:aside-->", "<!--/kb:aside-->"
_MARKED = re.compile(re.escape(START) + "(.*?)" + re.escape(END), re.S)
_NUMBERED = re.compile(r"<!--kb:aside (\d+)-->")


def aside(html: str) -> str:
    """``html`` marked as finished and left out of the search (nothing when it is empty)."""
    return f"{START}{html}{END}" if html else ""


def without_marks(markdown: str) -> str:
    """``markdown`` with the marks removed and the marked HTML kept (for other builders)."""
    return markdown.replace(START, "").replace(END, "")


def set_aside(markdown: str) -> tuple[str, list[str]]:
    """``markdown`` with each marked stretch replaced by a numbered mark, and the stretches."""
    stretches: list[str] = []

    def number(match: re.Match) -> str:
        stretches.append(match.group(1))
        return f"<!--kb:aside {len(stretches) - 1}-->"

    return _MARKED.sub(number, markdown), stretches


def put_back(html: str, stretches: list[str]) -> str:
    """The finished page ``html`` with the stretches set aside from its Markdown in place."""
    if not stretches:
        return html
    return _NUMBERED.sub(lambda m: stretches[int(m.group(1))], html)


__all__ = ["END", "START", "aside", "put_back", "set_aside", "without_marks"]
