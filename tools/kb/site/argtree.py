"""The argument view of a claim page: what the claim answers, and the tree of what answers it.

Drawn at build time as plain HTML (lists, ``<details>``), no diagram library in the page: the
text stays at the page's reading size at any width, is selectable and read by screen readers,
and a tree grows downwards instead of shrinking (benchmarks/argmap.md has the measurements
behind this choice).

Answers to a claim are its supporters, its objectors, and the claims that *undercut* one of
those links (grant the answer but deny that it bears on the claim). Every answer carries its
*side*: whether it counts for (+1) or against (-1) the page's claim. A supporter keeps its
parent's side, an objector turns it round, and an undercutter always counts against the answer
whose link it denies (an undercut support hurts the claim, an undercut objection helps it).

The tree is walked breadth-first, so the first levels are always complete; it stops at
:data:`MAX_DEPTH` levels or :data:`MAX_NODES` answers (a node whose answers are not drawn links
to its own page, which shows them) and where a node would repeat on its own path (a loop,
possible while ``circular-support`` findings are waived).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from kb.site.aside import aside
from kb.site.context import SiteData, in_sentence, node_kind, participant, participant_where
from kb.site.graph_data import node_label, relative_url
from kb.site.markup import abbreviate_html, escape_html

MAX_DEPTH = 6
MAX_NODES = 150
OPEN_BELOW = 16  # trees of at most this many answers show their second level open
RELATIONS = ("supports", "objects_to")
WORDS = {"supports": "supports", "objects_to": "objects to"}
SIDE_WORDS = {1: "For", -1: "Against"}
SIDE_ICONS = {1: "✓", -1: "✗"}
SIDE_CLASS = {1: "for", -1: "against"}


@dataclass
class Answer:
    """One claim answering its parent in the tree.

    ``relation`` is how it answers the parent: ``supports``, ``objects_to`` or ``undercuts``;
    an undercutter denies the parent's link to the grandparent, whose relation is
    ``undercut``. ``hidden`` counts the answers it has that the tree does not draw.
    """

    node: str
    relation: str
    side: int
    undercut: str | None = None
    children: list[Answer] = field(default_factory=list)
    hidden: int = 0

    def size(self) -> int:
        return 1 + sum(child.size() for child in self.children)


def undercut_links(attrs: dict) -> list[tuple[str, str]]:
    """The links an ``undercuts`` edge denies, as ``(premise claim id, relation)`` (the graph
    joins several with "|", see kb.graph)."""
    premises = str(attrs.get("premise", "")).split("|")
    relations = str(attrs.get("relation", "")).split("|")
    return list(zip(premises, relations, strict=False))


def undercutters(data: SiteData, premise: str, relation: str, target: str) -> list[str]:
    """Claims that undercut ``premise``'s ``relation`` link to ``target`` (sorted)."""
    if target not in data.graph:
        return []
    link = (premise.split(":", 1)[1], relation)
    return sorted(
        {
            source
            for source, _, key, attrs in data.graph.in_edges(target, keys=True, data=True)
            if key == "undercuts" and link in undercut_links(attrs)
        }
    )


def _answers_to(data: SiteData, node: str, side: int, link: tuple[str, str] | None) -> list[Answer]:
    """The direct answers to ``node`` (whose side is ``side``); ``link`` is ``node``'s own
    relation to its parent, ``(relation, parent)``, which undercutters attack."""
    answers = [
        Answer(other, relation, side if relation == "supports" else -side)
        for relation in RELATIONS
        for other in data.incoming(node, relation)
    ]
    if link is not None:
        relation, parent = link
        answers += [
            Answer(other, "undercuts", -side, undercut=relation)
            for other in undercutters(data, node, relation, parent)
        ]
    return answers


def responses(
    data: SiteData, root: str, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH
) -> list[Answer]:
    """The answers to ``root``, each with its own answers, breadth-first and bounded."""
    top = Answer(root, "", 1)
    queue: deque[tuple[Answer, Answer | None, int, frozenset[str]]] = deque(
        [(top, None, 1, frozenset({root}))]
    )
    budget = max_nodes
    while queue:
        answer, parent, depth, path = queue.popleft()
        link = (answer.relation, parent.node) if parent and answer.relation in RELATIONS else None
        found = [a for a in _answers_to(data, answer.node, answer.side, link) if a.node not in path]
        if depth > max_depth or budget <= 0:
            answer.hidden = len(found)
            continue
        answer.children = found[:budget]
        answer.hidden = len(found) - len(answer.children)
        budget -= len(answer.children)
        queue.extend((child, answer, depth + 1, path | {child.node}) for child in answer.children)
    return top.children


@dataclass
class Answered:
    """Something the page's claim answers: ``relation`` (supports, objects_to, undercuts)
    ``target``; for an undercut, the denied link is ``premise`` ``link`` ``target``."""

    relation: str
    target: str
    premise: str | None = None
    link: str | None = None


def answered(data: SiteData, root: str) -> list[Answered]:
    """What ``root`` supports, objects to and undercuts."""
    out = [
        Answered(relation, target)
        for relation in RELATIONS
        for target in data.outgoing(root, relation)
    ]
    if root in data.graph:
        edges = sorted(data.graph.out_edges(root, keys=True, data=True), key=lambda e: e[1])
        out += [
            Answered("undercuts", target, f"claim:{premise}", relation)
            for _, target, key, attrs in edges
            if key == "undercuts"
            for premise, relation in undercut_links(attrs)
        ]
    return out


# -- HTML ------------------------------------------------------------------------------------


def title_names_writer(title: str, who: str) -> bool:
    """Whether a source's title already names its writer ``who``: a comment's title starts
    with its writer ("evhub, 3 Jun 2019, replying to …"), and an unnamed writer may be named
    after the work ('Author of “title”')."""
    return title.startswith(who) or title in who


def unindexed_section(title: str, anchor: str, css: str, html: str) -> str:
    """A section of raw HTML, titled, that the site search leaves out: its text repeats what
    other pages hold (titles and texts of linked entries), and the search index is loaded by
    every page. The heading has no id of its own (the section has), so the search makes no
    empty entry for it either. Material's search parser loses track when an excluded element
    holds one of its own tag, so nothing inside may be a ``<section>``. Its content is finished
    HTML, marked as such (kb.site.aside): MkDocs never parses it."""
    if not html:
        return ""
    return (
        f'<section id="{anchor}" class="{css}" data-search-exclude>'
        f"{aside(f'<h2>{escape_html(title)}</h2>{html}')}</section>"
    )


class ArgumentView:
    """The HTML of one claim page's argument view (``page``: its path in the docs)."""

    def __init__(self, data: SiteData, page: str, root: str):
        self.data = data
        self.page = page
        self.root = root

    def link(self, node: str, text: str | None = None) -> str:
        """A link to the node's page, its text the node's reader-facing label."""
        href = escape_html(relative_url(self.page, node))
        label = abbreviate_html(
            escape_html(text or node_label(self.data, node)), self.data.abbreviations
        )
        return f'<a href="{href}">{label}</a>'

    def byline(self, node: str) -> str:
        """Who said it: the writers of the node's source, and the source linked; a writer
        and a title that name each other are shown once."""
        attrs = self.data.graph.nodes[node] if node in self.data.graph else {}
        source = self.data.base.sources.get(attrs.get("source", ""))
        if source is None:
            return '<p class="kb-arg-by">Source not recorded</p>'
        who = participant(source)
        node, title = f"source:{source.id}", node_label(self.data, f"source:{source.id}")
        where = participant_where(self.data.base, source)
        if where != who:  # known only by their place in a discussion: say which discussion
            return f'<p class="kb-arg-by">By {self.link(node, in_sentence(where))}</p>'
        link = self.link(node)
        if title_names_writer(title, who):  # shown once: the one naming the other is the link
            named = link if title.startswith(who) else self.link(node, in_sentence(who))
            return f'<p class="kb-arg-by">By {named}</p>'
        return (
            f'<p class="kb-arg-by"><span class="kb-arg-who">{escape_html(who)}</span>, in '
            f"{link}</p>"
        )

    def card(self, node: str, head: str) -> str:
        """A claim's title (linked), full text when it says more, and who said it."""
        attrs = self.data.graph.nodes[node] if node in self.data.graph else {}
        text = attrs.get("text", "")
        body = (
            f'<p class="kb-arg-text">{abbreviate_html(escape_html(text), self.data.abbreviations)}</p>'
            if text and text.strip() != node_label(self.data, node).strip()
            else ""
        )
        return (
            f'<div class="kb-arg-card">{head}<p class="kb-arg-title">'
            f"{self.link(node)}</p>{body}{self.byline(node)}</div>"
        )

    def side_badge(self, side: int) -> str:
        word = SIDE_WORDS[side]
        return (
            f'<span class="kb-side kb-side-{SIDE_CLASS[side]}" title="Counts {word.lower()} '
            f'the claim of this page"><span aria-hidden="true">{SIDE_ICONS[side]}</span> '
            f"{word}</span>"
        )

    def relation_words(self, answer: Answer, parent: str, grandparent: str | None) -> str:
        """How ``answer`` answers its parent, in words (the parent named when not the page)."""
        whom = "this claim" if parent == self.root else "the claim above"
        if answer.relation != "undercuts":
            return f"{WORDS[answer.relation]} {whom}"
        target = (
            "this claim"
            if grandparent == self.root
            else f"“{escape_html(node_label(self.data, grandparent or ''))}”"
        )
        return (
            f"undercuts {whom}: grants it, but denies that it "
            f"{WORDS[answer.undercut or 'supports']} {target}"
        )

    def answer(
        self, answer: Answer, parent: str, grandparent: str | None, depth: int, open_second: bool
    ) -> str:
        css = SIDE_CLASS[answer.side] + (
            " kb-arg-undercut" if answer.relation == "undercuts" else ""
        )
        head = (
            f'<p class="kb-arg-head">{self.side_badge(answer.side)} '
            f'<span class="kb-arg-rel">{self.relation_words(answer, parent, grandparent)}'
            "</span></p>"
        )
        return (
            f'<li class="kb-arg kb-arg-{css}">{self.card(answer.node, head)}'
            f"{self.replies(answer, parent, depth, open_second)}</li>"
        )

    def replies(self, answer: Answer, parent: str, depth: int, open_second: bool) -> str:
        """The answer's own answers, folded (``<details>``); those not drawn: on its page."""
        more = ""
        if answer.hidden:
            count = f"{answer.hidden} more answer{'s' if answer.hidden > 1 else ''}"
            more = f'<p class="kb-arg-more">{self.link(answer.node, f"{count} on its page")}</p>'
        if not answer.children:
            return more
        items = "".join(
            self.answer(child, answer.node, parent, depth + 1, open_second)
            for child in answer.children
        )
        sides = [child.side for child in answer.children]
        tally = ", ".join(
            f"{sides.count(s)} {SIDE_WORDS[s].lower()}" for s in (1, -1) if sides.count(s)
        )
        n = len(sides)
        summary = f"{n} answer{'s' if n > 1 else ''} to it ({tally} this page's claim)"
        state = " open" if open_second and depth == 1 else ""
        return (
            f'<details class="kb-arg-replies"{state}><summary>{summary}</summary>'
            f'<ul class="kb-arg-list">{items}</ul></details>{more}'
        )

    def column(self, side: int, answers: list[Answer], open_second: bool) -> str:
        title = {1: "Supporting this claim", -1: "Objecting to this claim"}[side]
        items = "".join(self.answer(a, self.root, None, 1, open_second) for a in answers)
        body = (
            f'<ul class="kb-arg-list">{items}</ul>'
            if items
            else '<p class="kb-arg-none">None recorded yet.</p>'
        )
        return (
            f'<div class="kb-arg-col kb-arg-col-{SIDE_CLASS[side]}">'
            f'<p class="kb-arg-col-title" role="heading" aria-level="3">{self.side_badge(side)} {title} '
            f'<span class="kb-arg-count">({len(answers)})</span></p>{body}</div>'
        )

    def render(self) -> str:
        """The legend and the two columns (supporters, objectors), or "" without answers."""
        answers = responses(self.data, self.root)
        if not answers:
            return ""
        open_second = sum(a.size() for a in answers) <= OPEN_BELOW
        columns = "".join(
            self.column(side, [a for a in answers if a.side == side], open_second)
            for side in (1, -1)
        )
        legend = (
            '<p class="kb-arg-legend">Each answer is marked <strong>✓ For</strong> or '
            "<strong>✗ Against</strong> by what it does to <em>this page's claim</em>: an "
            "objection to an objection counts for it; a support of an objection counts "
            "against it. Open “answers to it” to follow a branch; every title opens its "
            "claim's own page.</p>"
        )
        return f'{legend}<div class="kb-arg-columns">{columns}</div>'

    def context(self) -> str:
        """What the page's claim answers, each with who said it; under a support or objection
        that another claim undercuts, that undercutter."""
        items = []
        for item in answered(self.data, self.root):
            if item.relation == "undercuts":
                words = (
                    f"Undercuts: grants {self.link(item.premise or '')}, but denies that it "
                    f"{WORDS.get(item.link or '', 'supports')}"
                )
            else:
                words = WORDS[item.relation].capitalize()
            head = f'<p class="kb-arg-head"><span class="kb-arg-rel">{words}</span></p>'
            if node_kind(item.target) == "claim":
                target = self.card(item.target, head)
            else:
                target = (
                    f'<div class="kb-arg-card">{head}<p class="kb-arg-title">'
                    f"{self.link(item.target)}</p>{self.byline(item.target)}</div>"
                )
            items.append(f'<li class="kb-arg kb-arg-target">{target}{self.disputed(item)}</li>')
        return f'<ul class="kb-arg-list">{"".join(items)}</ul>' if items else ""

    def disputed(self, item: Answered) -> str:
        """The claims that undercut this claim's link to ``item.target``, one line each."""
        if item.relation not in RELATIONS:
            return ""
        return "".join(
            f'<p class="kb-arg-more">Undercut by {self.link(other)}: it grants this claim but '
            f"denies that it {WORDS[item.relation]} the claim above.</p>"
            for other in undercutters(self.data, self.root, item.relation, item.target)
        )


__all__ = [
    "Answer",
    "ArgumentView",
    "answered",
    "responses",
    "title_names_writer",
    "undercutters",
    "unindexed_section",
]
