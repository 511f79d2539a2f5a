"""Pieces shared by the entry pages: facts lists, attribution, lists of linked nodes."""

from __future__ import annotations

from kb.model import Ref
from kb.site.context import SiteData, discussion_of, source_title
from kb.site.markup import Linker, autolink, source_path

MARKDOWN = Linker("index.md")  # for text, emphasis and lists, which no page changes


def facts(pairs: list[tuple[str, str]], linker: Linker | None = None) -> str:
    """``- **Label:** value`` for each pair whose value is not empty (labels are ours), as
    ``linker`` writes it: Markdown (the default), or finished HTML with an HtmlLinker."""
    linker = linker or MARKDOWN
    return linker.bullets(
        [f"{linker.strong(label + ':')} {value}" for label, value in pairs if value]
    )


def attribution(
    data: SiteData, linker: Linker, source: Ref | None, locator: str | None, quote: str | None
) -> str:
    """Where a definition or claim comes from: the linked source, the locator, the quote."""
    parts = []
    if source is not None:
        where = f", {linker.text(locator)}" if locator else ""
        link = source_link(data, linker, source.target)
        parts.append(linker.paragraph(f"{linker.strong('Source:')} {link}{where}"))
    if quote:
        parts.append(linker.quote(f"“{linker.text(quote)}”"))
    return linker.blocks(*parts)


def editors_note(data: SiteData, linker: Linker, note: str | None, skip: str | None = None) -> str:
    """A sense's or claim's ``note`` as an "Editor's note" box, its term mentions linked."""
    if not note:
        return ""
    return linker.note("Editor's note", autolink(note, data.mentions, linker, skip=skip))


def source_link(data: SiteData, linker: Linker, source_id: str, text: str | None = None) -> str:
    """A link to a source, shown as ``text`` or its reader-facing title: a comment links to
    its place in its thread, any other source to its page."""
    source = data.base.sources.get(source_id)
    if source is None:
        return linker.text(text or source_id)
    root = discussion_of(data.base, source)
    if root is not None:
        return linker.comment(data.base, source_id, root, text=text)
    return linker.link(text or source_title(data.base, source), source_path(source_id))
