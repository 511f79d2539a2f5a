"""Markdown building blocks shared by every page: escaping, links between pages, auto-linking.

Safety choice: text from the YAML files is **plain text**, never Markdown or HTML. Every
character that Markdown or HTML would interpret is escaped, so ``<script>``, ``onerror=``,
``[x](javascript:...)`` or ``**bold**`` in a definition appear literally on the page. The only
markup the site adds to contributors' text is the links to known terms (auto-linking).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import posixpath
import re
from collections.abc import Callable
from textwrap import indent

from kb.mentions import MentionIndex
from kb.site.context import sense_label, source_title

# Every character that HTML or Markdown (with the extensions in mkdocs.yml: no smarty, emoji,
# tilde or arithmatex) could interpret, mapped to an entity: one pass, and no dependence on
# which characters an extension accepts after a backslash.
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|"}}
)
_SPACES = re.compile(r"\s+")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$")


def escape(text: str) -> str:
    """``text`` as Markdown that renders to exactly ``text`` (whitespace collapsed to spaces).

    HTML-significant characters and Markdown punctuation become character references, so no
    tag, attribute, emphasis, link, list or code span can form.
    """
    return _SPACES.sub(" ", str(text)).translate(_ESCAPES)


def page_start(title: str, **meta) -> str:
    """The top of a generated page: front matter, then the ``#`` heading.

    MkDocs takes a page's title from its first heading as HTML (entities kept), and Material
    prints it in ``<title>`` through Jinja's ``striptags``, which *unescapes* entities: a
    heading of ``&lt;/title&gt;&lt;script&gt;`` would become a live ``</title><script>``.
    A ``title`` in the front matter wins over the heading and is printed as it is, so it holds
    the title HTML-escaped (``&``, ``<``, ``>``): safe in ``<title>``, the navigation, the
    header and the search index. The value is a JSON string, which YAML reads as it is.
    ``meta`` adds other front-matter keys (plain data, e.g. ``search={"boost": 2}``).
    """
    fields = {"title": html.escape(_SPACES.sub(" ", str(title)).strip(), quote=False), **meta}
    lines = [f"{key}: {json.dumps(value)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + f"\n---\n\n# {escape(title)}"


_UNSAFE_ID = re.compile(r"[^a-z0-9_-]+")


def safe_id(text: str) -> str:
    """``text`` as an HTML id or URL fragment of letters, digits, ``-`` and ``_`` only.

    Ids that are already safe stay as they are (links keep working); any other text is
    lower-cased, every run of other characters becomes ``-`` and a short hash of the original
    is appended, so that two different unsafe ids never share an anchor.
    """
    text = str(text)
    if text and not _UNSAFE_ID.search(text):
        return text
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    stem = _UNSAFE_ID.sub("-", text.lower()).strip("-")[:40]
    return f"{stem}-{digest}" if stem else f"id-{digest}"


_JSON_IN_HTML = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def json_for_html(value) -> str:
    """``value`` as JSON safe inside an HTML ``<script>`` element or attribute-free block:
    ``<``, ``>``, ``&`` and the JavaScript line separators U+2028/9 become ``\\uXXXX``, so no
    ``</script>`` or comment can close the element."""
    return json.dumps(value, ensure_ascii=False).translate(_JSON_IN_HTML)


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


def thread_path(root_id: str) -> str:
    """The page of the discussion whose root (post) is ``root_id``."""
    return f"threads/{root_id}.md"


def comment_anchor(source_id: str) -> str:
    """The HTML id of a comment on its thread page."""
    return f"comment-{safe_id(source_id)}"


def rule_path(rule_name: str) -> str:
    return f"rules/{rule_name}.md"


def sense_anchor(sense_id: str) -> str:
    """The HTML id of a sense's heading on its term's page (prefixed: no clash with sections;
    made safe: an id is contributors' text)."""
    return f"sense-{safe_id(sense_id)}"


def url_of(doc_path: str) -> str:
    """The site URL (directory style, relative to the site root) of a Markdown path."""
    stem = doc_path[:-3] if doc_path.endswith(".md") else doc_path
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def sense_name(base, key: str) -> str:
    """``term (sense label)`` for the sense ``term#sense``: how a sense is named in running
    text and links."""
    term_id, _, sense_id = key.partition("#")
    term = base.terms.get(term_id)
    sense = term.sense(sense_id) if term else None
    return f"{term.label if term else term_id} ({sense_label(base, sense) if sense else sense_id})"


def sense_target(key: str) -> tuple[str, str]:
    """The page and anchor of the sense ``term#sense``."""
    term_id, _, sense_id = key.partition("#")
    return term_path(term_id), sense_anchor(sense_id)


def relative_href(page: str, url: str) -> str:
    """The site address ``url`` (directory style, relative to the site root, e.g. ``terms/x/``)
    as a link from the page ``page`` (its docs path), as MkDocs writes it into the page."""
    here, there = _url_parts(url_of(page)), _url_parts(url)
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    rel = [".."] * (len(here) - common) + there[common:]
    return "/".join(rel) + "/" if rel else "./"


def _url_parts(url: str) -> list[str]:
    return [part for part in url.split("/") if part]


class Linker:
    """Markdown written from one page (``page`` is its path in the docs, e.g. ``terms/x.md``):
    links, which MkDocs resolves and checks at build time, text, emphasis and lists.
    :class:`HtmlLinker` writes the same as finished HTML."""

    def __init__(self, page: str):
        self.page = page
        self.folder = posixpath.dirname(page)

    def href(self, doc_path: str, anchor: str | None = None) -> str:
        rel = posixpath.relpath(doc_path, self.folder or ".")
        return rel + (f"#{anchor}" if anchor else "")

    def link(self, text: str, doc_path: str, anchor: str | None = None) -> str:
        """A link whose visible text is ``text`` (escaped)."""
        return f"[{escape(text)}]({self.href(doc_path, anchor)})"

    def text(self, text: str) -> str:
        """Contributors' (or any) plain text, escaped."""
        return escape(text)

    def em(self, markup: str) -> str:
        return f"*{markup}*"

    def strong(self, markup: str) -> str:
        return f"**{markup}**"

    def bullets(self, items: list[str], empty: str | None = None) -> str:
        return bullet_list(items, empty)

    def nested(self, items: list[str]) -> str:
        """A list inside a list item (after the item's text)."""
        return "\n\n" + indent(bullet_list(items), "    ")

    def mention(self, text: str, term_id: str) -> str:
        """A term's name in running text, linked to its page (class ``kb-term``: the hover
        preview script looks for it)."""
        return f"[{escape(text)}]({self.href(term_path(term_id))}){{ .kb-term }}"

    def paragraph(self, markup: str) -> str:
        return markup

    def quote(self, markup: str) -> str:
        return f"> {markup}"

    def note(self, title: str, markup: str) -> str:
        """A titled note box (Material's admonition)."""
        return f"!!! note {json.dumps(title)}\n\n" + indent(markup, "    ")

    def blocks(self, *blocks: str) -> str:
        return join_blocks(*blocks)

    def term(self, base, term_id: str) -> str:
        term = base.terms.get(term_id)
        return self.link(term.label if term else term_id, term_path(term_id))

    def claim(self, base, claim_id: str) -> str:
        claim = base.claims.get(claim_id)
        return self.link(claim.headline if claim else claim_id, claim_path(claim_id))

    def source(self, base, source_id: str) -> str:
        """A link to a source's page, shown by its reader-facing title."""
        source = base.sources.get(source_id)
        return self.link(
            source_title(base, source) if source else source_id, source_path(source_id)
        )

    def comment(self, base, source_id: str, root_id: str, text: str | None = None) -> str:
        """A link to a comment in the thread of the discussion ``root_id``."""
        source = base.sources.get(source_id)
        text = text or (source_title(base, source) if source else source_id)
        return self.link(text, thread_path(root_id), comment_anchor(source_id))

    def sense(self, base, key: str) -> str:
        """A link to ``term#sense``, shown as ``term (sense label)``."""
        return self.link(sense_name(base, key), *sense_target(key))

    def node(self, base, node: str) -> str:
        """A link to the page (or sense anchor) of a graph node id such as ``claim:x``."""
        kind, _, ident = node.partition(":")
        return getattr(self, kind)(base, ident)

    def target(self, base, target: str) -> str:
        """A ``supports``/``objects_to`` target: a sense when it holds ``#``, else a claim."""
        return self.sense(base, target) if "#" in target else self.claim(base, target)


class HtmlLinker(Linker):
    """The same as :class:`Linker`, written as finished HTML (for kb.site.aside): links at the
    addresses MkDocs would give them (the built-site tests check they resolve), text escaped
    as :func:`escape` does (for HTML and Markdown) with each abbreviation marked (as the
    Markdown ``abbr`` extension does), lists as Python-Markdown writes them."""

    def __init__(self, page: str, abbreviations: dict[str, str] | None = None):
        super().__init__(page)
        self.abbreviations = abbreviations or {}

    def href(self, doc_path: str, anchor: str | None = None) -> str:
        return relative_href(self.page, url_of(doc_path)) + (f"#{anchor}" if anchor else "")

    def link(self, text: str, doc_path: str, anchor: str | None = None) -> str:
        return f'<a href="{escape_html(self.href(doc_path, anchor))}">{self.text(text)}</a>'

    def text(self, text: str) -> str:
        # escape(), not HTML escaping alone: were Markdown ever to read this HTML, no
        # contributor's text could form Markdown either (no link, no emphasis).
        return abbreviate_html(escape(text), self.abbreviations)

    def em(self, markup: str) -> str:
        return f"<em>{markup}</em>"

    def strong(self, markup: str) -> str:
        return f"<strong>{markup}</strong>"

    def bullets(self, items: list[str], empty: str | None = None) -> str:
        """A list; loose (each item a paragraph) when an item holds a nested list, as
        Python-Markdown writes a list whose items are apart."""
        if not items:
            return f"<p><em>{self.text(empty)}</em></p>" if empty else ""
        return html_list(items, loose=any("<ul>" in item for item in items))

    def nested(self, items: list[str]) -> str:
        return html_list(items)

    def mention(self, text: str, term_id: str) -> str:
        href = escape_html(self.href(term_path(term_id)))
        return f'<a class="kb-term" href="{href}">{self.text(text)}</a>'

    def paragraph(self, markup: str) -> str:
        return f"<p>{markup}</p>"

    def quote(self, markup: str) -> str:
        return f"<blockquote>\n<p>{markup}</p>\n</blockquote>"

    def note(self, title: str, markup: str) -> str:
        return (
            f'<div class="admonition note">\n<p class="admonition-title">{self.text(title)}</p>'
            f"\n<p>{markup}</p>\n</div>"
        )

    def blocks(self, *blocks: str) -> str:
        return "\n".join(b.strip("\n") for b in blocks if b and b.strip())


def html_list(items: list[str], loose: bool = False) -> str:
    """Items (HTML) as a list the way Python-Markdown writes one (``loose``: each item's first
    block a paragraph, as in a list whose items are apart; an item may end with a nested
    list)."""
    if not items:
        return ""
    if loose:
        return "<ul>\n" + "".join(f"<li>\n{_item_blocks(i)}\n</li>\n" for i in items) + "</ul>"
    return "<ul>\n" + "".join(f"<li>{item}{_nested_end(item)}</li>\n" for item in items) + "</ul>"


def _nested_end(item: str) -> str:
    return "\n" if item.endswith("</ul>") else ""


def _item_blocks(item: str) -> str:
    text, nested, rest = item.partition("<ul>")
    return f"<p>{text}</p>" + (f"\n{nested}{rest}" if nested else "")


def autolink(text: str, mentions: MentionIndex, linker: Linker, skip: str | None = None) -> str:
    """Escaped ``text`` with each mention of a known term linked to the term's page.

    Mentions come from :class:`kb.mentions.MentionIndex` (label or alias, longest match
    first). A mention of ``skip`` (the page's own term) stays plain. The links carry the class
    ``kb-term`` that the hover preview script looks for. Each term is linked at its first
    mention only: ``text`` is one paragraph, and a paragraph links a term at most once.
    Callers use this for body text only: headings and link texts are written with
    :func:`escape`, so they never hold a link. Written as ``linker`` writes (Markdown, or
    finished HTML with an :class:`HtmlLinker`).
    """
    text = " ".join(str(text).split())
    out, pos, linked = [], 0, {skip}
    for mention in mentions.find(text):
        if mention.term_id in linked:
            continue
        linked.add(mention.term_id)
        out.append(linker.text(text[pos : mention.start]))
        out.append(linker.mention(mention.text, mention.term_id))
        pos = mention.end
    out.append(linker.text(text[pos:]))
    return "".join(out)


@functools.cache
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


@functools.lru_cache(maxsize=4096)
def first_sentence(text: str, limit: int | None = None) -> str:
    """The whole first sentence of ``text`` (pysbd's rule-based splitter: "e.g.", "et al.",
    "Fig. 2" or "3.5" do not end a sentence). With ``limit``, a longer sentence is cut at the
    last word boundary before it, with an ellipsis."""
    text = " ".join(str(text).split())
    first = _segmenter().segment(text)[0].strip() if ". " in text or "? " in text else text
    first = first if first else text
    if limit is None or len(first) <= limit:
        return first
    cut = first[: limit - 1]
    cut = cut[: cut.rfind(" ")] if " " in cut else cut
    return cut.rstrip(" ,;:") + "…"


def bullet_list(items: list[str], empty: str | None = None) -> str:
    """Markdown bullets, or ``empty`` (in italics) when there are none.

    When an item holds more than one block (a nested list after a blank line), the items are
    separated by blank lines: Python-Markdown would otherwise take the next item for one more
    entry of the nested list."""
    if not items:
        return f"*{empty}*" if empty else ""
    separator = "\n\n" if any("\n\n" in item for item in items) else "\n"
    return separator.join(f"- {item}" for item in items)


def section(
    title: str,
    body: str,
    anchor: str | None = None,
    indexed: bool = True,
    heading_indexed: bool = True,
) -> str:
    """A ``##`` section, or nothing when ``body`` is empty (pages show only what exists).

    ``indexed=False`` leaves it out of the site search: for lists of links to other entries,
    whose words those entries' own pages hold (every page loads the search index, so text
    indexed twice costs every reader; no ``<section>`` may be nested inside, see
    kb.site.argtree.unindexed_section). ``heading_indexed=False`` leaves out the heading
    alone, for a section whose body is subsections with headings of their own.

    Material's search makes an entry of every heading with an id, even inside an element it
    leaves out; such an entry has no text and, its title left out too, the page's title: one
    more useless result for every word of that title. So a heading kept out of the search
    carries ``data-search-exclude`` itself (it stays in the page's table of contents)."""
    if not body.strip():
        return ""
    return (
        f"{heading(2, title, anchor, indexed=indexed and heading_indexed)}\n\n{body}\n"
        if indexed
        else f"<section data-search-exclude markdown>\n\n{heading(2, title, anchor, False)}"
        f"\n\n{body}\n\n</section>\n"
    )


def heading(level: int, title: str, anchor: str | None = None, indexed: bool = True) -> str:
    """A Markdown heading (in the table of contents); ``indexed=False``: not in the search
    (see :func:`section`)."""
    attrs = [f"#{safe_id(anchor)}"] if anchor else []
    attrs += [] if indexed else ["data-search-exclude"]
    return f"{'#' * level} {escape(title)}" + (f" {{ {' '.join(attrs)} }}" if attrs else "")


def abbreviation_definitions(abbreviations: dict[str, str]) -> str:
    """Python-Markdown ``abbr`` definitions (``*[ML]: machine learning``): appended to a page,
    every use of each abbreviation in it becomes an ``<abbr>`` whose title expands it."""
    return "\n".join(
        f"*[{key}]: {' '.join(value.split())}" for key, value in sorted(abbreviations.items())
    )


def abbreviate_html(escaped: str, abbreviations: dict[str, str]) -> str:
    """HTML-escaped text with each use of an abbreviation wrapped in ``<abbr title>``: for
    raw-HTML blocks, where the Markdown ``abbr`` extension does not reach."""
    if not abbreviations:
        return escaped
    pattern, titles = _abbreviation_pattern(tuple(abbreviations.items()))
    return pattern.sub(lambda m: f'<abbr title="{titles[m.group(1)]}">{m.group(1)}</abbr>', escaped)


@functools.lru_cache(maxsize=8)
def _abbreviation_pattern(items: tuple[tuple[str, str], ...]) -> tuple[re.Pattern, dict[str, str]]:
    keys = sorted((escape_html(k) for k, _ in items), key=len, reverse=True)
    titles = {escape_html(k): escape_html(v) for k, v in items}
    pattern = re.compile(r"(?<![\w&-])(" + "|".join(map(re.escape, keys)) + r")(?![\w-])")
    return pattern, titles


def join_blocks(*blocks: str) -> str:
    return "\n\n".join(b.strip("\n") for b in blocks if b and b.strip()) + "\n"


LinkerFactory = Callable[[str], Linker]
