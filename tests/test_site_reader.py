"""The built site of the real knowledge base speaks to readers (issue 10): no internal
vocabulary, whole threads, every sense card naming who holds it.

Builds the project's own site once (strict) and reads its HTML.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import kb
from kb.site.build import build_site
from kb.site.context import SiteData, reading_key, source_title
from kb.site.indexes import render_disputes
from kb.site.term_page import render_term, stance_rank

REPO = Path(__file__).resolve().parents[1]
# Pages for contributors, where file names and field names are the subject.
CONTRIBUTOR_PAGES = ("data-model", "rules", "export", "api", "contributing", "downloads")
SEED_NUMBER = re.compile(r"\bseed[\s-]*\d{3}\b", re.I)
ARCHIVE_FILE = re.compile(r"\b[\w-]+\.txt\b")


@pytest.fixture(scope="module")
def base() -> kb.KnowledgeBase:
    return kb.load(REPO)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("reader-site"), REPO)


class Article(HTMLParser):
    """The text of a page's article (Material's .md-content__inner), ``<abbr>`` contents
    marked ``\\0abbr:RLO\\0``, the element tree of its ``div``s with their ids and classes, and the headings of
    sense cards."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # open elements inside the article (0: outside)
        self.text: list[str] = []
        self.in_abbr = 0
        self.divs: list[dict] = []
        self.stack: list[dict] = []
        self.card_headings: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if self.depth == 0 and "md-content__inner" in classes:
            self.depth = 1
            return
        if self.depth == 0:
            return
        if tag in ("br", "img", "hr", "input", "meta", "link", "wbr"):
            return
        self.depth += 1
        if tag == "abbr":
            self.in_abbr += 1
        if tag == "div":
            node = {"id": attrs.get("id"), "classes": classes, "children": []}
            (self.stack[-1]["children"] if self.stack else self.divs).append(node)
            self.stack.append(node)
        if tag == "h3" and any("kb-sense" in d["classes"] for d in self.stack):
            self._heading = []

    def handle_endtag(self, tag):
        if self.depth == 0 or tag in ("br", "img", "hr", "input", "meta", "link", "wbr"):
            return
        self.depth -= 1
        if tag == "abbr":
            self.in_abbr -= 1
        if tag == "div" and self.stack:
            self.stack.pop()
        if tag == "h3" and self._heading is not None:
            self.card_headings.append("".join(self._heading).replace("¶", "").strip())
            self._heading = None

    def handle_data(self, data):
        if self.depth:
            self.text.append(f"\0abbr:{data}\0" if self.in_abbr else data)
            if self._heading is not None:
                self._heading.append(data)


def article(path: Path) -> Article:
    parser = Article()
    parser.feed(path.read_text("utf-8"))
    return parser


def reader_pages(site: Path) -> list[Path]:
    return [
        p
        for p in sorted(site.rglob("index.html"))
        if p.relative_to(site).parts[0] not in CONTRIBUTOR_PAGES
    ]


def expanded_first(text: str, abbreviation: str, expansion: str) -> bool:
    """True when ``abbreviation`` does not occur in ``text``, or its first use is an
    ``<abbr>`` or comes after the expansion written out."""
    bare = re.search(rf"(?<![\w\0:-]){re.escape(abbreviation)}(?![\w-])", text)
    if bare is None:
        return True
    marked = text.find(f"\0abbr:{abbreviation}\0")
    written = text.find(expansion)
    return any(0 <= at < bare.start() for at in (marked, written))


def test_no_internal_vocabulary_reaches_readers(site, base):
    data = SiteData(base)
    problems = []
    for page in reader_pages(site):
        text = " ".join(article(page).text)
        where = str(page.parent.relative_to(site))
        problems += [f"{where}: {m.group(0)!r}" for m in SEED_NUMBER.finditer(text)]
        problems += [f"{where}: file name {m.group(0)!r}" for m in ARCHIVE_FILE.finditer(text)]
        problems += [
            f"{where}: {abbr!r} not expanded at its first use"
            for abbr, expansion in data.abbreviations.items()
            if not expanded_first(text, abbr, expansion)
        ]
    assert problems == []


def test_sense_cards_are_headed_by_labels_and_name_who_holds_them(site, base):
    for term in base.terms.values():
        page = article(site / "terms" / term.id / "index.html")
        assert len(page.card_headings) == len(term.senses), term.id
        for sense, heading in zip(term.senses, page.card_headings, strict=True):
            assert heading != sense.id, (term.id, heading)
            if sense.label:
                assert heading == sense.label
        html = (site / "terms" / term.id / "index.html").read_text("utf-8")
        assert html.count("<strong>Held by:</strong> <a ") == len(term.senses), term.id


LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


def test_a_sense_card_names_each_disputing_writer_once(base):
    """Several objections by one writer read "claim; claim (writer)", not the writer after
    each claim."""
    data = SiteData(base)
    for term in base.terms.values():
        page = render_term(data, term)
        for card in page.split('<div class="kb-sense')[1:]:
            disputed = card.split("**Disputed by:**", 1)
            if len(disputed) == 1:
                continue
            block = disputed[1].split("\n- **", 1)[0].split("\n\n**Source", 1)[0]
            writers = [m.group(0) for m in re.finditer(r"\((\[[^\]]*\]\([^)]*\))\)", block)]
            assert len(writers) == len(set(writers)), (term.id, block)


def test_claims_about_a_term_and_unanswered_objections_are_listed_a_to_z(base):
    """Claims about a term: A–Z under each stance of a sense; in general, under each
    document, objections first, then support, then the rest, each A–Z."""
    data = SiteData(base)
    for term in base.terms.values():
        claims = render_term(data, term).split("## Claims about this term", 1)
        if len(claims) == 1:
            continue
        by_sense, _, general = claims[1].split("\n## ")[0].partition("About the term in general")
        groups = [(g, False) for g in re.split(r"\n\*\*.*\n|\n### ", by_sense)]
        groups += [(g, True) for g in re.split(r"\n\*\*.*\n", general)]
        for group, in_general in groups:
            firsts = [LINK.match(line[2:]) for line in group.splitlines() if line.startswith("- ")]
            keys = [
                (
                    stance_rank(data, "claim:" + m.group(2).rsplit("/", 1)[1].removesuffix(".md"))
                    if in_general
                    else 0,
                    reading_key(html.unescape(m.group(1))),
                )
                for m in firsts
                if m
            ]
            assert keys == sorted(keys), (term.id, keys)
    disputes = render_disputes(data).split("## Unanswered objections", 1)[1]
    targets = [
        html.unescape(LINK.match(line[2:]).group(1))
        for line in disputes.splitlines()
        if line.startswith("- ")
    ]
    assert [reading_key(t) for t in targets] == sorted(reading_key(t) for t in targets)


def test_search_snippets_of_entries_hold_no_page_chrome(site):
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    chrome = ("Show in graph", "this comment in its thread", "the whole thread (", "Kind: ")
    entries = [d for d in docs if d["location"].startswith(("terms/", "arguments/", "sources/"))]
    found = [(d["location"], c) for d in entries for c in chrome if c in d["text"]]
    assert found == []


class NestedLinks(HTMLParser):
    """The links inside nested lists (``ul ul``) of a page."""

    def __init__(self):
        super().__init__()
        self.lists = 0
        self.nested_links: list[str] = []
        self._link: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "ul":
            self.lists += 1
        if tag == "a" and self.lists >= 2:
            self._link = []

    def handle_endtag(self, tag):
        if tag == "ul":
            self.lists -= 1
        if tag == "a" and self._link is not None:
            self.nested_links.append("".join(self._link))
            self._link = None

    def handle_data(self, data):
        if self._link is not None:
            self._link.append(data)


def test_glossary_entries_are_siblings_and_only_senses_are_nested(site, base):
    html = (site / "glossary" / "index.html").read_text("utf-8")
    article_html = html.split('class="md-content__inner', 1)[1].split("</article>", 1)[0]
    parser = NestedLinks()
    parser.feed(article_html)
    assert parser.nested_links == []  # a nested line is a sense: first sentence, no link
    assert article_html.count("<em>") >= sum(
        len(t.senses) for t in base.terms.values() if len(t.senses) > 1
    )


def _comment_divs(nodes: list[dict], parent: str | None, out: dict[str, list[str | None]]):
    for node in nodes:
        here = parent
        if "kb-comment" in node["classes"]:
            out.setdefault(node["id"], []).append(parent)
            here = node["id"]
        _comment_divs(node["children"], here, out)


def test_every_comment_appears_once_in_its_thread_under_its_parent(site, base):
    data = SiteData(base)
    assert data.discussions, "the knowledge base has discussions"
    for root_id, discussion in data.discussions.items():
        page = article(site / "threads" / root_id / "index.html")
        found: dict[str, list[str | None]] = {}
        _comment_divs(page.divs, None, found)
        comments = {c.source.id: c for c, _ in discussion.walk()}
        members = [
            s
            for s in base.sources.values()
            if s.type == "comment" and s.part_of and s.part_of.target == root_id
        ]
        assert len(comments) == len(members)
        assert len(found) == len(members), root_id
        for source in members:
            anchor = f"comment-{source.id}"
            assert len(found.get(anchor, [])) == 1, (root_id, source.id)
            parent = source.in_reply_to.target if source.in_reply_to else None
            expected = f"comment-{parent}" if parent in comments else None
            assert found[anchor][0] == expected, (root_id, source.id, found[anchor])


def test_comment_titles_tell_comments_apart(base):
    data = SiteData(base)
    titles = [source_title(base, s) for s in base.sources.values()]
    repeated = {t for t in titles if titles.count(t) > 1}
    assert repeated == set()
    assert data.discussions


def test_a_paragraph_links_a_term_at_most_once(site):
    repeated = []
    for page in reader_pages(site):
        for paragraph in re.findall(r"<p\b[^>]*>(.*?)</p>", page.read_text("utf-8"), re.S):
            links = re.findall(r'<a class="kb-term" href="([^"]+)"', paragraph)
            if len(links) != len(set(links)):
                repeated.append(f"{page.parent.relative_to(site)}: {sorted(links)}")
    assert repeated == []
