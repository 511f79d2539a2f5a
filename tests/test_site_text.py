"""The repository's built site read as text, page by page, the way a reader meets it: no
Markdown left unrendered (a ``markdown="1"`` attribute, ``**``, ``](``, ``{: ``), no file names,
ids or "seed" where a reader expects labels and titles, every abbreviation in an entry's text
marked with its expansion, one h1 per page and headings that never skip a level.

Much of every entry page is finished HTML set aside from Markdown (kb.site.aside): these checks
are what a slip there would break without failing the build."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kb.site.build import build_site
from kb.site.context import ABBREVIATIONS_FILE, load_abbreviations

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
UNREAD = {"script", "style", "template", "svg", "title", "code", "pre"}
# Pages about the knowledge base's own files (ids, YAML, exports) rather than its content.
FOR_CONTRIBUTORS = (
    "about/",
    "api/",
    "contributing/",
    "data-model/",
    "export/",
    "rules/",
    "schemas/",
)


@dataclass
class Text:
    """A piece of the article's visible text and whether it sits inside an <abbr>."""

    text: str
    in_abbr: bool


class ArticleReader(HTMLParser):
    """Reads the article (.md-content) of one page: its visible text (code, scripts, drawings
    and hidden elements left out), its headings' levels and any leftover markdown attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[Text] = []
        self.headings: list[int] = []
        self.markdown_attributes = 0
        self.open: list[tuple[str, bool, bool, bool]] = []  # tag, unread, abbr, article

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "markdown" in attrs:
            self.markdown_attributes += 1
        if tag in VOID:
            return
        unread = tag in UNREAD or "hidden" in attrs or attrs.get("aria-hidden") == "true"
        article = "md-content" in (attrs.get("class") or "").split()
        self.open.append((tag, unread, tag == "abbr", article))
        if re.fullmatch(r"h[1-6]", tag) and self.inside(3):
            self.headings.append(int(tag[1]))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return

    def handle_data(self, data):
        if self.inside(3) and not self.inside(1):
            self.texts.append(Text(data, self.inside(2)))

    def inside(self, flag: int) -> bool:
        return any(element[flag] for element in self.open)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(t.text for t in self.texts))


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, ArticleReader]:
    site = build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("site"))
    read = {}
    for path in sorted(site.rglob("*.html")):
        if path.name == "404.html":
            continue
        reader = ArticleReader()
        reader.feed(path.read_text("utf-8"))
        read[path.relative_to(site).as_posix()] = reader
    assert len(read) > 300
    return read


def for_readers(pages: dict[str, ArticleReader]) -> dict[str, ArticleReader]:
    return {url: p for url, p in pages.items() if not url.startswith(FOR_CONTRIBUTORS)}


def excerpts(pattern: str, pages: dict[str, ArticleReader]) -> list[str]:
    return [
        f"{url}: …{p.text[max(0, m.start() - 40) : m.end() + 40]}…"
        for url, p in pages.items()
        for m in re.finditer(pattern, p.text)
    ]


def test_no_markdown_is_left_unrendered(pages):
    assert [url for url, p in pages.items() if p.markdown_attributes] == []
    assert excerpts(r"\*\*|\]\(|\{: |markdown=", pages) == []


def test_readers_meet_titles_and_labels_not_files_ids_or_seeds(pages):
    readers = for_readers(pages)
    assert len(readers) > 300
    assert excerpts(r"\bseeds?\b|\.ya?ml\b", readers) == []
    # an entry's id with a sense (term#sense) or a node id (claim:…) instead of its label
    assert (
        excerpts(r"\b[a-z0-9-]+#[a-z0-9-]+\b|\b(?:term|sense|claim|source):[a-z0-9]", readers) == []
    )


def test_every_abbreviation_in_the_text_is_marked_with_its_expansion(pages):
    abbreviations = load_abbreviations(REPO / ABBREVIATIONS_FILE)
    word = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(a) for a in sorted(abbreviations, key=len)[::-1])
        + r")(?![\w-])"
    )
    marked, unmarked = 0, []
    for url, page in pages.items():
        for piece in page.texts:
            for match in word.finditer(piece.text):
                if piece.in_abbr:
                    marked += 1
                else:
                    unmarked.append(f"{url}: {match.group(1)} in …{piece.text[:80]}…")
    assert marked > 100
    assert unmarked == []


def test_every_page_has_one_h1_and_headings_that_skip_no_level(pages):
    assert {url: p.headings.count(1) for url, p in pages.items() if p.headings.count(1) != 1} == {}
    jumps = {
        url: (before, after)
        for url, p in pages.items()
        for before, after in zip(p.headings, p.headings[1:], strict=False)
        if after > before + 1
    }
    assert jumps == {}


def test_writers_named_by_description_read_as_part_of_the_sentence(pages):
    """Term pages ("agreed with by …, held by …") and the disputes page name a sense's holder
    mid-sentence: "held by the author of “…”", never "held by Author of “…”"."""
    described = r"(?:Author|Writer|A commenter|Two participants|\w+ participant)\b"
    assert excerpts(rf"\b(?:held by|By) {described}", for_readers(pages)) == []
    assert excerpts(r"\bheld by the (?:author|writer|\w+ participant)\b", pages)
