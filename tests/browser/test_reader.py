"""The reader-facing pages in headless Chromium (issue 10): axe-core finds no serious or
critical accessibility violation inside our content on the home, Start here, term, claim,
source, thread, glossary, disputes, explorer, rule, Downloads and Contributing pages, in light
and dark, and their text reads at 12 px or more; sortable tables sort; the vocabulary tree sits
in the sidebar; search results say what they are; tables fit a phone's width."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "",
    "term": "terms/pseudo-alignment/",
    "claim": "arguments/the-rlo-sense-is-too-narrow/",
    "source": "sources/a-comment-on-the-post/",
    "thread": "threads/a-post-on-the-paper/",
    "glossary": "glossary/",
    "start": "start-here/",
    "disputes": "disputes/",
    "explorer": "graph/",
    "rule": "rules/circular-definition/",  # code examples: comments, YAML keys
    "downloads": "downloads/",
    "contributing": "contributing/",  # code of several languages, in tables too
}


@pytest.fixture
def new_page(browser, base_url):
    """A page in a browser context of the given size and colour scheme."""
    contexts = []

    def make(width=1366, height=900, scheme="light"):
        context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=scheme
        )
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations inside the article (our content; the
    theme's header, navigation and footer are Material's)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (package.json pins axe-core)")
    page.add_script_tag(path=str(AXE))
    page.wait_for_function("typeof window.axe !== 'undefined'")
    result = page.evaluate(
        """async () => {
            const r = await axe.run({include: [".md-content"]},
                                    {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes']}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_serious_accessibility_violation_in_our_content(new_page, base_url, kind, scheme):
    page = new_page(scheme=scheme)
    page.goto(base_url + PAGES[kind])
    expect(page.locator(".md-content h1")).to_be_visible()
    scheme_attr = page.locator("body").get_attribute("data-md-color-scheme")
    assert scheme_attr == ("slate" if scheme == "dark" else "default")
    assert serious_violations(page) == []
    assert page.errors == []


def test_links_in_text_are_underlined(new_page, base_url):
    page = new_page()
    page.goto(base_url + PAGES["glossary"])
    link = page.locator(".md-content li a").first
    expect(link).to_be_visible()
    assert "underline" in link.evaluate("a => getComputedStyle(a).textDecorationLine")


def test_sortable_table_sorts_by_a_column_and_says_so(new_page, base_url):
    page = new_page()
    page.goto(base_url + "terms/")
    button = page.locator(".kb-sortable th button", has_text="Senses")
    expect(button).to_be_visible()
    column = page.locator(".kb-sortable tbody tr td:nth-child(3)")
    button.click()
    expect(page.locator(".kb-sortable th[aria-sort='ascending']")).to_have_count(1)
    ascending = [int(t) for t in column.all_inner_texts()]
    assert ascending == sorted(ascending)
    button.click()
    expect(page.locator(".kb-sortable th[aria-sort='descending']")).to_have_count(1)
    descending = [int(t) for t in column.all_inner_texts()]
    assert descending == sorted(ascending, reverse=True)


def test_vocabulary_tree_is_in_the_sidebar_on_a_wide_screen(new_page, base_url):
    page = new_page(width=1366)
    page.goto(base_url + "terms/pseudo-alignment/")
    tree = page.locator(".md-sidebar--primary nav.kb-vocab-tree")
    expect(tree).to_be_visible()
    expect(tree.locator("a", has_text="inner misalignment")).to_be_visible()
    assert page.locator(".md-content nav.kb-vocab-tree").count() == 0


def test_vocabulary_tree_stays_in_the_page_on_a_phone(new_page, base_url):
    page = new_page(width=390, height=844)
    page.goto(base_url + "terms/pseudo-alignment/")
    expect(page.locator(".md-content nav.kb-vocab-tree")).to_be_visible()


def test_search_results_say_what_they_are(new_page, base_url):
    page = new_page()
    page.goto(base_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("pseudo", delay=30)
    term = page.locator(".md-search-result__link[href*='terms/pseudo-alignment'] .kb-kind").first
    expect(term).to_have_text("Term", timeout=15000)
    snippets = " ".join(page.locator(".md-search-result__list").all_inner_texts())
    assert "Show in graph" not in snippets
    assert not re.search(r"\b[\w-]+\.(txt|yaml)\b", snippets)


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ("mesa-optimizer", "mesa-optimizer"),
        ("mesa optimiser", "mesa-optimizer"),
        ("pseudo-aligned", "pseudo-alignment"),
        ("robust alignment", "robust-alignment"),
        ("base objective", "base-objective"),
    ],
)
def test_a_term_page_ranks_first_for_its_label_and_aliases(new_page, base_url, query, term):
    """Claims and sources that say a term's name many times used to rank above its page
    ("mesa-optimizer" was fifth on the repository's site); the page's names are its tags."""
    page = new_page()
    page.goto(base_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(query, delay=30)
    first = page.locator(".md-search-result__list > .md-search-result__item > a").first
    expect(first).to_have_attribute("href", re.compile(rf"/terms/{term}/(\?|$)"), timeout=15000)
    expect(page.locator(".md-search-result .md-tags").first).to_be_hidden()


@pytest.mark.parametrize(
    "path", ["terms/", "arguments/", "glossary/", "threads/a-post-on-the-paper/"]
)
def test_pages_fit_a_phone_screen(new_page, base_url, path):
    page = new_page(width=390, height=844)
    page.goto(base_url + path)
    expect(page.locator(".md-content h1")).to_be_visible()
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('.md-content table, .md-content .kb-comment')]
                 .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                 .map(el => el.tagName + '.' + el.className)"""
    )
    assert overflow == []


def test_a_reply_on_a_phone_is_indented_a_little(new_page, base_url):
    """On a phone each level of a thread costs at most 8 px, so that the deepest chain of a
    real thread (eleven comments) keeps most of the screen for its text."""
    page = new_page(width=390, height=844)
    page.goto(base_url + PAGES["thread"])
    reply = page.locator(".kb-comment .kb-comment").first
    expect(reply).to_be_visible()
    step = reply.evaluate(
        """el => el.querySelector('.kb-gist, .kb-comment-head').getBoundingClientRect().left
                 - el.parentElement.closest('.kb-comment').querySelector('.kb-comment-head')
                     .getBoundingClientRect().left"""
    )
    assert 0 < step <= 8


def test_short_values_in_a_phone_table_say_their_column(new_page, base_url):
    page = new_page(width=390, height=844)
    page.goto(base_url + "arguments/")
    expect(page.locator(".kb-sortable th button").first).to_be_visible()
    labels = page.evaluate(
        """() => [...document.querySelector('.kb-sortable tbody tr').cells].map(
                 td => getComputedStyle(td, '::before').content)"""
    )
    assert labels == ["none", '"By: "', '"Supported by: "', '"Objected to by: "']
    wide = new_page(width=1366)
    wide.goto(base_url + "arguments/")
    expect(wide.locator(".kb-sortable th button").first).to_be_visible()
    content = wide.evaluate(
        "() => getComputedStyle(document.querySelector('.kb-sortable td:nth-child(3)'),"
        " '::before').content"
    )
    assert content in ("none", "normal")


# Every piece of visible text in the article with its effective size (font size times any CSS
# transform on the way to the screen); drawings (SVG) are measured by test_argmap_browser.
ARTICLE_TEXT_SIZES = """() => {
  const sizes = [];
  const walker = document.createTreeWalker(document.querySelector('.md-content'),
                                           NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || el.closest('svg')) continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el.offsetWidth) size *= el.getBoundingClientRect().width / el.offsetWidth;
    sizes.push([Math.round(size * 10) / 10, el.tagName,
                walker.currentNode.textContent.trim().slice(0, 30)]);
  }
  return sizes;
}"""


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("path", [*PAGES.values(), "export/", "rules/"])
def test_article_text_reads_at_12px_or_more(new_page, base_url, path, width):
    """Text in the article is 12 px or more on a laptop and a phone, code in tables too
    (Material's 0.85em of a table's 0.64rem was 10.9 px on the export and rules pages)."""
    page = new_page(width=width, height=844)
    page.goto(base_url + path)
    expect(page.locator(".md-content h1")).to_be_visible()
    sizes = page.evaluate(ARTICLE_TEXT_SIZES)
    assert len(sizes) > 5
    assert [s for s in sizes if s[0] < 12] == []
