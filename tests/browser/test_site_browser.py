"""The site as a reader uses it, in headless Chromium: search, term, preview, claim, graph."""

from __future__ import annotations

import re

import networkx as nx
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
VISIBLE_NODES = "window.kbGraph.cy.nodes().map(n => n.id()).sort()"


def test_search_then_term_then_preview_then_claim(page, base_url):
    """Every step after the first page is Material's instant navigation (no reload): the
    marker set on the home page survives; no diagram library is ever fetched."""
    libraries = []
    page.on(
        "request",
        lambda r: libraries.append(r.url) if re.search(r"mermaid|vis-network", r.url) else None,
    )
    page.goto(base_url)
    page.evaluate("window.kbSamePage = true")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("pseudo", delay=30)
    result = page.locator(".md-search-result__link", has_text="pseudo-alignment").first
    expect(result).to_be_visible()
    result.click()
    page.wait_for_url(re.compile(r"/terms/pseudo-alignment/"))

    expect(page.locator(".md-content h1")).to_have_text(re.compile(r"^pseudo-alignment\W*$"))
    for sense in ("rlo", "loose"):
        expect(page.locator(f"#sense-{sense}")).to_be_visible()
    sources = page.locator(".kb-sense a[href*='/sources/']")
    expect(sources.first).to_be_visible()
    expect(sources.filter(has_text="Risks from Learned Optimization").first).to_be_visible()

    link = page.locator(".kb-sense a.kb-term", has_text="mesa-optimizer").first
    link.hover()
    preview = page.locator(".kb-preview")
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("A learned model that is itself an optimizer")

    page.locator(
        ".md-content a", has_text="The paper's sense of pseudo-alignment is too narrow"
    ).first.click()
    page.wait_for_url(re.compile(r"/arguments/the-rlo-sense-is-too-narrow/"))
    expect(page.locator("#responses .kb-arg-card").first).to_be_visible()
    assert page.evaluate("window.kbSamePage") is True
    assert libraries == []
    expect(page.locator("#responses .kb-arg-col-against")).to_contain_text(
        "The narrow sense is deliberate"  # it objects to the claim
    )
    assert page.errors == []
    assert page.outside_requests == []


def test_hostile_text_does_not_run(page, base_url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base_url + "terms/hostile-term/")
    expect(page.locator("#sense-evil")).to_be_visible()
    expect(page.locator(".kb-sense p").first).to_contain_text('<script>alert("xss")</script>')
    expect(page.locator(".kb-sense p").first).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator(".md-content img, .md-content iframe, .md-content script").count() == 0
    assert dialogs == []


def test_graph_explorer_draws_and_navigates(page, base_url):
    page.goto(base_url + "graph/")
    graph = page.locator("#kb-graph")
    expect(graph).to_have_attribute("data-drawn", "yes")
    expect(page.locator("#kb-graph-status")).to_contain_text("entries")
    # The first view: the most linked term and its neighbours; the claim filter hides claims.
    kinds = "[...new Set(window.kbGraph.cy.nodes(':visible').map(n => n.data('kind')))].sort()"
    assert page.evaluate("window.kbGraph.explorer.focus") == "term:mesa-optimizer"
    assert "claim" in page.evaluate(kinds)

    # Search adds the node found, with its neighbours, and selects it; the panel opens its page.
    page.locator("#kb-graph-search").fill("Many objectives fit the training data")
    page.locator("#kb-graph-search").press("Enter")
    page.wait_for_function(
        "window.kbGraph.cy.getElementById('claim:many-objectives-fit').selected()"
    )
    assert "claim" in page.evaluate(kinds)
    page.locator("input[data-node-kind='claim']").uncheck()
    page.wait_for_function(f"!{kinds}.includes('claim')")
    expect(page.locator("#kb-graph-status")).to_contain_text("hidden by the filters")
    link = page.locator("#kb-graph-info a.kb-ex-open")
    expect(link).to_have_text("Open its page")
    link.click()
    page.wait_for_url(re.compile(r"/arguments/many-objectives-fit/"))
    assert page.errors == []
    assert page.outside_requests == []


def test_show_in_graph_focuses_on_the_entry(page, base_url, fixture_base):
    page.goto(base_url + "terms/mesa-objective/")
    page.evaluate("window.kbSamePage = true")
    page.locator("a.kb-graph-link").click()  # instant navigation to graph/?focus=…
    page.wait_for_url(re.compile(r"/graph/\?focus=term:mesa-objective$"))
    expect(page.locator("#kb-graph")).to_have_attribute("data-drawn", "yes")
    assert page.evaluate("window.kbSamePage") is True
    neighbours = nx.ego_graph(
        nx.Graph(fixture_base.graph.to_undirected()), "term:mesa-objective", 1
    )
    assert page.evaluate(VISIBLE_NODES) == sorted(neighbours)
    assert page.evaluate(
        "window.kbGraph.cy.getElementById('term:mesa-objective').hasClass('kb-focus')"
    )
    # "Start again" comes back to the same first view.
    page.locator("#kb-graph-reset").click()
    page.wait_for_function(
        f"ids => JSON.stringify({VISIBLE_NODES}) === JSON.stringify(ids)", arg=sorted(neighbours)
    )
    assert page.errors == []
    assert page.outside_requests == []


def test_claim_page_opened_directly_shows_its_argument_view(page, base_url):
    page.goto(base_url + "arguments/pseudo-alignment-is-the-default/")
    expect(page.locator("#responses .kb-arg-col-against")).to_contain_text(
        "The paper's sense of pseudo-alignment is too narrow"
    )
    expect(page.locator("#neighbourhood svg.kb-lg")).to_be_visible()
    assert page.errors == []
    assert page.outside_requests == []
