"""Builds the fixture site once (strict: a warning fails the build) and walks it like a
crawler: every internal link and anchor resolves, every entry has its page."""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from mkdocs.exceptions import Abort

import kb
import kb.site.plugin as kb_plugin
from kb.site.aside import without_marks
from kb.site.build import build_site
from kb.site.context import source_title

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "site"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    docs_before = sorted(p.name for p in (REPO / "docs").rglob("*"))
    built = build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("site"), FIXTURE)
    assert sorted(p.name for p in (REPO / "docs").rglob("*")) == docs_before  # nothing written
    return built


class PageParser(HTMLParser):
    """Collects the ids and the link targets (href/src) of one HTML page."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and attrs.get("rel") in ("canonical",)):
                self.links.append(attrs[name])


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text("utf-8"))
    return parser


def resolve(site: Path, page: Path, link: str) -> tuple[Path | None, str]:
    """The file a relative link points at (directory → index.html) and its fragment."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:")):
        return None, ""
    if not parts.path:
        return page, parts.fragment
    target = (page.parent / unquote(parts.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def test_every_internal_link_and_anchor_resolves(site):
    parsed: dict[Path, PageParser] = {}
    broken = []
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 40
    for page in pages:
        parsed.setdefault(page, parse(page))
    for page in pages:
        for link in parsed[page].links:
            target, fragment = resolve(site, page, link)
            if target is None:
                continue
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{page.relative_to(site)}: {link} (no file)")
                continue
            if fragment and target.suffix == ".html":
                ids = parsed.setdefault(target, parse(target)).ids
                if unquote(fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {link} (no anchor)")
    assert broken == []


def test_every_entry_has_its_page_at_a_stable_address(site):
    base = kb.load(FIXTURE)
    expected = (
        [f"terms/{i}" for i in base.terms]
        + [f"arguments/{i}" for i in base.claims]
        + [f"sources/{i}" for i in base.sources]
    )
    missing = [url for url in expected if not (site / url / "index.html").is_file()]
    assert missing == []
    for term in base.terms.values():
        ids = parse(site / "terms" / term.id / "index.html").ids
        assert {f"sense-{s.id}" for s in term.senses} <= ids


def test_special_pages_exist(site):
    for url in (
        "index.html",
        "glossary/index.html",
        "disputes/index.html",
        "graph/index.html",
        "rules/index.html",
        "rules/circular-definition/index.html",
        "downloads/index.html",
        "about/index.html",
        "contributing/index.html",
        "data-model/index.html",
        "schemas/term.schema.json",
        "assets/kb/cytoscape.min.js",
    ):
        assert (site / url).is_file(), url


def test_no_page_loads_anything_from_another_host(site):
    for page in site.rglob("*.html"):
        for link in parse(page).links:
            if link.startswith(("http://", "https://", "//")):
                # outside links are fine as links, never as scripts, styles or images
                text = page.read_text("utf-8")
                assert f'src="{link}"' not in text, (page, link)
                assert f'<link rel="stylesheet" href="{link}"' not in text, (page, link)


def test_downloads_offer_every_export_format(site):
    from kb.site.downloads import export_formats

    page = parse(site / "downloads" / "index.html")
    files = {link for link in page.links if link.startswith("alignment-atlas")}
    formats = export_formats()
    assert len(files) == len(formats) > 0
    for name, exporter in formats.items():
        expected = (
            f"alignment-atlas-{name}.zip"
            if getattr(exporter, "folder", False)
            else f"alignment-atlas.{exporter.extension}"
        )
        assert expected in files
        assert (site / "downloads" / expected).stat().st_size > 0
    assert "../schemas/term.schema.json" in page.links


def test_graph_data_and_previews(site):
    graph = json.loads((site / "assets/kb/graph.json").read_text("utf-8"))
    base = kb.load(FIXTURE)
    assert len(graph["nodes"]) == base.graph.number_of_nodes()
    assert len(graph["edges"]) == base.graph.number_of_edges()
    previews = json.loads((site / "assets/kb/previews.json").read_text("utf-8"))
    assert (
        previews["mesa-optimizer"]["text"]
        == "A learned model that is itself an optimizer, found by a base optimizer."
    )


def test_search_index_covers_aliases_definitions_and_claims(site):
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "pseudo-aligned" in text
    assert "agrees with the base objective on the training data" in text
    assert "Restricting pseudo-alignment to mesa-optimizers" in text


def test_search_index_has_no_empty_entries_and_finds_every_entry_page(site):
    """Every entry of the search index has text, except a page's own entry, which has the
    page's title (a heading whose section the search leaves out makes no entry: it would be
    found by the page's title and show nothing); every entry page and every sense is found."""
    docs = json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]
    assert [d["location"] for d in docs if "#" in d["location"] and not d["text"].strip()] == []
    assert [d["location"] for d in docs if not d["title"].strip()] == []
    found = {d["location"]: d for d in docs}
    base = kb.load(FIXTURE)
    titles = (
        [(f"terms/{t.id}/", t.label) for t in base.terms.values()]
        + [(f"arguments/{c.id}/", c.headline) for c in base.claims.values()]
        + [(f"sources/{s.id}/", source_title(base, s)) for s in base.sources.values()]
    )
    assert [(url, title) for url, title in titles if url not in found] == []
    assert [
        (url, title)
        for url, title in titles
        if html.unescape(found[url]["title"]) != " ".join(title.split())
    ] == []
    for term in base.terms.values():
        for sense in term.senses:
            entry = found[f"terms/{term.id}/#sense-{sense.id}"]
            assert " ".join(sense.definition.split()[:3]) in html.unescape(entry["text"])


def test_entry_pages_are_not_in_the_navigation(site):
    about = (site / "about" / "index.html").read_text("utf-8")
    assert "terms/pseudo-alignment/" not in about  # nav lists sections and index pages only


def test_home_page_shows_live_counts_and_contested_terms(site):
    home = (site / "index.html").read_text("utf-8")
    for number, what, url in (
        (9, "terms", "terms/"),
        (10, "senses", "glossary/"),
        (4, "claims", "arguments/"),
        (4, "sources", "sources/"),
        (2, "objections", "disputes/"),
    ):
        assert f'<a href="{url}"><strong>{number}</strong> {what}</a>' in home
    assert '<a href="terms/pseudo-alignment/">pseudo&#45;alignment</a>' in home
    assert "kb:counts" not in home and "kb:contested" not in home


def test_no_diagram_library_is_served_and_claim_pages_draw_their_arguments_in_html(site):
    """The argument view is HTML drawn at build time: no Mermaid, no vis-network anywhere."""
    served = [p.name for p in site.rglob("*")]
    assert not [name for name in served if "mermaid" in name or "vis-network" in name]
    claim = (site / "arguments/the-rlo-sense-is-too-narrow/index.html").read_text("utf-8")
    assert "mermaid" not in claim
    assert '<section id="responses" class="kb-argmap" data-search-exclude>' in claim


def test_entry_pages_link_to_their_focused_graph(site):
    term = (site / "terms/pseudo-alignment/index.html").read_text("utf-8")
    assert 'href="../../graph/?focus=term:pseudo-alignment"' in term


def test_build_fails_with_positioned_messages(tmp_path, caplog):
    broken = tmp_path / "kb"
    shutil.copytree(FIXTURE, broken)
    path = broken / "arguments" / "many-objectives-fit.yaml"
    path.write_text(
        path.read_text("utf-8").replace(
            "supports: [pseudo-alignment-is-the-default]", "supports: [no-such-claim]"
        )
    )
    with pytest.raises(Abort):
        build_site(REPO / "mkdocs.yml", tmp_path / "site", broken)
    assert "kb: the knowledge base has problems; the site is not built." in caplog.text
    assert (
        "arguments/many-objectives-fit.yaml:6:12: KB004 dangling-reference [error] "
        "supports names 'no-such-claim', which is not a claim"
    ) in caplog.text
    assert not (tmp_path / "site" / "index.html").exists()


@pytest.mark.slow
def test_the_repository_knowledge_base_builds_strict(tmp_path):
    """Smoke check on the real data: a strict build of the repository's own site passes."""
    site = build_site(REPO / "mkdocs.yml", tmp_path / "site")
    base = kb.load(REPO)
    assert all((site / "terms" / t / "index.html").is_file() for t in base.terms)


def test_finished_html_is_put_back_into_every_entry_page(site):
    """The plugin sets each page's finished HTML (kb.site.aside) aside before Markdown and puts
    it back into the finished page: every entry page holds its local-graph drawing, every claim
    page its argument view, and no page keeps a mark."""
    pages = [
        page
        for folder in ("terms", "arguments", "sources")
        for page in (site / folder).glob("*/index.html")
    ]
    assert pages
    for page in pages:
        html = page.read_text("utf-8")
        assert re.search(r'<div class="kb-lg-frame"><svg\b.*?</svg></div>', html, re.S), page
        if page.parent.parent.name == "arguments":
            assert "<h2>Answers to this claim</h2>" in html, page
    for page in site.rglob("*.html"):
        assert "kb:aside" not in page.read_text("utf-8"), page


def test_setting_finished_html_aside_changes_no_byte_of_the_site(site, tmp_path, monkeypatch):
    """The fast path (finished HTML kept away from Markdown and the search indexer) builds the
    same site as Markdown rendering every page whole: every page byte for byte, and the same
    search index but for the empty paragraphs the slow path leaves in it (a paragraph holding
    only the excluded "Show in graph" button)."""
    monkeypatch.setattr(kb_plugin, "set_aside", lambda markdown: (without_marks(markdown), {}))
    slow = build_site(REPO / "mkdocs.yml", tmp_path / "slow", FIXTURE)
    built = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert built == sorted(p.relative_to(slow) for p in slow.rglob("*.html"))
    for page in built:
        assert (site / page).read_bytes() == (slow / page).read_bytes(), page

    def index(root: Path) -> list[dict]:
        docs = json.loads((root / "search/search_index.json").read_text("utf-8"))["docs"]
        return [{**d, "text": re.sub(r"\s*<p></p>\s*", " ", d["text"]).strip()} for d in docs]

    assert index(site) == index(slow)
    assert not [
        d
        for d in json.loads((site / "search/search_index.json").read_text())["docs"]
        if "<p></p>" in d["text"]
    ]


def test_neighbour_look_ups_answer_as_a_walk_of_the_graph():
    """SiteData indexes the graph's edges once; every look-up answers as walking the graph
    would (each node, each edge type and a pair of them, a node the graph lacks)."""
    from kb.graph import EDGE_TYPES
    from kb.site.context import SiteData

    data = SiteData(kb.load(FIXTURE))
    graph = data.graph

    def walked(node: str, direction: str, *types: str) -> list[str]:
        if node not in graph:
            return []
        edges = (
            graph.in_edges(node, keys=True)
            if direction == "in"
            else graph.out_edges(node, keys=True)
        )
        return sorted({(u if direction == "in" else v) for u, v, key in edges if key in types})

    for node in [*graph.nodes, "term:not-in-the-graph"]:
        for types in [(t,) for t in EDGE_TYPES] + [("supports", "objects_to"), ()]:
            assert data.incoming(node, *types) == walked(node, "in", *types), (node, types)
            assert data.outgoing(node, *types) == walked(node, "out", *types), (node, types)
