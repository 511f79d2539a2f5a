"""The local graph of an entry page: the entry and its neighbours one link away, drawn at build
time as an SVG (real text, links, no script), with a link to the graph explorer.

The drawing is a fan: the entry on the left, its neighbours on the right in groups, one group
per kind of link and direction, each headed by what the link means ("supported by",
"objects to"). The lines take the link's colour and line style (kb.site.graph_data's palette),
so colour is never the only cue. The SVG is as wide as a phone's column and keeps its size
(it is never scaled to fit), so its 13 px labels stay 13 px; a group shows at most
:data:`PER_GROUP` neighbours and says how many more the explorer shows. Labels are wrapped by
their estimated width in DejaVu Sans, the widest of the common sans-serif fonts the page may
fall back to, so that no line runs out of its box, and a box is as tall as its label needs
(up to :data:`MAX_LINES` lines): every label of the repository's graph shows whole, on a phone
as on a laptop, with no hover needed. Each node's link is named by its ``<title>`` (the kind
and the whole label) for screen readers.

Links are ``xlink:href``: Material's instant navigation sets ``.href`` on every ``a[href]`` of
a page, which an SVG link does not allow (the script would stop with an error).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.site.argtree import unindexed_section
from kb.site.context import SiteData
from kb.site.graph_data import (
    GREY,
    NODE_STYLES,
    edge_style,
    edge_types,
    explorer_url,
    node_label,
    relative_url,
)
from kb.site.markup import Linker, escape_html

PER_GROUP = 5
MAX_LINES = 6  # of a neighbour's label; the longest in the repository's graph takes 5
ENTRY_LINES = 8  # of the entry's own label (the page's title, above the drawing in full)
WIDTH = 356  # the content column of a 390 px phone: never wider, so it never scrolls there
ENTRY_W, GAP, ROW_H, HEAD_H, FONT, LINE = 132, 28, 44, 24, 13, 16
NODE_X = ENTRY_W + GAP
NODE_W = WIDTH - NODE_X - 2
PAD = 8  # between a box's border and its text
HEAD_X = NODE_X + 26  # a group's heading, after a sample of its line
# Advance widths in em of DejaVu Sans (measured in Chromium), by class of character; bold
# text is about a tenth wider.
_EM = [("ijl.,:;'|!IJf ", 0.32), ("rt()[]-", 0.4), ('"*_`', 0.46), ("?FLcsz", 0.55)]
_WIDE = [("ABCKRVXZ", 0.7), ("&DGHNOQU", 0.77), ("#+<=>M^w~", 0.84), ("%@Wm…—", 1.0)]
_AVERAGE = 0.62
_CHAR_EM = {char: em for chars, em in reversed(_EM + _WIDE) for char in chars}  # first wins
DASHES = {"dashed": "7 4", "dotted": "2 3"}
OUT_WORDS = {
    "sense_of": "sense of",
    "uses": "its definition uses",
    "broader": "a kind of",
    "related": "related to",
    "replaced_by": "replaced by",
    "conflicts_with": "conflicts with",
    "refines": "refines",
    "agrees_with": "agrees with",
    "supports": "supports",
    "objects_to": "objects to",
    "undercuts": "undercuts a link to",
    "about": "about",
    "cites": "source",
    "part_of": "part of",
    "in_reply_to": "replies to",
    "references": "refers to",
}
IN_WORDS = {
    "sense_of": "its senses",
    "uses": "used in defining",
    "broader": "narrower terms",
    "related": "related to",
    "replaced_by": "replaces",
    "conflicts_with": "conflicts with",
    "refines": "refined by",
    "agrees_with": "agrees with",
    "supports": "supported by",
    "objects_to": "objected to by",
    "undercuts": "undercut links to it",
    "about": "claims about it",
    "cites": "drawn from it",
    "part_of": "its parts",
    "in_reply_to": "replies to it",
    "references": "referred to by",
}


@dataclass
class Group:
    edge_type: str
    outgoing: bool
    nodes: list[str]

    @property
    def words(self) -> str:
        words = (OUT_WORDS if self.outgoing else IN_WORDS).get(self.edge_type)
        return words or self.edge_type.replace("_", " ")


def neighbour_groups(data: SiteData, node: str) -> list[Group]:
    """The node's neighbours one link away, grouped by link type and direction (outgoing
    first), each group sorted by label; a neighbour may sit in several groups."""
    groups = []
    for outgoing in (True, False):
        for edge_type in edge_types():
            found = (data.outgoing if outgoing else data.incoming)(node, edge_type)
            others = sorted((n for n in found if n != node), key=lambda n: node_label(data, n))
            if others:
                groups.append(Group(edge_type, outgoing, others))
    return groups


def text_width(text: str, bold: bool = False) -> float:
    """The width in px of ``text`` at FONT px, estimated on the wide side (see above)."""
    return _px(_em(text), bold)


def _em(text: str, em: float = 0.0) -> float:
    """``em`` plus the widths of ``text``'s characters, added one at a time (so that a line
    grown word by word measures exactly what :func:`text_width` measures of it whole)."""
    for char in text:
        em += _CHAR_EM.get(char, _AVERAGE)
    return em


def _px(em: float, bold: bool) -> float:
    return em * FONT * (1.1 if bold else 1.0)


def _cut(text: str, width: float, bold: bool) -> str:
    """``text`` cut with "…" to fit ``width`` px."""
    text = " ".join(text.split())
    if text_width(text, bold) <= width:
        return text
    while text and text_width(text + "…", bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _words(text: str) -> list[str]:
    """The pieces a line may break after: words, and hyphenated words after each hyphen."""
    return re.findall(r"\S+?-(?=\w)|\S+", text)


def wrap(text: str, width: float, lines: int, bold: bool = False) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width`` px, the last cut with "…"."""
    out: list[str] = []
    line_em = 0.0  # the last line's width, grown as it grows
    for word in _words(text):
        if out:
            joint = ("" if out[-1].endswith("-") else " ") + word
            joined_em = _em(joint, line_em)
            if _px(joined_em, bold) <= width:
                out[-1] += joint
                line_em = joined_em
                continue
        out.append(word)
        line_em = _em(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = _cut(out[-1].rstrip("-") + " …", width, bold)
    return [_cut(line, width, bold) for line in out]


def _lines(text: list[str], x: int, top: int) -> str:
    """Lines of text as ``<tspan>`` lines starting at ``top``."""
    return "".join(
        f'<tspan x="{x}" y="{top + LINE * (i + 1) - 4}">{escape_html(t)}</tspan>'
        for i, t in enumerate(text)
    )


def _node_box(data: SiteData, page: str, node: str, y: int) -> tuple[str, int]:
    """A neighbour's box at ``y``, as tall as its wrapped label needs, and its height."""
    label = node_label(data, node)
    kind = node.split(":", 1)[0]
    lines = wrap(label, NODE_W - 2 * PAD, MAX_LINES)
    height = max(ROW_H, LINE * len(lines) + 12)
    top = y + (height - LINE * len(lines)) // 2
    return (
        f'<a xlink:href="{escape_html(relative_url(page, node))}" class="kb-lg-node">'
        f"<title>{escape_html(kind)}: {escape_html(label)}</title>"
        f'<rect x="{NODE_X}" y="{y + 2}" width="{NODE_W}" height="{height - 4}" rx="4" '
        f'style="stroke:{NODE_STYLES.get(kind, {}).get("colour", GREY)}"/>'
        f"<text>{_lines(lines, NODE_X + PAD, top)}</text></a>"
    ), height


def _edge(y_from: int, y_to: int, edge_type: str) -> str:
    style = edge_style(edge_type)
    dash = DASHES.get(style["line"])
    x1, x2 = ENTRY_W, NODE_X
    mid = (x1 + x2) / 2
    return (
        f'<path d="M{x1} {y_from} C{mid} {y_from} {mid} {y_to} {x2} {y_to}" '
        f'stroke="{style["colour"]}"' + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
    )


def local_svg(data: SiteData, page: str, node: str, groups: list[Group]) -> str:
    """The fan drawing of ``node`` and ``groups`` as an SVG element (links relative to
    ``page``, the docs path of the page that shows it)."""
    rows, y = [], 0
    centres: list[tuple[int, str]] = []
    explorer = escape_html(explorer_url(page, node))
    for group in groups:
        style = edge_style(group.edge_type)
        dash = DASHES.get(style["line"], "none")
        head = wrap(group.words + (" →" if group.outgoing else " ←"), WIDTH - HEAD_X, 2, True)
        rows.append(
            f'<g class="kb-lg-head"><line x1="{NODE_X}" y1="{y + 15}" x2="{NODE_X + 20}" '
            f'y2="{y + 15}" stroke="{style["colour"]}" stroke-dasharray="{dash}"/>'
            f"<text>{_lines(head, HEAD_X, y + 7)}</text></g>"
        )
        y += HEAD_H + LINE * (len(head) - 1)
        for other in group.nodes[:PER_GROUP]:
            box, height = _node_box(data, page, other, y)
            rows.append(box)
            centres.append((y + height // 2, group.edge_type))
            y += height
        hidden = len(group.nodes) - PER_GROUP
        if hidden > 0:
            rows.append(
                f'<a xlink:href="{explorer}" class="kb-lg-more"><text x="{NODE_X + 8}" '
                f'y="{y + 16}">and {hidden} more in the explorer</text></a>'
            )
            y += ROW_H - 6
        y += 6
    label = node_label(data, node)
    lines = wrap(label, ENTRY_W - 2 * PAD, ENTRY_LINES, bold=True)
    box_h = len(lines) * LINE + 12
    height = max(y, 60, box_h + 4)
    middle = height // 2
    box_top = middle - box_h // 2
    entry = (
        f'<g class="kb-lg-entry"><title>{escape_html(label)}</title>'
        f'<rect x="1" y="{box_top}" width="{ENTRY_W - 2}" height="{box_h}" rx="6"/>'
        f'<text text-anchor="middle">{_lines(lines, ENTRY_W // 2, box_top + 6)}'
        "</text></g>"
    )
    edges = "".join(_edge(middle, cy, edge_type) for cy, edge_type in centres)
    return (
        f'<svg class="kb-lg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" font-size="{FONT}" role="group" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'aria-label="{escape_html(node_label(data, node))} and its neighbours">'
        f'<g class="kb-lg-edges" fill="none" stroke-width="2">{edges}</g>{entry}'
        f"{''.join(rows)}</svg>"
    )


def local_graph(data: SiteData, node: str, linker: Linker) -> str:
    """The "Neighbourhood" section of an entry page: the local graph and a link to the graph
    explorer opened on the entry; nothing when the entry has no links."""
    groups = neighbour_groups(data, node)
    if not groups:
        return ""
    count = len({n for g in groups for n in g.nodes})
    page = linker.page
    explorer = escape_html(explorer_url(page, node))
    svg = local_svg(data, page, node, groups)
    return unindexed_section(
        "Neighbourhood",
        "neighbourhood",
        "kb-local-graph",
        f'<div class="kb-lg-frame">{svg}</div><p class="kb-lg-explore"><a href="{explorer}">'
        f"Open in the graph explorer ({count} linked entr{'y' if count == 1 else 'ies'})</a></p>",
    )


__all__ = [
    "Group",
    "local_graph",
    "local_svg",
    "neighbour_groups",
    "text_width",
    "wrap",
]
