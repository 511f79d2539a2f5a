"""The data behind the graph explorer: every node and typed edge, as JSON-ready dicts.

Labels and titles are plain strings; the explorer's script puts them into the page with
``textContent`` (or as vis-network's plain-text labels), never as HTML.
"""

from __future__ import annotations

from urllib.parse import quote

from kb.graph import EDGE_TYPES, NODE_KINDS
from kb.site.context import SiteData, node_id, node_kind
from kb.site.markup import (Linker, claim_path, first_sentence, join_blocks, sense_anchor,
                            source_path, term_path, url_of)

NODE_COLOURS = {"term": "#1e88e5", "sense": "#90caf9", "claim": "#fb8c00", "source": "#8e24aa"}
EDGE_COLOURS = {
    "sense_of": "#9e9e9e", "uses": "#42a5f5", "broader": "#00897b", "related": "#80cbc4",
    "replaced_by": "#6d4c41", "conflicts_with": "#e53935", "refines": "#5e35b1",
    "agrees_with": "#43a047", "supports": "#2e7d32", "objects_to": "#c62828",
    "about": "#ffb300", "cites": "#bdbdbd", "part_of": "#ab47bc", "in_reply_to": "#ce93d8",
    "references": "#8d6e63",
}

# The whole-graph view starts without these kinds (a focused view shows every kind): what
# remains is the vocabulary (terms, their senses and the links between them), which stays
# readable; claims (with their 'about' links) and sources (with their citations) make up
# two thirds of the nodes and edges, a hairball when all drawn at once.
HIDDEN_AT_FIRST = ("claim", "source")
MAX_FOCUS_DEPTH = 3
# How many links away from the entry its "Show in graph" view reaches: a term's senses are one
# link away, so two links reach the terms its definitions use and the claims about its senses.
FOCUS_DEPTH = {"term": 2, "claim": 1, "source": 1}


def node_url(node: str) -> str:
    """The page of a graph node, relative to the site root (senses: their term's anchor)."""
    kind, ident = node_kind(node), node_id(node)
    if kind == "sense":
        term_id, _, sense_id = ident.partition("#")
        return url_of(term_path(term_id)) + "#" + sense_anchor(sense_id)
    path = {"term": term_path, "claim": claim_path, "source": source_path}[kind](ident)
    return url_of(path)


def graph_json(data: SiteData) -> dict:
    """``{"nodes": [...], "edges": [...], "colours": {...}}`` for the explorer's script."""
    nodes = [{"id": node, "kind": attrs["kind"], "label": attrs.get("label", node),
              "url": node_url(node)} for node, attrs in data.graph.nodes(data=True)]
    edges = [{"from": u, "to": v, "type": key} for u, v, key in data.graph.edges(keys=True)]
    return {"nodes": nodes, "edges": edges,
            "colours": {"nodes": NODE_COLOURS, "edges": EDGE_COLOURS},
            "kinds": list(NODE_KINDS), "types": list(EDGE_TYPES)}


def previews_json(data: SiteData) -> dict:
    """Term id → ``{"label", "text"}``: the hover preview of a linked term (plain text)."""
    return {term.id: {"label": term.label,
                      "text": first_sentence(term.senses[0].definition, 240) if term.senses else "",
                      "senses": len(term.senses), "status": term.status}
            for term in data.base.terms.values()}


def focus_query(node: str, depth: int) -> str:
    """The graph explorer's query string that shows ``node`` and its neighbours ``depth``
    links away (node ids are contributors' text: quoted, with ``#`` of a sense as ``%23``)."""
    return f"?focus={quote(node, safe=':')}&depth={depth}"


def graph_link(node: str, linker: Linker) -> str:
    """The "Show in graph" button of an entry page: the explorer focused on the entry."""
    depth = FOCUS_DEPTH[node_kind(node)]
    return (f"[Show in graph]({linker.href('graph.md')}{focus_query(node, depth)})"
            '{ .md-button .kb-graph-link title="This entry and its neighbours in the graph '
            'explorer" }')


def _checkboxes(group: str, values: list[str], colours: dict[str, str],
                unchecked: tuple[str, ...] = ()) -> str:
    boxes = "".join(
        f'<label class="kb-filter"><input type="checkbox" data-{group}="{v}"'
        f'{"" if v in unchecked else " checked"}> '
        f'<span class="kb-swatch" style="background:{colours[v]}"></span>{v.replace("_", " ")}</label>'
        for v in values)
    return f'<fieldset class="kb-filters"><legend>{group.replace("-", " ")}</legend>{boxes}</fieldset>'


def _focus_controls() -> str:
    depths = "".join(f'<option value="{d}"{" selected" if d == 1 else ""}>{d}</option>'
                     for d in range(1, MAX_FOCUS_DEPTH + 1))
    return ('<div class="kb-graph-focus">'
            '<input type="search" id="kb-graph-search" placeholder="Find a node…" '
            'aria-label="Find a node in the graph" list="kb-graph-names">'
            '<datalist id="kb-graph-names"></datalist>'
            '<label>Links away <select id="kb-graph-depth">'
            f'{depths}</select></label>'
            '<button type="button" id="kb-graph-focus" class="md-button">Show neighbourhood</button>'
            '<button type="button" id="kb-graph-whole" class="md-button">Whole graph</button>'
            '</div>')


def render_graph_page() -> str:
    """The explorer's page: focus controls, filters and the drawing area (the script fills
    it). ``?focus=<node id>&depth=<1–3>`` in the address shows one node's neighbourhood.

    Only names of node kinds and edge types reach this HTML: they are ours, not contributors'.
    """
    hidden = " and ".join(f"{kind}s" for kind in HIDDEN_AT_FIRST)
    return join_blocks(
        "---\nhide:\n  - navigation\n  - toc\n---",
        "# Graph explorer",
        "Terms, senses, claims and sources, and the typed links between them. Drag to move, "
        "scroll to zoom, click a node to open its page.",
        '??? info "The two views: whole graph and one node\'s neighbourhood"\n'
        f"    **Whole graph.** It starts without the {hidden}, which are most of the graph: "
        "drawn all at once they hide the vocabulary in a tangle. Tick them to add them; the "
        "filters hide node kinds and link types.\n\n"
        "    **One node's neighbourhood.** Find a node with the search box, choose how many "
        "links away to go (1–3) and press *Show neighbourhood*: the view shows only that node "
        "(in bold) and the nodes within that many links of it, following links in either "
        "direction, of every kind. Each term, claim and source page has a *Show in graph* "
        "button that opens this view; its address, such as "
        "`graph/?focus=term:mesa-optimizer&depth=2`, can be shared.",
        '<div class="kb-graph-controls">'
        f'{_focus_controls()}'
        f'{_checkboxes("node-kind", list(NODE_KINDS), NODE_COLOURS, HIDDEN_AT_FIRST)}'
        f'{_checkboxes("edge-type", list(EDGE_TYPES), EDGE_COLOURS)}'
        '</div>',
        '<div id="kb-graph" data-src="../assets/kb/graph.json" role="img" '
        'aria-label="Graph of the knowledge base"></div>'
        '<p id="kb-graph-status" class="kb-graph-status">Loading the graph…</p>',
    )
