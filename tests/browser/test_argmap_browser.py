"""The argument view, the local graphs and the graph explorer as a reader sees them, in headless
Chromium: effective text sizes at laptop and phone widths, links, growth by expansion, the
explorer's first view, and label contrast in the light and dark schemes (computed from the
colours the page uses). Every wait is on a condition, never a fixed time."""

from __future__ import annotations

import functools
import re
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import QuietHandler
from playwright.sync_api import expect

import kb
from kb.site.argtree import responses
from kb.site.build import build_site
from kb.site.context import SiteData

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
LAPTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
VIEWS = ".kb-argmap, .kb-arg-answered, .kb-local-graph"

# Effective size of every piece of text in the argument views: font size times every scale on
# the way to the screen (an SVG's viewBox scale, a CSS transform), as rendered.
TEXT_SIZES = """(selector) => {
  const sizes = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const text = walker.currentNode;
      const el = text.parentElement;
      if (!text.textContent.trim() || el.closest("title")) continue;
      let size = parseFloat(getComputedStyle(el).fontSize);
      if (el instanceof SVGElement) {
        size *= el.getScreenCTM().a;
      } else if (el.offsetWidth) {
        size *= el.getBoundingClientRect().width / el.offsetWidth;
      }
      sizes.push([Math.round(size * 100) / 100, text.textContent.trim().slice(0, 40)]);
    }
  }
  return sizes;
}"""


def luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rgb(css: str) -> tuple[float, ...]:
    return tuple(float(x) for x in re.findall(r"[\d.]+", css)[:3])


@pytest.fixture(scope="module")
def repo_base() -> kb.KnowledgeBase:
    return kb.load(REPO)


@pytest.fixture(scope="module")
def repo_url(tmp_path_factory, repo_base):
    """The repository's own knowledge base, built and served (the largest real trees); not
    strict: test_site_build checks strictness, these tests the pages."""
    site = tmp_path_factory.mktemp("argmap-site")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site))
    )
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    build_site(REPO / "mkdocs.yml", site, REPO, strict=False, site_url=url)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def largest_claims(repo_base) -> list[str]:
    """The three claims with the most answers (the largest argument trees)."""
    data = SiteData(repo_base)
    sizes = {c: sum(a.size() for a in responses(data, f"claim:{c}")) for c in repo_base.claims}
    return sorted(sizes, key=lambda c: (-sizes[c], c))[:3]


def open_page(browser, url: str, device: dict, scheme: str = "light"):
    context = browser.new_context(**device, color_scheme=scheme)
    page = context.new_page()
    page.errors = []
    page.outside = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    host = urlsplit(url).netloc
    page.on(
        "request",
        lambda r: (
            page.outside.append(r.url)
            if urlsplit(r.url).netloc not in (host, "") and not r.url.startswith("data:")
            else None
        ),
    )
    page.goto(url)
    return page


def open_every_branch(page) -> None:
    page.evaluate("document.querySelectorAll('details.kb-arg-replies').forEach(d => d.open = true)")


@pytest.mark.parametrize("device", [LAPTOP, PHONE], ids=["1366px", "390px"])
def test_argument_views_read_at_12px_or_more(browser, repo_url, largest_claims, device):
    for claim in largest_claims:
        page = open_page(browser, f"{repo_url}arguments/{claim}/", device)
        expect(page.locator("#responses .kb-arg-card").first).to_be_visible()
        open_every_branch(page)
        sizes = page.evaluate(TEXT_SIZES, VIEWS)
        assert len(sizes) > 20, claim
        small = [s for s in sizes if s[0] < 12]
        assert small == [], (claim, small[:5])
        # Nothing is squeezed off the side: the answers fit the page's width.
        width = page.evaluate("document.documentElement.clientWidth")
        right = page.evaluate(
            "Math.max(...[...document.querySelectorAll('#responses .kb-arg-card')]"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert right <= width, (claim, right, width)
        # The local graph, drawn 1:1, fits a phone's column too (its frame would scroll).
        frame = page.evaluate(
            "(() => { const f = document.querySelector('.kb-lg-frame');"
            " return [f.scrollWidth, f.clientWidth]; })()"
        )
        assert frame[0] <= frame[1], (claim, frame)
        assert page.errors == [] and page.outside == []
        page.context.close()


def test_claim_pages_fit_a_phone(browser, repo_url, repo_base):
    """On a 390 px phone no claim page scrolls sideways, and its title ends where its text
    does (the hidden permalink sign used to wrap onto a blank line of its own)."""
    page = open_page(browser, repo_url, PHONE)
    page.route(re.compile(r"search_index\.json|sitemap\.xml"), lambda route: route.abort())
    for claim in sorted(repo_base.claims):
        page.goto(f"{repo_url}arguments/{claim}/")
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], (claim, widths)
        gap = page.evaluate(
            """() => { const h1 = document.querySelector('.md-content h1');
              const text = document.createRange(), link = h1.querySelector('.headerlink');
              text.setStartBefore(h1.firstChild);
              link ? text.setEndBefore(link) : text.setEndAfter(h1.lastChild);
              return h1.getBoundingClientRect().bottom - text.getBoundingClientRect().bottom; }"""
        )
        assert gap < 4, (claim, gap)
    page.context.close()


def map_links(page) -> list[str]:
    """Every link of the page's argument view and local graph (SVG links are xlink:href)."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].flatMap(root =>
            [...root.querySelectorAll('a')].map(a => a.getAttribute('href') ||
              a.getAttributeNS('http://www.w3.org/1999/xlink', 'href')))""",
        VIEWS,
    )


def assert_pages_exist(page, links: list[str]) -> None:
    """Each link opens a page (status 200) that holds the anchor it names."""
    checked: dict[str, str] = {}
    for link in links:
        address, _, fragment = urljoin(page.url, link).partition("#")
        if address not in checked:
            response = page.request.get(address)
            assert response.status == 200, (link, response.status)
            checked[address] = response.text()
        if fragment:
            assert f'id="{fragment}"' in checked[address], link


def test_every_map_node_links_to_an_existing_page(browser, repo_url, repo_base, largest_claims):
    page = open_page(browser, f"{repo_url}arguments/{largest_claims[0]}/", LAPTOP)
    expect(page.locator("#responses .kb-arg-card").first).to_be_visible()
    links = map_links(page)
    cards = page.locator("#responses .kb-arg-card").count()
    assert len(links) >= 2 * cards  # every card: its claim and its source
    assert_pages_exist(page, links)
    # The local graphs of the most linked term and source, and their links to the explorer.
    graph = repo_base.graph
    for kind, folder in (("term", "terms"), ("source", "sources")):
        node = max((n for n in graph if n.startswith(kind + ":")), key=graph.degree)
        page.goto(f"{repo_url}{folder}/{node.split(':', 1)[1]}/")
        links = map_links(page)
        assert sum("graph/?focus=" in link for link in links) >= 1
        assert len(links) > 10
        assert_pages_exist(page, links)
    page.context.close()


# Every line of a local graph that runs out of its box (or, for a heading, out of the drawing).
LOCAL_GRAPH_SPILLS = """() => {
  const spills = [];
  for (const svg of document.querySelectorAll("svg.kb-lg")) {
    const width = svg.viewBox.baseVal.width;
    for (const line of svg.querySelectorAll("text > tspan, text:not(:has(tspan))")) {
      const box = line.getBBox();
      const frame = line.closest("a, g").querySelector("rect");
      const right = frame ? frame.x.baseVal.value + frame.width.baseVal.value : width;
      const left = frame ? frame.x.baseVal.value : 0;
      if (box.x < left || box.x + box.width > right) spills.push(line.textContent);
    }
  }
  return spills;
}"""


def test_local_graph_text_stays_in_its_boxes(browser, repo_url, repo_base, largest_claims):
    """Labels are wrapped by width, not by a count of characters: on the pages with the
    longest names (wide letters, long hyphenated words, the undercut heading) no line runs
    out of its box."""
    graph = repo_base.graph
    longest = sorted(repo_base.claims, key=lambda c: -len(repo_base.claims[c].headline))[:3]
    undercut = sorted({target for _, target, key in graph.edges(keys=True) if key == "undercuts"})
    pages = [f"arguments/{c}/" for c in largest_claims + longest]
    pages += [f"arguments/{n.split(':', 1)[1]}/" for n in undercut[:2]]
    for kind, folder in (("term", "terms"), ("source", "sources")):
        node = max((n for n in graph if n.startswith(kind + ":")), key=graph.degree)
        pages.append(f"{folder}/{node.split(':', 1)[1]}/")
    page = open_page(browser, repo_url, LAPTOP)
    for address in pages:
        page.goto(repo_url + address)
        expect(page.locator("svg.kb-lg")).to_be_visible()
        assert page.evaluate(LOCAL_GRAPH_SPILLS) == [], address
    page.context.close()


def test_sides_are_told_in_words_not_colour_alone(browser, repo_url, largest_claims):
    page = open_page(browser, f"{repo_url}arguments/{largest_claims[0]}/", PHONE)
    open_every_branch(page)
    for answer in page.locator("#responses li.kb-arg").all():
        head = answer.locator(":scope > .kb-arg-card > .kb-arg-head").inner_text()
        side = "For" if "kb-arg-for" in answer.get_attribute("class") else "Against"
        assert head.split()[1] == side, head  # "✓ For supports …" / "✗ Against objects to …"
    styles = page.evaluate(
        """() => ['for', 'against'].map(side => {
            const card = document.querySelector(`#responses .kb-arg-${side} > .kb-arg-card`);
            return card ? getComputedStyle(card).borderLeftStyle : null; })"""
    )
    assert styles == ["solid", "dashed"]
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_argument_view_colours_keep_their_contrast(browser, repo_url, largest_claims, scheme):
    page = open_page(browser, f"{repo_url}arguments/{largest_claims[0]}/", LAPTOP, scheme)
    expect(page.locator("#responses .kb-arg-col-title .kb-side-against")).to_be_visible()
    pairs = page.evaluate(
        """() => {
          const bg = getComputedStyle(document.querySelector('.md-main')).backgroundColor !==
              'rgba(0, 0, 0, 0)' ? getComputedStyle(document.querySelector('.md-main')).backgroundColor
              : getComputedStyle(document.body).backgroundColor;
          const out = [];
          for (const el of document.querySelectorAll('.kb-side, .kb-arg-rel, .kb-arg-who, .kb-lg text'))
            out.push([el.className.baseVal ?? el.className, el instanceof SVGElement ?
              getComputedStyle(el).fill : getComputedStyle(el).color, bg]);
          return out;
        }"""
    )
    assert pairs
    for name, colour, background in pairs:
        assert contrast(rgb(colour), rgb(background)) >= 4.5, (name, colour, background)
    page.context.close()


# -- the graph explorer ---------------------------------------------------------------------


def wait_drawn(page) -> None:
    expect(page.locator("#kb-graph")).to_have_attribute("data-drawn", "yes", timeout=30000)


def shown(page) -> list[str]:
    return page.evaluate("window.kbGraph.cy.nodes().map(n => n.id()).sort()")


@pytest.mark.parametrize("address", ["graph/", "graph/?focus=term:mesa-optimizer"])
def test_explorer_opens_small_and_readable(browser, repo_url, address):
    page = open_page(browser, repo_url + address, LAPTOP)
    wait_drawn(page)
    count = len(shown(page))
    assert 5 <= count <= 60
    expect(page.locator("#kb-graph-status")).to_have_text(re.compile(rf"^Showing {count} of \d+ "))
    smallest = page.evaluate(
        "Math.min(...window.kbGraph.cy.nodes().map(n => parseFloat(n.style('font-size')))) "
        "* window.kbGraph.cy.zoom()"
    )
    assert smallest >= 11
    for selector in (
        "#kb-graph-search",
        "#kb-graph-status",
        "input[data-node-kind='claim']",
        "input[data-edge-type='objects_to']",
    ):
        box = page.locator(selector).bounding_box()
        assert box and box["y"] + box["height"] <= 900, selector  # above the fold
    assert page.errors == [] and page.outside == []
    page.context.close()


# How many labels in the drawing overlap another (their boxes as cytoscape draws them).
OVERLAPPING_LABELS = """() => {
  const boxes = window.kbGraph.cy.nodes().not(".kb-hidden")
    .map(n => n.boundingBox({ includeNodes: false, includeLabels: true, includeOverlays: false,
                              includeUnderlays: false }));
  const hit = new Set();
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b, k) => {
    if (Math.min(a.x2, b.x2) > Math.max(a.x1, b.x1) && Math.min(a.y2, b.y2) > Math.max(a.y1, b.y1)) {
      hit.add(i); hit.add(i + 1 + k);
    }
  }));
  return hit.size;
}"""


def test_explorer_labels_seldom_overlap(browser, repo_url, repo_base):
    """The layout makes room for the names: in the first view of the most linked source (40
    entries, most of them claims with long names) few labels cover another (the layout starts
    from fixed places, so the view is the same each time: 5 of 40; 10 to 26 before)."""
    graph = repo_base.graph
    source = max((n for n in graph if n.startswith("source:")), key=graph.degree)
    page = open_page(browser, f"{repo_url}graph/?focus={source}", LAPTOP)
    wait_drawn(page)
    count = len(shown(page))
    assert count >= 30
    assert page.evaluate(OVERLAPPING_LABELS) <= count // 4
    page.context.close()


def test_expanding_a_node_adds_its_neighbours(browser, base_url, fixture_base):
    page = open_page(browser, base_url + "graph/?focus=claim:narrowness-is-deliberate", LAPTOP)
    wait_drawn(page)
    before = set(shown(page))
    graph = fixture_base.graph.to_undirected()
    grown = next(n for n in sorted(before) if set(graph.neighbors(n)) - before)
    # Select the node by clicking where it is drawn, then ask for its neighbours.
    x, y = page.evaluate(
        "(id) => { const p = window.kbGraph.cy.getElementById(id).renderedPosition();"
        " return [p.x, p.y]; }",
        grown,
    )
    box = page.locator("#kb-graph").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    button = page.locator("#kb-graph-info .kb-ex-expand")
    expect(button).to_contain_text("Add its neighbours")
    button.click()
    page.wait_for_function("(n) => window.kbGraph.cy.nodes().length > n", arg=len(before))
    after = set(shown(page))
    assert after == before | set(graph.neighbors(grown))
    expect(page.locator("#kb-graph-status")).to_contain_text(f"Showing {len(after)} of")
    assert page.errors == [] and page.outside == []
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_explorer_labels_keep_their_contrast(browser, repo_url, scheme):
    page = open_page(browser, repo_url + "graph/?focus=term:mesa-optimizer", LAPTOP, scheme)
    wait_drawn(page)
    labels = page.evaluate(
        """() => window.kbGraph.cy.nodes().map(n => [n.id(), n.style('color'),
              n.style('text-background-color'), n.style('text-background-opacity')])"""
    )
    page_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    for node, colour, background, opacity in labels:
        assert float(opacity) == 1, node  # the label sits on its own opaque background
        assert contrast(rgb(colour), rgb(background)) >= 4.5, (node, colour, background)
        assert rgb(background) == rgb(page_bg)  # …of the page's colour, in either scheme
    page.context.close()


def test_the_view_can_be_used_from_the_keyboard(browser, base_url):
    """The nodes in view are also a list of buttons: picking one describes it in the panel,
    whose buttons open its page and grow the view."""
    page = open_page(browser, base_url + "graph/?focus=claim:the-rlo-sense-is-too-narrow", LAPTOP)
    wait_drawn(page)
    picks = page.locator("#kb-graph-list .kb-ex-pick")  # the list is open from the start
    assert sorted(picks.all_inner_texts()) == sorted(
        page.evaluate("window.kbGraph.cy.nodes().map(n => n.data('label'))")
    )
    pick = picks.filter(has_text="The narrow sense is deliberate")
    pick.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#kb-graph-info .kb-ex-label")).to_have_text(
        "The narrow sense is deliberate: the paper's argument is about optimizers"
    )
    expect(page.locator("#kb-graph-info .kb-ex-by")).to_have_text("By B. Replier")
    assert page.evaluate(
        "window.kbGraph.cy.getElementById('claim:narrowness-is-deliberate').selected()"
    )
    assert page.errors == [] and page.outside == []
    page.context.close()


def test_explorer_on_a_phone_lists_first_and_draws_when_scrolled_to(browser, repo_url, repo_base):
    """On a phone the list of the entries in view comes first, readable and usable before
    cytoscape is loaded (the page's main-thread work, benchmarks/site.md); the drawing is made
    when the reader scrolls to it, and shows the same entries. Without a focus the list is in
    the page as built, so filling it in moves nothing."""
    from kb.site.graph_data import first_view, node_label

    data = SiteData(repo_base)
    first = first_view(data)
    labels = sorted(node_label(data, n) for n in first)
    page = open_page(browser, repo_url + "graph/", PHONE)
    graph = page.locator("#kb-graph")
    expect(graph).to_have_attribute("data-drawn", "listed")
    picks = page.locator("#kb-graph-list .kb-ex-pick")
    assert sorted(picks.all_inner_texts()) == labels
    assert page.evaluate("typeof window.cytoscape") == "undefined"
    assert page.locator("#kb-graph-list").bounding_box()["y"] < graph.bounding_box()["y"]
    heads = page.locator("#kb-graph-list .kb-ex-group-head").all_inner_texts()
    assert heads[0] == f"Terms ({sum(n.startswith('term:') for n in first)})"
    # Picking an entry describes it; its neighbours join the list, all before any drawing.
    grown = next(
        n for n in first[1:] if set(repo_base.graph.to_undirected().neighbors(n)) - set(first)
    )
    picks.filter(has_text=re.compile("^" + re.escape(node_label(data, grown)) + "$")).click()
    expect(page.locator("#kb-graph-info .kb-ex-label")).to_have_text(node_label(data, grown))
    page.locator("#kb-graph-info .kb-ex-expand").click()
    expect(picks).not_to_have_count(len(first))
    listed = sorted(picks.all_inner_texts())
    assert page.evaluate("typeof window.cytoscape") == "undefined"
    graph.scroll_into_view_if_needed()
    wait_drawn(page)
    drawn = page.evaluate("window.kbGraph.cy.nodes().map(n => n.data('label'))")
    assert sorted(drawn) == listed
    assert page.errors == [] and page.outside == []
    page.context.close()


def test_explorer_filters_are_all_in_sight_on_a_phone(browser, base_url):
    """On a 390 px phone every filter (kinds of entry, kinds of link) sits whole inside its
    frame and the page: none is cut off at the edge, so a reader sees that sources can be shown."""
    page = open_page(browser, base_url + "graph/", PHONE)
    filters = page.locator(".kb-filters .kb-filter")
    expect(filters.first).to_be_visible()
    width = page.evaluate("document.documentElement.clientWidth")
    cut = page.evaluate(
        """(width) => [...document.querySelectorAll('.kb-filters .kb-filter')].filter(f => {
             const box = f.getBoundingClientRect();
             const frame = f.closest('.kb-filters').getBoundingClientRect();
             return box.right > Math.min(frame.right, width) || box.left < frame.left;
           }).map(f => f.textContent.trim())""",
        width,
    )
    assert filters.count() > 10
    assert cut == []
    page.context.close()


def test_explorer_list_is_in_the_page_as_built(browser, repo_url, repo_base):
    """Without scripts the explorer's page still lists the first view's entries, by kind, and
    the script's list is the same (so nothing moves when it takes over)."""
    context = browser.new_context(**LAPTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(repo_url + "graph/")
    built = page.locator("#kb-graph-list").inner_text()
    status = page.locator("#kb-graph-status").inner_text()
    context.close()
    page = open_page(browser, repo_url + "graph/", LAPTOP)
    expect(page.locator("#kb-graph")).to_have_attribute("data-drawn", re.compile("listed|yes"))
    assert page.locator("#kb-graph-list").inner_text() == built
    assert page.locator("#kb-graph-status").inner_text() == status
    assert built.startswith("Terms (")
    page.context.close()


def test_local_graph_labels_show_whole_on_a_phone(browser, repo_url, repo_base):
    """No hover on a phone: every neighbour's name in the local graph of the most linked
    term and source is shown whole, in its box, at 13 px."""
    graph = repo_base.graph
    page = open_page(browser, repo_url, PHONE)
    for kind, folder in (("term", "terms"), ("source", "sources")):
        node = max((n for n in graph if n.startswith(kind + ":")), key=graph.degree)
        page.goto(f"{repo_url}{folder}/{node.split(':', 1)[1]}/")
        names = page.evaluate(
            """() => [...document.querySelectorAll("svg.kb-lg a.kb-lg-node")].map(a => [
                 a.querySelector("title").textContent.replace(/^\\w+: /, ""),
                 [...a.querySelectorAll("tspan")].map(t => t.textContent).join(" ")])"""
        )
        assert len(names) >= 10
        for title, shown_text in names:
            assert shown_text.replace("- ", "-") == title.replace("- ", "-"), (node, title)
        assert page.evaluate(LOCAL_GRAPH_SPILLS) == [], node
        sizes = page.evaluate(TEXT_SIZES, ".kb-local-graph")
        assert min(size for size, _ in sizes) >= 12, node
    page.context.close()


def test_local_graph_links_are_reached_and_shown_from_the_keyboard(browser, repo_url):
    """Tab goes from one neighbour's box to the next; the focused one is drawn with a thick
    border, and its link is named by the whole label for screen readers."""
    page = open_page(browser, repo_url + "terms/robust-alignment/", PHONE)
    page.locator("svg.kb-lg a.kb-lg-node").first.focus()
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_class(re.compile(r"\bkb-lg-node\b"))
    assert (
        page.evaluate(
            "parseFloat(getComputedStyle(document.activeElement.querySelector('rect')).strokeWidth)"
        )
        >= 4
    )
    title = page.evaluate("document.activeElement.querySelector('title').textContent")
    expect(focused).to_have_accessible_name(title)
    assert ": " in title  # "claim: <the whole headline>"
    page.context.close()
