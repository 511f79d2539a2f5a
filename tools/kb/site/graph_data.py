"""The graph explorer's data and page, and the names and addresses of graph nodes on the site.

Labels and titles are plain strings; the explorer's script (assets/explorer.js, drawing with
cytoscape) puts them into the page with ``textContent`` or as cytoscape's plain-text labels,
never as HTML.

The palette is Okabe and Ito's, safe for the common kinds of colour blindness; colour never
carries a meaning alone: node kinds also differ in shape, and supports / objections, agrees /
conflicts also differ in line style (solid against dashed, undercuts dotted).
"""

from __future__ import annotations

from urllib.parse import quote

import networkx as nx

from kb.graph import EDGE_TYPES, NODE_KINDS
from kb.site.aside import aside
from kb.site.context import SiteData, node_id, node_kind, participant, source_title
from kb.site.markup import (
    Linker,
    claim_path,
    escape_html,
    first_sentence,
    join_blocks,
    relative_href,
    sense_anchor,
    sense_name,
    source_path,
    term_path,
    url_of,
)

# Okabe–Ito: blue, sky blue, orange, reddish purple, bluish green, vermillion, yellow, grey.
NODE_STYLES = {
    "term": {"colour": "#0072B2", "shape": "round-rectangle"},
    "sense": {"colour": "#56B4E9", "shape": "ellipse"},
    "claim": {"colour": "#E69F00", "shape": "rectangle"},
    "source": {"colour": "#CC79A7", "shape": "diamond"},
}
GREY = "#8a8a8a"
EDGE_STYLES = {
    "sense_of": {"colour": GREY, "line": "dotted"},
    "uses": {"colour": "#56B4E9", "line": "solid"},
    "broader": {"colour": "#0072B2", "line": "solid"},
    "related": {"colour": "#0072B2", "line": "dotted"},
    "replaced_by": {"colour": GREY, "line": "dashed"},
    "conflicts_with": {"colour": "#D55E00", "line": "dashed"},
    "refines": {"colour": "#009E73", "line": "dotted"},
    "agrees_with": {"colour": "#009E73", "line": "solid"},
    "supports": {"colour": "#009E73", "line": "solid"},
    "objects_to": {"colour": "#D55E00", "line": "dashed"},
    "undercuts": {"colour": "#D55E00", "line": "dotted"},
    "about": {"colour": "#E69F00", "line": "dotted"},
    "cites": {"colour": "#CC79A7", "line": "dotted"},
    "part_of": {"colour": "#CC79A7", "line": "solid"},
    "in_reply_to": {"colour": "#CC79A7", "line": "dashed"},
    "references": {"colour": GREY, "line": "solid"},
}
EDGE_WORDS = {
    "objects_to": "objects to",
    "in_reply_to": "replies to",
    "part_of": "part of",
    "sense_of": "sense of",
    "replaced_by": "replaced by",
}
MAX_START = 40  # nodes in the explorer's first view: all of them readable in a laptop's window
# The order in which the explorer takes a node's neighbours into a view: argument links first.
NEIGHBOUR_ORDER = [
    "supports", "objects_to", "undercuts", "conflicts_with", "agrees_with", "refines",
    "sense_of", "broader", "related", "replaced_by", "about", "uses", "cites", "in_reply_to",
    "part_of", "references",
]  # fmt: skip
KIND_NAMES = {"term": "Terms", "sense": "Senses", "claim": "Claims", "source": "Sources"}


def edge_types() -> list[str]:
    return [t for t in EDGE_TYPES if t in EDGE_STYLES] + [
        t for t in EDGE_TYPES if t not in EDGE_STYLES
    ]


def edge_style(edge_type: str) -> dict[str, str]:
    return EDGE_STYLES.get(edge_type, {"colour": GREY, "line": "solid"})


def edge_words(edge_type: str) -> str:
    return EDGE_WORDS.get(edge_type, edge_type.replace("_", " "))


def node_url(node: str) -> str:
    """The page of a graph node, relative to the site root (senses: their term's anchor)."""
    kind, ident = node_kind(node), node_id(node)
    if kind == "sense":
        term_id, _, sense_id = ident.partition("#")
        return url_of(term_path(term_id)) + "#" + sense_anchor(sense_id)
    path = {"term": term_path, "claim": claim_path, "source": source_path}[kind](ident)
    return url_of(path)


def relative_url(page: str, node: str) -> str:
    """The address of ``node``'s page as a link from the page ``page`` (a docs path such as
    ``arguments/x.md``), for raw HTML, which MkDocs does not rewrite: pages are served at
    directory addresses (``arguments/x/``)."""
    target, _, anchor = node_url(node).partition("#")
    return relative_href(page, target) + (f"#{anchor}" if anchor else "")


def explorer_url(page: str, node: str) -> str:
    """The graph explorer opened on ``node``, as a raw-HTML link from the page ``page``."""
    return relative_href(page, url_of("graph.md")) + focus_query(node)


def node_label(data: SiteData, node: str) -> str:
    """What a reader sees for a node: a term's label, ``term (sense label)``, a claim's
    headline, a source's reader-facing title (never an id, unless the entry is missing)."""
    kind, ident = node_kind(node), node_id(node)
    base = data.base
    if kind == "sense":
        return sense_name(base, ident)
    if kind == "source":
        source = base.sources.get(ident)
        return source_title(base, source) if source else ident
    if kind == "claim":
        claim = base.claims.get(ident)
        return claim.headline if claim else ident
    term = base.terms.get(ident)
    return term.label if term else ident


def start_node(data: SiteData) -> str | None:
    """Where the explorer opens without a focus: the most linked term (ties: by id)."""
    terms = [n for n, kind in data.graph.nodes(data="kind") if kind == "term"]
    return min(terms, key=lambda n: (-data.graph.degree(n), n), default=None)


def neighbours(data: SiteData, node: str) -> list[str]:
    """``node``'s neighbours in the explorer's order: by their closest kind of link
    (:data:`NEIGHBOUR_ORDER`), then by label."""
    rank = {t: i for i, t in enumerate(NEIGHBOUR_ORDER)}
    best: dict[str, int] = {}
    edges = [(v, key) for _, v, key in data.graph.out_edges(node, keys=True)]
    edges += [(u, key) for u, _, key in data.graph.in_edges(node, keys=True)]
    for other, key in edges:
        if other != node:
            best[other] = min(best.get(other, len(rank)), rank.get(key, len(rank)))
    return sorted(best, key=lambda n: (best[n], node_label(data, n).casefold(), n))


def first_view(data: SiteData) -> list[str]:
    """The entries of the explorer's view without a focus: the start node and its first
    neighbours, at most :data:`MAX_START` (graph.json carries them, so that the page's list
    and the script show the same)."""
    start = start_node(data)
    return [start, *neighbours(data, start)[: MAX_START - 1]] if start else []


def graph_json(data: SiteData) -> dict:
    """Everything the explorer draws: nodes, typed edges, their styles, the first view."""
    graph: nx.MultiDiGraph = data.graph
    nodes = []
    for node, attrs in graph.nodes(data=True):
        item = {
            "id": node,
            "kind": attrs["kind"],
            "label": node_label(data, node),
            "url": node_url(node),
        }
        source = data.base.sources.get(attrs.get("source", "")) if "source" in attrs else None
        if source is not None:
            item["by"] = participant(source)  # who said it (claims and senses)
        nodes.append(item)
    edges = [{"from": u, "to": v, "type": key} for u, v, key in graph.edges(keys=True)]
    types = edge_types()
    return {
        "nodes": nodes,
        "edges": edges,
        "kinds": {k: NODE_STYLES[k] for k in NODE_KINDS},
        "types": {t: {**edge_style(t), "words": edge_words(t)} for t in types},
        "start": start_node(data),
        "first": first_view(data),
        "max": MAX_START,
        "priority": NEIGHBOUR_ORDER,
        "kindNames": KIND_NAMES,
    }


def previews_json(data: SiteData) -> dict:
    """Term id → ``{"label", "text"}``: the hover preview of a linked term (plain text)."""
    return {
        term.id: {
            "label": term.label,
            "text": first_sentence(term.senses[0].definition, 240) if term.senses else "",
            "senses": len(term.senses),
            "status": term.status,
        }
        for term in data.base.terms.values()
    }


def focus_query(node: str) -> str:
    """The explorer's query string that opens on ``node`` and its neighbours (node ids are
    contributors' text: quoted, with ``#`` of a sense as ``%23``)."""
    return f"?focus={quote(node, safe=':')}"


def graph_link(node: str, linker: Linker) -> str:
    """The "Show in graph" button of an entry page: the explorer focused on the entry
    (finished HTML, as Markdown's attr_list wrote it: kb.site.aside)."""
    href = escape_html(explorer_url(linker.page, node))
    return aside(
        f'<p><a class="md-button kb-graph-link" data-search-exclude href="{href}" '
        'title="This entry and its neighbours in the graph explorer">Show in graph</a></p>'
    )


def _swatch(kind: str) -> str:
    style = NODE_STYLES[kind]
    radius = {"ellipse": "50%", "round-rectangle": "0.25em"}.get(style["shape"], "0")
    turn = " transform:rotate(45deg) scale(0.8);" if style["shape"] == "diamond" else ""
    return (
        f'<span class="kb-swatch" style="background:{style["colour"]};'
        f'border-radius:{radius};{turn}"></span>'
    )


def _line(edge_type: str) -> str:
    style = edge_style(edge_type)
    return (
        f'<svg class="kb-line" width="28" height="10" aria-hidden="true"><line x1="1" y1="5" '
        f'x2="27" y2="5" stroke="{style["colour"]}" stroke-width="3" '
        f'stroke-dasharray="{ {"dashed": "7 4", "dotted": "2 3"}.get(style["line"], "none") }"'
        "/></svg>"
    )


def _filters() -> str:
    """Check boxes that hide node kinds and link types (names are ours, not contributors')."""
    kinds = "".join(
        f'<label class="kb-filter"><input type="checkbox" data-node-kind="{k}" checked> '
        f"{_swatch(k)}{k}s</label>"
        for k in NODE_KINDS
    )
    types = "".join(
        f'<label class="kb-filter"><input type="checkbox" data-edge-type="{t}" checked> '
        f"{_line(t)}{edge_words(t)}</label>"
        for t in edge_types()
    )
    return (
        f'<fieldset class="kb-filters"><legend>Show</legend>{kinds}</fieldset>'
        f'<fieldset class="kb-filters"><legend>Links</legend>{types}</fieldset>'
    )


def entry_list(data: SiteData, nodes: list[str]) -> str:
    """The list of the entries in a view, by kind and A–Z, as the explorer's script makes it
    (``listShown``): a button for each, which the script makes select its entry."""
    groups = []
    for kind, name in KIND_NAMES.items():
        labels = sorted(
            (node_label(data, n) for n in nodes if node_kind(n) == kind),
            key=lambda label: (label.casefold(), label),
        )
        if labels:
            picks = "".join(
                f'<li><button type="button" class="kb-ex-pick">{escape_html(label)}</button></li>'
                for label in labels
            )
            groups.append(
                f'<li class="kb-ex-group"><p class="kb-ex-group-head">{name} ({len(labels)})</p>'
                f"<ul>{picks}</ul></li>"
            )
    return "".join(groups)


def render_graph_page(data: SiteData) -> str:
    """The explorer's page: search, node count and filters first (above the fold), then the
    drawing area (the script fills it) and beside it (before it on a phone) the panel of the
    selected node and the list of the entries in view, which work before the drawing is made.
    ``?focus=<node id>`` in the address opens on one node and its neighbours."""
    return join_blocks(
        "---\nhide:\n  - navigation\n  - toc\n---",
        "# Graph explorer",
        '<div class="kb-explorer">'
        '<div class="kb-ex-bar">'
        '<input type="search" id="kb-graph-search" placeholder="Find a term, claim or source…" '
        'aria-label="Find a node and add it to the view" list="kb-graph-names">'
        '<datalist id="kb-graph-names"></datalist>'
        '<button type="button" id="kb-graph-find" class="md-button">Show it</button>'
        '<button type="button" id="kb-graph-reset" class="md-button">Start again</button>'
        '<span id="kb-graph-status" class="kb-ex-count" role="status">'
        f"Showing {len(first_view(data))} of {data.graph.number_of_nodes()} entries.</span>"
        "</div>"
        f'<div class="kb-ex-filters">{_filters()}</div>'
        '<div class="kb-ex-main">'
        '<div id="kb-graph" data-src="../assets/kb/graph.json" role="application" '
        'aria-label="Graph of the knowledge base; the panel beside it describes the selected '
        'node"><p class="kb-ex-wait">The drawing is made when it comes into view.</p></div>'
        '<div class="kb-ex-side">'
        '<aside id="kb-graph-info" class="kb-ex-info" aria-live="polite">'
        "<p>Select an entry (pick it from the list below, or click or tap it in the drawing) "
        "to see its name, open its page or add its neighbours to the view. Double-click a "
        "node in the drawing to add its neighbours at once.</p></aside>"
        '<details class="kb-ex-list" open><summary>Entries in view</summary>'
        f'<ul id="kb-graph-list">{entry_list(data, first_view(data))}</ul></details>'
        "</div></div></div>",
        "The view starts small: one entry and the entries one link away (the most linked "
        "term, or the entry whose *Show in graph* button opened it), at most "
        f"{MAX_START} of them. Grow it from any "
        "node: *Add its neighbours* puts in the entries linked to it. Drag to move, scroll or "
        "pinch to zoom. Line styles tell the links apart as well as colours: supports and "
        "agrees with are solid, objects to and conflicts with dashed, undercuts dotted.",
    )


__all__ = [
    "entry_list",
    "explorer_url",
    "first_view",
    "graph_json",
    "graph_link",
    "node_label",
    "node_url",
    "previews_json",
    "relative_url",
    "render_graph_page",
]
