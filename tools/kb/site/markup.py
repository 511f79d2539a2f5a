"""Markdown building blocks shared by every page: escaping, links between pages, auto-linking.

Safety choice: text from the YAML files is **plain text**, never Markdown or HTML. Every
character that Markdown or HTML would interpret is escaped, so ``<script>``, ``onerror=``,
``[x](javascript:...)`` or ``**bold**`` in a definition appear literally on the page. The only
markup the site adds to contributors' text is the links to known terms (auto-linking).
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import Callable

from kb.mentions import MentionIndex

# Every character that HTML or Markdown (with the extensions in mkdocs.yml: no smarty, emoji,
# tilde or arithmatex) could interpret, mapped to an entity: one pass, and no dependence on
# which characters an extension accepts after a backslash.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                          **{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|"}})
_SPACES = re.compile(r"\s+")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$")


def escape(text: str) -> str:
    """``text`` as Markdown that renders to exactly ``text`` (whitespace collapsed to spaces).

    HTML-significant characters and Markdown punctuation become character references, so no
    tag, attribute, emphasis, link, list or code span can form.
    """
    return _SPACES.sub(" ", str(text)).translate(_ESCAPES)


def escape_html(text: str) -> str:
    """``text`` for an HTML attribute or element inside a raw-HTML block."""
    return html.escape(" ".join(str(text).split()), quote=True)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a plain http(s) URL, else None (never a ``javascript:`` link)."""
    return url if url and _SAFE_URL.match(url.strip()) else None


def external_link(text: str, url: str | None) -> str:
    """An HTML link to an outside page when ``url`` is safe; otherwise the escaped text."""
    good = safe_url(url)
    if good is None:
        return escape(text)
    return f'<a href="{escape_html(good)}" rel="nofollow noopener">{escape_html(text)}</a>'


def term_path(term_id: str) -> str:
    return f"terms/{term_id}.md"


def claim_path(claim_id: str) -> str:
    return f"arguments/{claim_id}.md"


def source_path(source_id: str) -> str:
    return f"sources/{source_id}.md"


def rule_path(rule_name: str) -> str:
    return f"rules/{rule_name}.md"


def sense_anchor(sense_id: str) -> str:
    """The HTML id of a sense's heading on its term's page (prefixed: no clash with sections)."""
    return f"sense-{sense_id}"


def url_of(doc_path: str) -> str:
    """The site URL (directory style, relative to the site root) of a Markdown path."""
    stem = doc_path[:-3] if doc_path.endswith(".md") else doc_path
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


class Linker:
    """Markdown links written from one page (``page`` is its path in the docs, e.g.
    ``terms/x.md``); MkDocs resolves and checks relative ``.md`` links at build time."""

    def __init__(self, page: str):
        self.page = page
        self.folder = posixpath.dirname(page)

    def href(self, doc_path: str, anchor: str | None = None) -> str:
        rel = posixpath.relpath(doc_path, self.folder or ".")
        return rel + (f"#{anchor}" if anchor else "")

    def link(self, text: str, doc_path: str, anchor: str | None = None) -> str:
        """A link whose visible text is ``text`` (escaped)."""
        return f"[{escape(text)}]({self.href(doc_path, anchor)})"

    def term(self, base, term_id: str) -> str:
        term = base.terms.get(term_id)
        return self.link(term.label if term else term_id, term_path(term_id))

    def claim(self, base, claim_id: str) -> str:
        claim = base.claims.get(claim_id)
        return self.link(claim.headline if claim else claim_id, claim_path(claim_id))

    def source(self, base, source_id: str) -> str:
        source = base.sources.get(source_id)
        return self.link(source.title if source else source_id, source_path(source_id))

    def sense(self, base, key: str) -> str:
        """A link to ``term#sense``, shown as ``label (sense)``."""
        term_id, _, sense_id = key.partition("#")
        term = base.terms.get(term_id)
        label = f"{term.label if term else term_id} ({sense_id})"
        return self.link(label, term_path(term_id), sense_anchor(sense_id))

    def node(self, base, node: str) -> str:
        """A link to the page (or sense anchor) of a graph node id such as ``claim:x``."""
        kind, _, ident = node.partition(":")
        return getattr(self, kind)(base, ident)

    def target(self, base, target: str) -> str:
        """A ``supports``/``objects_to`` target: a sense when it holds ``#``, else a claim."""
        return self.sense(base, target) if "#" in target else self.claim(base, target)


def autolink(text: str, mentions: MentionIndex, linker: Linker,
             skip: str | None = None) -> str:
    """Escaped ``text`` with each mention of a known term linked to the term's page.

    Mentions come from :class:`kb.mentions.MentionIndex` (label or alias, longest match
    first). A mention of ``skip`` (the page's own term) stays plain. The links carry the class
    ``kb-term`` that the hover preview script looks for. Callers use this for body text only:
    headings and link texts are written with :func:`escape`, so they never hold a link.
    """
    text = " ".join(str(text).split())
    out, pos = [], 0
    for mention in mentions.find(text):
        if mention.term_id == skip:
            continue
        out.append(escape(text[pos:mention.start]))
        href = linker.href(term_path(mention.term_id))
        out.append(f"[{escape(mention.text)}]({href}){{ .kb-term }}")
        pos = mention.end
    out.append(escape(text[pos:]))
    return "".join(out)


def first_sentence(text: str, limit: int = 160) -> str:
    """The first sentence of ``text``, cut at ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    first = text.split(". ", 1)[0]
    first = first if first.endswith(".") or first == text else first + "."
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def bullet_list(items: list[str], empty: str | None = None) -> str:
    """Markdown bullets, or ``empty`` (in italics) when there are none."""
    if not items:
        return f"*{empty}*" if empty else ""
    return "\n".join(f"- {item}" for item in items)


def section(title: str, body: str, anchor: str | None = None) -> str:
    """A ``##`` section, or nothing when ``body`` is empty (pages show only what exists)."""
    if not body.strip():
        return ""
    attrs = f" {{ #{anchor} }}" if anchor else ""
    return f"## {escape(title)}{attrs}\n\n{body}\n"


def join_blocks(*blocks: str) -> str:
    return "\n\n".join(b.strip("\n") for b in blocks if b and b.strip()) + "\n"


LinkerFactory = Callable[[str], Linker]
