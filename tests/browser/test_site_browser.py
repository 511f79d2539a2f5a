"""The site as a reader uses it, in headless Chromium: search, term, preview, claim, graph."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_search_then_term_then_preview_then_claim(page, base_url):
    page.goto(base_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("pseudo", delay=30)
    result = page.locator(".md-search-result__link", has_text="pseudo-alignment").first
    expect(result).to_be_visible(timeout=15000)
    result.click()
    page.wait_for_url(re.compile(r"/terms/pseudo-alignment/"))

    expect(page.locator("h1")).to_have_text(re.compile(r"^pseudo-alignment\W*$"))
    for sense in ("rlo", "loose"):
        expect(page.locator(f"#sense-{sense}")).to_be_visible()
    sources = page.locator(".kb-sense a[href*='/sources/']")
    expect(sources.first).to_be_visible()
    assert "Risks from Learned Optimization" in sources.first.inner_text()

    link = page.locator(".kb-sense a.kb-term", has_text="mesa-optimizer").first
    link.hover()
    preview = page.locator(".kb-preview")
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("A learned model that is itself an optimizer")

    page.locator("a", has_text="The paper's sense of pseudo-alignment is too narrow").first.click()
    page.wait_for_url(re.compile(r"/arguments/the-rlo-sense-is-too-narrow/"))
    diagram = page.locator("div.mermaid")
    expect(diagram).to_be_visible(timeout=15000)
    assert page.locator("pre.mermaid").count() == 0  # Material replaced the source by the SVG
    assert diagram.bounding_box()["height"] > 100
    expect(page.locator("#responses ~ ul").first).to_contain_text("The narrow sense is deliberate")
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
    expect(graph).to_have_attribute("data-drawn", "yes", timeout=20000)
    expect(page.locator("#kb-graph-status")).to_contain_text("nodes")
    assert page.evaluate("window.kbGraph.nodes.length") > 20
    assert graph.locator("canvas").count() == 1

    # Filters: hiding sources removes them from the view.
    page.locator("input[data-node-kind='source']").uncheck()
    assert page.evaluate(
        "window.kbGraph.network.body.data.nodes.get().every(n => n.kind !== 'source')")
    page.locator("input[data-node-kind='source']").check()

    # Search selects the node; clicking it opens its page.
    page.locator("#kb-graph-search").fill("mesa-objective")
    page.locator("#kb-graph-search").press("Enter")
    page.wait_for_function("window.kbGraph.network.getSelectedNodes()[0] === 'term:mesa-objective'")
    page.wait_for_timeout(1200)  # let the focus animation finish before reading the position
    x, y = page.evaluate("""() => {
        const net = window.kbGraph.network;
        const p = net.canvasToDOM(net.getPosition('term:mesa-objective'));
        return [p.x, p.y];
    }""")
    box = graph.locator("canvas").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(re.compile(r"/terms/mesa-objective/"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^mesa-objective\W*$"))
    assert page.errors == []
    assert page.outside_requests == []
