"""The data behind the graph explorer: every node and typed edge, as JSON-ready dicts.

Labels and titles are plain strings; the explorer's script puts them into the page with
``textContent`` (or as vis-network's plain-text labels), never as HTML.
"""

from __future__ import annotations

from kb.graph import EDGE_TYPES, NODE_KINDS
from kb.site.context import SiteData, node_id, node_kind
from kb.site.markup import (claim_path, first_sentence, join_blocks, sense_anchor, source_path,
                            term_path, url_of)

NODE_COLOURS = {"term": "#1e88e5", "sense": "#90caf9", "claim": "#fb8c00", "source": "#8e24aa"}
EDGE_COLOURS = {
    "sense_of": "#9e9e9e", "uses": "#42a5f5", "broader": "#00897b", "related": "#80cbc4",
    "replaced_by": "#6d4c41", "conflicts_with": "#e53935", "refines": "#5e35b1",
    "agrees_with": "#43a047", "supports": "#2e7d32", "objects_to": "#c62828",
    "about": "#ffb300", "cites": "#bdbdbd", "part_of": "#ab47bc", "in_reply_to": "#ce93d8",
}


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


def _checkboxes(group: str, values: list[str], colours: dict[str, str]) -> str:
    boxes = "".join(
        f'<label class="kb-filter"><input type="checkbox" data-{group}="{v}" checked> '
        f'<span class="kb-swatch" style="background:{colours[v]}"></span>{v.replace("_", " ")}</label>'
        for v in values)
    return f'<fieldset class="kb-filters"><legend>{group.replace("-", " ")}</legend>{boxes}</fieldset>'


def render_graph_page() -> str:
    """The explorer's page: filters, a search box and the drawing area (the script fills it).

    Only names of node kinds and edge types reach this HTML: they are ours, not contributors'.
    """
    return join_blocks(
        "---\nhide:\n  - navigation\n  - toc\n---",
        "# Graph explorer",
        "Every term, sense, claim and source, and the typed links between them. Drag to move, "
        "scroll to zoom, click a node to open its page. Filters hide node kinds and link types; "
        "the search box finds a node by name.",
        '<div class="kb-graph-controls">'
        '<input type="search" id="kb-graph-search" placeholder="Find a node…" '
        'aria-label="Find a node in the graph" list="kb-graph-names">'
        '<datalist id="kb-graph-names"></datalist>'
        f'{_checkboxes("node-kind", list(NODE_KINDS), NODE_COLOURS)}'
        f'{_checkboxes("edge-type", list(EDGE_TYPES), EDGE_COLOURS)}'
        '</div>',
        '<div id="kb-graph" data-src="../assets/kb/graph.json" role="img" '
        'aria-label="Graph of the knowledge base"></div>'
        '<p id="kb-graph-status" class="kb-graph-status">Loading the graph…</p>',
    )
