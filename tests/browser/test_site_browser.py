"""The site as a reader uses it, in headless Chromium: search, term, preview, claim, graph."""

from __future__ import annotations

import re

import networkx as nx
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
VISIBLE_NODES = "window.kbGraph.network.body.data.nodes.getIds().sort()"


def test_search_then_term_then_preview_then_claim(page, base_url):
    """Every step after the first page is Material's instant navigation (no reload): the
    marker set on the home page survives, and Mermaid is fetched only for the diagram."""
    mermaid = []
    page.on(
        "request", lambda r: mermaid.append(page.url) if r.url.endswith("/mermaid.min.js") else None
    )
    page.goto(base_url)
    page.evaluate("window.kbSamePage = true")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("pseudo", delay=30)
    result = page.locator(".md-search-result__link", has_text="pseudo-alignment").first
    expect(result).to_be_visible(timeout=15000)
    result.click()
    page.wait_for_url(re.compile(r"/terms/pseudo-alignment/"))

    expect(page.locator(".md-content h1")).to_have_text(re.compile(r"^pseudo-alignment\W*$"))
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

    page.locator(
        ".md-content a", has_text="The paper's sense of pseudo-alignment is too narrow"
    ).first.click()
    page.wait_for_url(re.compile(r"/arguments/the-rlo-sense-is-too-narrow/"))
    diagram = page.locator("div.mermaid")
    expect(diagram).to_be_visible(timeout=15000)
    assert page.locator("pre.mermaid").count() == 0  # Material replaced the source by the SVG
    assert diagram.bounding_box()["height"] > 100
    assert page.evaluate("window.kbSamePage") is True
    assert mermaid == [page.url]  # once, requested while on the claim page
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

    # The whole graph starts with the vocabulary only; a filter adds the claims.
    kinds = "[...new Set(window.kbGraph.network.body.data.nodes.get().map(n => n.kind))].sort()"
    assert page.evaluate(kinds) == ["sense", "term"]
    page.locator("input[data-node-kind='claim']").check()
    assert page.evaluate(kinds) == ["claim", "sense", "term"]

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
    expect(page.locator(".md-content h1")).to_have_text(re.compile(r"^mesa-objective\W*$"))
    assert page.errors == []
    assert page.outside_requests == []


def _neighbourhood(base, node: str, depth: int) -> list[str]:
    """The nodes at most ``depth`` links from ``node``, links followed either way."""
    return sorted(nx.ego_graph(nx.Graph(base.graph.to_undirected()), node, radius=depth))


def _wait_for_view(page, node: str, depth: int) -> None:
    page.wait_for_function(
        "([node, depth]) => window.kbGraph && window.kbGraph.explorer.focus === node"
        " && window.kbGraph.explorer.depth === depth",
        arg=[node, depth],
    )


def test_show_in_graph_focuses_on_the_entry(page, base_url, fixture_base):
    page.goto(base_url + "terms/mesa-objective/")
    page.evaluate("window.kbSamePage = true")
    page.locator("a.kb-graph-link").click()  # instant navigation to graph/?focus=…
    page.wait_for_url(re.compile(r"/graph/\?focus=term:mesa-objective&depth=2$"))
    _wait_for_view(page, "term:mesa-objective", 2)
    assert page.evaluate("window.kbSamePage") is True
    assert page.evaluate(VISIBLE_NODES) == _neighbourhood(fixture_base, "term:mesa-objective", 2)
    expect(page.locator("#kb-graph-status")).to_contain_text("Neighbourhood of “mesa-objective”")

    page.locator("#kb-graph-depth").select_option("1")
    _wait_for_view(page, "term:mesa-objective", 1)
    assert page.evaluate(VISIBLE_NODES) == _neighbourhood(fixture_base, "term:mesa-objective", 1)
    assert page.url.endswith("/graph/?focus=term%3Amesa-objective&depth=1")

    # The controls: find another node, show its neighbourhood, then the whole graph again.
    page.locator("#kb-graph-search").fill("Many objectives fit the training data")
    page.locator("#kb-graph-focus").click()
    _wait_for_view(page, "claim:many-objectives-fit", 1)
    assert page.evaluate(VISIBLE_NODES) == _neighbourhood(
        fixture_base, "claim:many-objectives-fit", 1
    )
    page.locator("#kb-graph-whole").click()
    page.wait_for_function("window.kbGraph.explorer.focus === null")
    assert page.url.endswith("/graph/")
    kinds = page.evaluate("window.kbGraph.network.body.data.nodes.get().map(n => n.kind)")
    assert set(kinds) == {"term", "sense"}
    assert page.errors == []
    assert page.outside_requests == []


def test_claim_page_opened_directly_draws_its_diagram(page, base_url):
    page.goto(base_url + "arguments/pseudo-alignment-is-the-default/")
    expect(page.locator("div.mermaid")).to_be_visible(timeout=15000)
    assert page.errors == []
    assert page.outside_requests == []
