"""Unit tests of the argument view (kb.site.argtree), the local graph (kb.site.local_graph) and
the explorer's data and page (kb.site.graph_data): structure, sides, links and escaping."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

import kb
from kb.site.argtree import ArgumentView, answered, responses
from kb.site.claim_page import render_claim
from kb.site.context import SiteData, node_kind
from kb.site.graph_data import (
    EDGE_STYLES,
    KIND_NAMES,
    MAX_START,
    NEIGHBOUR_ORDER,
    explorer_url,
    first_view,
    focus_query,
    graph_json,
    neighbours,
    node_label,
    relative_url,
    render_graph_page,
)
from kb.site.local_graph import (
    PER_GROUP,
    local_graph,
    local_svg,
    neighbour_groups,
    text_width,
    wrap,
)
from kb.site.markup import Linker, escape_html

FIXTURE = Path(__file__).parent / "fixtures" / "site"
EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "pymdownx.superfences"]
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)> "quoted"'


@pytest.fixture(scope="module")
def data() -> SiteData:
    return SiteData(kb.load(FIXTURE))


def write_base(
    root: Path, claims: dict[str, str], source: str = "title: S\nkind: post\n"
) -> SiteData:
    """A knowledge base of the given claims (id → extra YAML lines) and one source ``s``."""
    (root / "arguments").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / "sources" / "s.yaml").write_text(f"id: s\n{source}authors: [Ada]\n")
    for ident, extra in claims.items():
        (root / "arguments" / f"{ident}.yaml").write_text(
            f"id: {ident}\ntitle: Claim {ident}\nclaim: The claim {ident}.\nsource: s\n{extra}"
        )
    return SiteData(kb.load(root))


def shape(answers) -> list:
    return [(a.relation, a.node, a.side, shape(a.children)) for a in answers]


# -- the tree ------------------------------------------------------------------------------


def test_answers_of_the_fixture_claim(data):
    assert shape(responses(data, "claim:pseudo-alignment-is-the-default")) == [
        ("supports", "claim:many-objectives-fit", 1, []),
        (
            "objects_to",
            "claim:the-rlo-sense-is-too-narrow",
            -1,
            [("objects_to", "claim:narrowness-is-deliberate", 1, [])],
        ),
    ]


def test_sides_count_for_or_against_the_page_claim(tmp_path):
    base = write_base(
        tmp_path,
        {
            "root": "",
            "objection": "objects_to: [root]\n",
            "backs-objection": "supports: [objection]\n",
            "answers-objection": "objects_to: [objection]\n",
            "against-the-answer": "objects_to: [answers-objection]\n",
        },
    )
    tree = responses(base, "claim:root")
    assert shape(tree) == [
        (
            "objects_to",
            "claim:objection",
            -1,
            [
                ("supports", "claim:backs-objection", -1, []),
                (
                    "objects_to",
                    "claim:answers-objection",
                    1,
                    [("objects_to", "claim:against-the-answer", -1, [])],
                ),
            ],
        )
    ]


def test_undercutters_sit_under_the_link_they_deny_and_count_against_it(tmp_path):
    base = write_base(
        tmp_path,
        {
            "root": "",
            "backer": "supports: [root]\n",
            "objector": "objects_to: [root]\n",
            "cuts-support": "undercuts:\n  - claim: backer\n    supports: root\n",
            "cuts-objection": "undercuts:\n  - claim: objector\n    objects_to: root\n",
        },
    )
    tree = {a.node: a for a in responses(base, "claim:root")}
    assert set(tree) == {"claim:backer", "claim:objector"}  # undercutters are not answers to root
    [cut_support] = tree["claim:backer"].children
    assert (cut_support.node, cut_support.relation, cut_support.undercut, cut_support.side) == (
        "claim:cuts-support",
        "undercuts",
        "supports",
        -1,
    )
    [cut_objection] = tree["claim:objector"].children
    assert (cut_objection.node, cut_objection.side) == ("claim:cuts-objection", 1)
    html = ArgumentView(base, "arguments/root.md", "claim:root").render()
    assert "undercuts the claim above: grants it, but denies that it supports this claim" in html
    # The undercutting claim's page says which link it denies.
    [item] = answered(base, "claim:cuts-support")
    assert (item.relation, item.target, item.premise, item.link) == (
        "undercuts",
        "claim:root",
        "claim:backer",
        "supports",
    )
    context = ArgumentView(base, "arguments/cuts-support.md", "claim:cuts-support").context()
    assert (
        'Undercuts: grants <a href="../backer/">Claim backer</a>, but denies that it supports'
        in context
    )
    # …and the premise's page shows, under the link, who undercuts it.
    premise = ArgumentView(base, "arguments/backer.md", "claim:backer").context()
    assert (
        'Undercut by <a href="../cuts-support/">Claim cuts-support</a>: it grants this claim but '
        "denies that it supports the claim above." in premise
    )


def test_loops_stop_where_a_node_would_repeat(tmp_path):
    base = write_base(tmp_path, {"a": "supports: [b]\n", "b": "supports: [a]\n"})
    assert shape(responses(base, "claim:a")) == [("supports", "claim:b", 1, [])]


def test_a_bounded_tree_links_to_the_pages_that_show_the_rest(tmp_path):
    claims = {"root": ""} | {f"c{i}": "supports: [root]\n" for i in range(4)}
    claims["deep"] = "objects_to: [c0]\n"
    base = write_base(tmp_path, claims)
    tree = responses(base, "claim:root", max_nodes=3)
    assert [a.node for a in tree] == ["claim:c0", "claim:c1", "claim:c2"]
    assert tree[0].children == [] and tree[0].hidden == 1
    deep = responses(base, "claim:root", max_depth=1)
    assert deep[0].children == [] and deep[0].hidden == 1
    view = ArgumentView(base, "arguments/root.md", "claim:root")
    html = "".join(view.replies(answer, "claim:root", 1, open_second=False) for answer in tree)
    assert '<p class="kb-arg-more"><a href="../c0/">1 more answer on its page</a></p>' in html


# -- HTML ----------------------------------------------------------------------------------


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("href", "xlink:href"):
                self.links.append(value)


def parse(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def test_argument_view_marks_each_answer_with_words_and_line_style(data):
    view = ArgumentView(
        data,
        "arguments/pseudo-alignment-is-the-default.md",
        "claim:pseudo-alignment-is-the-default",
    )
    html = view.render()
    for_col, against_col = html.split("kb-arg-col-against")
    assert "Supporting this claim" in for_col and "Many objectives fit" in for_col
    assert "Objecting to this claim" in against_col
    # A deeper node says what it does to its parent and which side of THIS page it is on.
    nested = against_col.split("<details", 1)[1]
    assert "✓</span> For</span>" in nested and "objects to the claim above" in nested
    assert 'class="kb-arg kb-arg-for"' in nested
    assert "<summary>1 answer to it (1 for this page's claim)</summary>" in nested
    # Who said it, linked to the source; a comment is named by its title, which names its writer.
    assert (
        '<span class="kb-arg-who">Evan Hubinger and Chris van Merwijk</span>, in '
        '<a href="../../sources/risks-from-learned-optimization/">' in html
    )
    assert (
        '<p class="kb-arg-by">By <a href="../../sources/a-reply-to-the-comment/">B. Replier, '
        in html
    )


def argument_view_citing(root: Path, sources: dict[str, str], cited: str) -> str:
    """The argument view of a claim backed by another, both citing source ``cited``, in a
    knowledge base of the given sources (id → YAML after the id) with no named writers."""
    (root / "sources").mkdir()
    (root / "arguments").mkdir()
    for ident, yaml_text in sources.items():
        (root / "sources" / f"{ident}.yaml").write_text(f"id: {ident}\n{yaml_text}")
    for ident, extra in (("root", ""), ("backer", "supports: [root]\n")):
        (root / "arguments" / f"{ident}.yaml").write_text(
            f"id: {ident}\nclaim: Claim {ident}.\nsource: {cited}\n{extra}"
        )
    return ArgumentView(SiteData(kb.load(root)), "arguments/root.md", "claim:root").render()


def test_a_writer_named_by_the_work_is_named_once(tmp_path):
    html = argument_view_citing(
        tmp_path,
        {"s": "title: A post\nkind: post\nauthor_note: The post's author; not named.\n"},
        "s",
    )
    assert (
        '<p class="kb-arg-by">By <a href="../../sources/s/">the author of “A post”</a></p>' in html
    )


def test_every_link_of_the_claim_page_views_points_at_an_entry_page(data):
    page = "arguments/the-rlo-sense-is-too-narrow.md"
    view = ArgumentView(data, page, "claim:the-rlo-sense-is-too-narrow")
    svg = local_svg(
        data,
        page,
        "claim:the-rlo-sense-is-too-narrow",
        neighbour_groups(data, "claim:the-rlo-sense-is-too-narrow"),
    )
    links = parse(view.render() + view.context() + svg).links
    assert "../../terms/pseudo-alignment/#sense-rlo" in links  # the sense it objects to
    assert "../pseudo-alignment-is-the-default/" in links
    assert "../narrowness-is-deliberate/" in links
    for link in links:
        assert re.fullmatch(r"\.\./(\.\./(terms|sources)/)?[a-z0-9-]+/(#sense-[a-z0-9-]+)?", link)


def test_hostile_titles_and_texts_are_escaped(tmp_path):
    write_base(tmp_path, {"root": ""}, source=f"title: {HOSTILE!r}\nkind: post\n")
    (tmp_path / "arguments" / "evil.yaml").write_text(
        f"id: evil\ntitle: {HOSTILE!r}\nclaim: {HOSTILE!r}\nsource: s\nobjects_to: [root]\n"
    )
    base = SiteData(kb.load(tmp_path))
    view = ArgumentView(base, "arguments/root.md", "claim:root")
    svg = local_svg(base, "arguments/root.md", "claim:root", neighbour_groups(base, "claim:root"))
    for html in (view.render(), svg, local_graph(base, "claim:evil", Linker("arguments/evil.md"))):
        parsed = parse(html)
        assert "script" not in parsed.tags and "img" not in parsed.tags
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "<script" not in html and "<img" not in html


def test_claim_page_has_no_diagram_language_and_hides_the_toc(data):
    page = render_claim(data, data.base.claims["the-rlo-sense-is-too-narrow"])
    assert "mermaid" not in page
    assert page.startswith("---\n") and 'hide: ["toc"]' in page.split("---")[1]
    html = markdown.markdown(page.split("---", 2)[2], extensions=EXTENSIONS)
    assert '<section id="responses" class="kb-argmap" data-search-exclude>' in html
    assert '<section id="answers" class="kb-arg-answered" data-search-exclude>' in html
    assert '<section id="neighbourhood" class="kb-local-graph" data-search-exclude>' in html


def test_claim_page_puts_the_argument_view_before_the_editors_note(tmp_path):
    """On a phone everything above the argument view is a screen of scrolling: the claim,
    its source, what it is about and what it answers come first, the editors' note after."""
    base = write_base(
        tmp_path,
        {"root": "note: A remark by the editors.\n", "pro": "supports: [root]\n"},
    )
    html = markdown.markdown(
        render_claim(base, base.base.claims["root"]).split("---", 2)[2], extensions=EXTENSIONS
    )
    order = [
        "The claim root&#46;",
        "<strong>Source:</strong>",
        'id="responses"',
        "A remark by the editors&#46;",
        'id="neighbourhood"',
    ]
    assert [html.index(marker) for marker in order] == sorted(html.index(m) for m in order)


def test_claim_page_names_who_made_the_claim_once(tmp_path):
    """Who said it is at the top of the page: the writers, unless the source's title names
    them already (as a comment's title does)."""
    paper = write_base(tmp_path / "paper", {"root": ""})
    html = render_claim(paper, paper.base.claims["root"])
    assert "<li><strong>By:</strong> Ada</li>" in html
    comment = write_base(tmp_path / "comment", {"root": ""}, "title: Ada, 3 Jun 2019\nkind: post\n")
    html = render_claim(comment, comment.base.claims["root"])
    assert "<strong>By:</strong>" not in html and "Ada, 3 Jun 2019" in html


def test_a_claim_nothing_answers_says_so(data):
    page = render_claim(data, data.base.claims["many-objectives-fit"])
    assert "Nothing answers it yet." in page


# -- local graph ---------------------------------------------------------------------------


def test_neighbour_groups_follow_links_both_ways(data):
    groups = {
        (g.edge_type, g.outgoing): g.nodes
        for g in neighbour_groups(data, "claim:the-rlo-sense-is-too-narrow")
    }
    assert sorted(groups[("objects_to", True)]) == [
        "claim:pseudo-alignment-is-the-default",
        "sense:pseudo-alignment#rlo",
    ]
    assert groups[("objects_to", False)] == ["claim:narrowness-is-deliberate"]
    assert groups[("cites", True)] == ["source:a-comment-on-the-post"]


def test_local_graph_keeps_its_size_and_says_what_it_leaves_out(tmp_path):
    claims = {"root": ""} | {f"c{i}": "supports: [root]\n" for i in range(PER_GROUP + 3)}
    base = write_base(tmp_path, claims)
    section = local_graph(base, "claim:root", Linker("arguments/root.md"))
    svg = re.search(r"<svg[^>]*>", section).group(0)
    width = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups()
    assert f'width="{width[0]}"' in svg and f'height="{width[1]}"' in svg  # drawn 1:1
    assert 'font-size="13"' in svg
    assert section.count('class="kb-lg-node"') == PER_GROUP + 1  # supporters shown, the source
    assert "and 3 more in the explorer" in section
    assert f'href="../../graph/{focus_query("claim:root")}"' in section
    assert "supported by ←" in section


def test_local_graph_labels_wrap_by_width_and_break_after_hyphens():
    wide = "WWW mmm Mesa-optimizers MWMW mmmm wwww WWWW"
    lines = wrap(wide, 120, 3)
    assert all(text_width(line) <= 120 for line in lines)
    assert lines[-1].endswith("…") and len(lines) == 3
    narrow = "ill-fit lilt"  # narrow letters: more of them fit than of wide ones
    assert wrap(narrow, 60, 1) == ["ill-fit lilt"]
    assert wrap("memory-augmented architectures", 100, 3, bold=True) == [
        "memory-",
        "augmented",
        "architectures",
    ]
    assert wrap("favor mesa-optimizers strongly", 90, 1) == ["favor mesa…"]  # no "mesa-…"


def test_local_graph_shows_long_labels_whole_in_taller_boxes(tmp_path):
    """A neighbour's label is never cut for width (a phone has no hover to show the rest):
    its box grows by a line of text for each line the label takes beyond two."""
    long = "Wide Words Make Many Lines: " * 3 + "the end"
    base = write_base(tmp_path, {"root": "", "long": "supports: [root]\n"})
    (tmp_path / "arguments" / "long.yaml").write_text(
        f"id: long\ntitle: '{long}'\nclaim: The claim long.\nsource: s\nsupports: [root]\n"
    )
    base = SiteData(kb.load(tmp_path))
    svg = local_svg(base, "arguments/root.md", "claim:root", neighbour_groups(base, "claim:root"))
    box = re.search(r'class="kb-lg-node"><title>claim: ([^<]*)</title>(.*?)</a>', svg)
    assert box.group(1) == long
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", box.group(2))
    assert len(lines) >= 4 and " ".join(lines) == long and "…" not in box.group(2)
    height = int(re.search(r'<rect [^>]*height="(\d+)"', box.group(2)).group(1))
    assert height >= 16 * len(lines)


def test_no_local_graph_without_links(tmp_path):
    base = write_base(tmp_path, {"lonely": ""})
    (tmp_path / "arguments" / "lonely.yaml").write_text("id: lonely\nclaim: Alone.\n")
    base = SiteData(kb.load(tmp_path))
    assert local_graph(base, "claim:lonely", Linker("arguments/lonely.md")) == ""


# -- explorer data and page -----------------------------------------------------------------


def test_addresses_of_nodes_from_a_page():
    assert relative_url("arguments/x.md", "sense:t#s") == "../../terms/t/#sense-s"
    assert relative_url("terms/t.md", "term:u") == "../u/"
    assert relative_url("graph.md", "claim:c") == "../arguments/c/"
    assert explorer_url("sources/s.md", "source:s") == "../../graph/?focus=source:s"


def test_focus_query_quotes_the_node_id():
    assert focus_query("sense:pseudo-alignment#rlo") == "?focus=sense:pseudo-alignment%23rlo"
    assert focus_query("term:a&b c") == "?focus=term:a%26b%20c"


def test_node_labels_are_reader_facing(data):
    assert node_label(data, "claim:many-objectives-fit") == "Many objectives fit the training data"
    assert node_label(data, "term:robust-alignment") == "robust alignment"
    assert "rlo" not in node_label(data, "sense:pseudo-alignment#rlo")


def test_graph_json_starts_small_and_styles_links_without_colour_alone(data):
    graph = graph_json(data)
    assert graph["max"] == MAX_START <= 60
    degree = data.graph.degree
    terms = [n for n in data.graph if n.startswith("term:")]
    assert graph["start"].startswith("term:")
    assert degree(graph["start"]) == max(degree(n) for n in terms)
    styles = graph["types"]
    assert styles["supports"]["line"] != styles["objects_to"]["line"]
    assert styles["agrees_with"]["line"] != styles["conflicts_with"]["line"]
    assert styles["objects_to"]["words"] == "objects to"
    assert len({(k["shape"]) for k in graph["kinds"].values()}) == 4
    assert set(EDGE_STYLES) >= set(styles) - {"undercuts"}
    # Who said it travels with claims and senses (the explorer's panel shows it).
    by = {node["id"]: node.get("by") for node in graph["nodes"]}
    assert by["claim:narrowness-is-deliberate"] == "B. Replier"
    assert by["term:pseudo-alignment"] is None


def test_graph_page_puts_search_count_and_filters_first(data):
    page = markdown.markdown(render_graph_page(data).split("---", 2)[2], extensions=EXTENSIONS)
    bar = page.index('id="kb-graph-search"')
    assert bar < page.index('id="kb-graph-status"') < page.index('data-node-kind="term"')
    assert page.index('data-edge-type="supports"') < page.index('id="kb-graph"')
    boxes = re.findall(r'data-node-kind="(\w+)" checked', page)
    assert boxes == ["term", "sense", "claim", "source"]
    assert "depth" not in page


def test_graph_page_lists_the_first_view_as_built(data):
    """The page holds the list of the explorer's first view (the script keeps it: graph.json
    names the same entries), by kind with counts, labels escaped, and counts them."""
    first = first_view(data)
    graph = graph_json(data)
    assert graph["first"] == first and first[0] == graph["start"]
    assert len(first) == len(set(first)) <= MAX_START
    assert set(first[1:]) == set(neighbours(data, first[0])[: MAX_START - 1])
    page = render_graph_page(data)
    listed = re.findall(r'<button type="button" class="kb-ex-pick">([^<]*)</button>', page)
    assert sorted(listed) == sorted(escape_html(node_label(data, n)) for n in first)
    heads = re.findall(r'<p class="kb-ex-group-head">([^<]*)</p>', page)
    kinds = [
        k for k in ("term", "sense", "claim", "source") if any(node_kind(n) == k for n in first)
    ]
    assert heads == [f"{KIND_NAMES[k]} ({sum(node_kind(n) == k for n in first)})" for k in kinds]
    total = data.graph.number_of_nodes()
    assert f'role="status">Showing {len(first)} of {total} entries.</span>' in page


def test_neighbours_come_argument_links_first(data):
    """The explorer takes a node's neighbours by their closest kind of link: a claim's
    objections and supports before the term it is about."""
    order = neighbours(data, "claim:the-rlo-sense-is-too-narrow")
    kinds = [
        NEIGHBOUR_ORDER.index(
            min(
                (
                    k
                    for u, v, k in data.graph.edges(keys=True)
                    if {u, v} == {"claim:the-rlo-sense-is-too-narrow", n}
                ),
                key=NEIGHBOUR_ORDER.index,
            )
        )
        for n in order
    ]
    assert kinds == sorted(kinds) and len(order) >= 2


# -- page weight of the built site (a size, not a time) ------------------------------------

BUDGET = 1024 * 1024  # bytes a claim page may load in all (issue 9: at most 1 MB)
_LOADED = re.compile(r'<(?:script src|link rel="(?:stylesheet|icon)" href)="([^"]+)"')
_WORKER = re.compile(r'"search": "([^"]+)"')


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory) -> Path:
    from kb.site.build import build_site

    repo = Path(__file__).resolve().parents[1]
    return build_site(
        repo / "mkdocs.yml", tmp_path_factory.mktemp("argmap-site"), repo, strict=False
    )


def page_weight(site: Path, page: Path) -> int:
    """Bytes a page loads: its HTML, the scripts, styles and icon it names, and what
    Material's scripts fetch on every page (the search worker and index, the sitemap that
    instant navigation reads). Nothing is counted twice."""
    html = page.read_text("utf-8")
    files = {page, site / "search" / "search_index.json", site / "sitemap.xml"}
    for link in _LOADED.findall(html) + _WORKER.findall(html):
        if not link.startswith(("http:", "https:", "//")):
            files.add((page.parent / link.split("?")[0]).resolve())
    return sum(f.stat().st_size for f in files)


@pytest.mark.slow
def test_every_claim_page_loads_at_most_one_megabyte(repo_site):
    claims = sorted((repo_site / "arguments").glob("*/index.html"))
    assert len(claims) > 100
    weights = {page.parent.name: page_weight(repo_site, page) for page in claims}
    heaviest = max(weights, key=weights.get)
    assert weights[heaviest] <= BUDGET, (heaviest, weights[heaviest])
    # The count is real: the search index and Material's bundle are in it.
    assert weights[heaviest] > (repo_site / "search" / "search_index.json").stat().st_size


@pytest.mark.slow
def test_search_index_holds_each_entry_once(repo_site):
    """Every page loads the search index, so the listings (the Arguments and Terms tables)
    stay out of it: each of their rows repeats an entry whose own page is indexed."""
    docs = json.loads((repo_site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    text = {doc["location"]: doc["text"] for doc in docs}
    base = kb.load(Path(__file__).resolve().parents[1])
    claim = base.claims[sorted(base.claims)[0]]
    assert claim.headline not in text["arguments/"]
    assert text[f"arguments/{claim.id}/"]  # …found on its own page
    term = base.terms[sorted(base.terms)[0]]
    assert f"{term.label} " not in text["terms/"]
    assert "claims" in text["arguments/"] and "terms" in text["terms/"]  # the pages' intros stay


def test_a_writer_known_by_their_place_is_named_with_the_discussion(tmp_path):
    """A byline "By Second participant: restated …" told a reader nothing: the byline says
    whose place in which discussion, as a phrase, linked to the comment."""
    html = argument_view_citing(
        tmp_path,
        {
            "thread": "title: Are mesa-optimizers general?\nkind: other\n"
            "author_note: Two participants, not named.\n",
            "reply": "title: 'Second participant: the car-sales analogy'\nkind: comment\n"
            "part_of: thread\nauthor_note: The second participant; not named.\n",
        },
        "reply",
    )
    assert (
        '<p class="kb-arg-by">By <a href="../../sources/reply/">the second participant in '
        "“Are mesa-optimizers general?”</a></p>"
    ) in html
