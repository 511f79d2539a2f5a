"""The knowledge base as a networkx ``MultiDiGraph``.

Node ids are prefixed by kind, so that a term and a claim may share an id:
``term:<id>``, ``sense:<term>#<sense>``, ``claim:<id>``, ``source:<id>``.

Node attributes (scalars only, so GraphML and GEXF can carry them):

=============  ==============================================================
``kind``       ``term`` | ``sense`` | ``claim`` | ``source``
``id``         the entry's id (``term#sense`` for senses)
``label``      display text: term label, ``term label (sense label or id)``, claim
               headline, source title
``path``       data file, relative to the root; ``line`` its 1-based line
term           ``status``, ``primitive`` (bool), ``aliases`` ("|"-joined), ``note``
sense          ``term``, ``sense_label`` (the sense's own short label), ``definition``,
               ``source``, ``quoted_in``, ``locator``, ``quote``, ``note``
claim          ``title``, ``text``, ``source``, ``quoted_in``, ``locator``, ``quote``,
               ``note`` (the editor's note)
source         ``source_type``, ``title``, ``authors`` ("; "-joined), ``author_note``,
               ``date``, ``url``, ``text`` (archived text, relative to the texts folder),
               ``archived`` (bool: the words are in the archived documents, through the
               source's own ``text`` or the one it is ``part_of``), ``description``
=============  ==============================================================

Absent optional values are omitted rather than stored as None.

Edges carry ``type`` (also used as the edge key), one of :data:`EDGE_TYPES`:

================  =============================  ==================================
type              from → to                      meaning
================  =============================  ==================================
sense_of          sense → term                   the sense belongs to the term
uses              sense → term                   the definition depends on the term
broader           term → term                    the term is a kind of the target
related           term → term                    associated terms
replaced_by       term → term                    renamed or superseded by
conflicts_with    sense → sense                  incompatible definitions
refines           sense → sense                  narrows or makes precise
agrees_with       sense → sense                  the same meaning
supports          claim → claim | sense          argues for
objects_to        claim → claim | sense          argues against
undercuts         claim → claim | sense          grants a premise, denies that it bears
                                                 on the target (see below)
about             claim → term                   the claim concerns the term
cites             sense | claim → source         attributed to the source
part_of           source → source                comment in post, post in sequence
in_reply_to       source → source                answers
references        source → source                points to or cites the target work
================  =============================  ==================================

References to entries that do not exist produce no edge (the rule
``dangling-reference`` reports them).

An ``undercuts`` edge stands for a claim's attack on another claim's *link*, not on a
claim: ``A undercuts (B supports C)`` is the edge ``claim:A → C`` (C a claim or a sense),
with two more attributes naming the link: ``premise`` (``B``, the id of the claim that makes
it) and ``relation`` (``supports`` or ``objects_to``). So the target's page finds, among its
incoming ``undercuts`` edges, which of its supports and objections are disputed and by whom.
When one claim undercuts several links into the same target, the edge's ``premise`` and
``relation`` list them all, "|"-joined in the same order. A link that does not exist
produces no edge (the rule ``undercut-without-relation`` reports it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: kb.model imports this module for KnowledgeBase.graph
    import networkx as nx  # imported where a graph is built: the RDF export needs none

    from kb.model import Claim, KnowledgeBase, Ref, Sense, Source, Term, Undercut

#: An edge as the graph functions give it: source node, target node, type, attributes.
Edge = tuple[str, str, str, dict]

NODE_KINDS = ("term", "sense", "claim", "source")
EDGE_TYPES = (
    "sense_of",
    "uses",
    "broader",
    "related",
    "replaced_by",
    "conflicts_with",
    "refines",
    "agrees_with",
    "supports",
    "objects_to",
    "undercuts",
    "about",
    "cites",
    "part_of",
    "in_reply_to",
    "references",
)


def term_node(term_id: str) -> str:
    return f"term:{term_id}"


def sense_node(key: str) -> str:
    return f"sense:{key}"


def claim_node(claim_id: str) -> str:
    return f"claim:{claim_id}"


def source_node(source_id: str) -> str:
    return f"source:{source_id}"


def target_node(kb: KnowledgeBase, ref: Ref) -> str | None:
    """The node a ``supports``/``objects_to`` target names: a claim, or a sense with ``#``."""
    if ref.sense_id is not None:
        return sense_node(ref.target) if kb.sense(ref.target) else None
    return claim_node(ref.target) if ref.target in kb.claims else None


def _attrs(**values) -> dict:
    return {k: v for k, v in values.items() if v is not None and v != ""}


def _term_attrs(term: Term) -> dict:
    return _attrs(
        kind="term",
        id=term.id,
        label=term.label,
        status=term.status,
        primitive=term.primitive,
        aliases="|".join(term.aliases),
        note=term.note,
        path=term.location.path,
        line=term.location.line,
    )


def _attribution_attrs(entry: Sense | Claim) -> dict:
    """Where a sense's or claim's words come from, and where the entry is written."""
    return {
        "source": entry.source.target if entry.source else None,
        "quoted_in": entry.quoted_in.target if entry.quoted_in else None,
        "locator": entry.locator,
        "quote": entry.quote,
        "note": entry.note,
        "path": entry.location.path,
        "line": entry.location.line,
    }


def _sense_attrs(term: Term, sense: Sense) -> dict:
    return _attrs(
        kind="sense",
        id=sense.key,
        label=f"{term.label} ({sense.display_label})",
        term=term.id,
        sense_label=sense.label,
        definition=sense.definition,
        **_attribution_attrs(sense),
    )


def _claim_attrs(claim: Claim) -> dict:
    return _attrs(
        kind="claim",
        id=claim.id,
        label=claim.headline,
        title=claim.title,
        text=claim.claim,
        **_attribution_attrs(claim),
    )


def _source_attrs(source: Source, archived: bool) -> dict:
    return _attrs(
        kind="source",
        id=source.id,
        label=source.title,
        title=source.title,
        source_type=source.type,
        authors="; ".join(source.authors),
        author_note=source.author_note,
        date=source.date,
        url=source.url,
        text=source.text,
        archived=archived,
        description=source.description,
        path=source.location.path,
        line=source.location.line,
    )


def _edges(
    nodes: Mapping[str, dict], origin: str, kind: str, targets: Iterable[str | None]
) -> Iterator[Edge]:
    """An edge ``origin → target`` of type ``kind`` for each target that is a node."""
    for target in targets:
        if target is not None and target in nodes:
            yield origin, target, kind, {"type": kind}


def _term_targets(refs: Iterable[Ref]) -> Iterator[str]:
    return (term_node(ref.target) for ref in refs)


def undercut_target(kb: KnowledgeBase, undercut: Undercut) -> str | None:
    """The node an undercut's link points at, when the link exists; else None."""
    premise = kb.claims.get(undercut.claim.target)
    if premise is None or not premise.makes(undercut.relation, undercut.target.target):
        return None
    return target_node(kb, undercut.target)


def _undercut_edges(kb: KnowledgeBase, claim: Claim) -> Iterator[Edge]:
    links: dict[str, list[Undercut]] = {}
    for undercut in claim.undercuts:
        target = undercut_target(kb, undercut)
        if target is not None:
            links.setdefault(target, []).append(undercut)
    for target, undercuts in links.items():
        yield (
            claim_node(claim.id),
            target,
            "undercuts",
            {
                "type": "undercuts",
                "premise": "|".join(u.claim.target for u in undercuts),
                "relation": "|".join(u.relation for u in undercuts),
            },
        )


def graph_nodes(kb: KnowledgeBase) -> dict[str, dict]:
    """Every node of the graph of ``kb`` and its attributes, in the graph's order (a node
    named twice keeps the attributes of both, the later winning, as in networkx)."""
    nodes: dict[str, dict] = {}

    def add(node: str, attrs: dict) -> None:
        if node in nodes:
            nodes[node].update(attrs)
        else:
            nodes[node] = attrs

    for term in kb.terms.values():
        add(term_node(term.id), _term_attrs(term))
        for sense in term.senses:
            add(sense_node(sense.key), _sense_attrs(term, sense))
    for claim in kb.claims.values():
        add(claim_node(claim.id), _claim_attrs(claim))
    for source in kb.sources.values():
        add(source_node(source.id), _source_attrs(source, kb.is_archived(source.id)))
    return nodes


def graph_edges(kb: KnowledgeBase, nodes: Mapping[str, dict]) -> Iterator[Edge]:
    """Every edge ``(source, target, type, attributes)`` of the graph of ``kb`` whose target
    is one of ``nodes`` (:func:`graph_nodes`), in the graph's order; an edge named twice
    comes twice (the graph keeps it once)."""
    for term in kb.terms.values():
        node = term_node(term.id)
        yield from _edges(nodes, node, "broader", _term_targets(term.broader))
        yield from _edges(nodes, node, "related", _term_targets(term.related))
        if term.replaced_by:
            yield from _edges(nodes, node, "replaced_by", [term_node(term.replaced_by.target)])
        for sense in term.senses:
            snode = sense_node(sense.key)
            yield from _edges(nodes, snode, "sense_of", [node])
            yield from _edges(nodes, snode, "uses", _term_targets(sense.uses))
            if sense.source:
                yield from _edges(nodes, snode, "cites", [source_node(sense.source.target)])
            for kind, ref in sense.links():
                yield from _edges(nodes, snode, kind, [sense_node(ref.target)])
    for claim in kb.claims.values():
        node = claim_node(claim.id)
        yield from _edges(nodes, node, "about", _term_targets(claim.about))
        yield from _edges(nodes, node, "supports", (target_node(kb, r) for r in claim.supports))
        yield from _edges(nodes, node, "objects_to", (target_node(kb, r) for r in claim.objects_to))
        yield from _undercut_edges(kb, claim)
        if claim.source:
            yield from _edges(nodes, node, "cites", [source_node(claim.source.target)])
    for source in kb.sources.values():
        node = source_node(source.id)
        for kind in ("part_of", "in_reply_to"):
            ref = getattr(source, kind)
            if ref:
                yield from _edges(nodes, node, kind, [source_node(ref.target)])
        yield from _edges(
            nodes, node, "references", (source_node(ref.target) for ref in source.references)
        )


def build_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """Build the typed graph of ``kb``: nodes first, then every edge whose target exists.

    The RDF export reads :func:`graph_nodes` and :func:`graph_edges` directly, without
    the networkx graph."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    nodes = graph_nodes(kb)
    for node, attrs in nodes.items():
        graph.add_node(node, **attrs)
    for u, v, key, attrs in graph_edges(kb, nodes):
        graph.add_edge(u, v, key=key, **attrs)
    return graph


def edges_of_type(graph: nx.MultiDiGraph, edge_type: str) -> nx.DiGraph:
    """A simple ``DiGraph`` holding only the edges of one type (and their end nodes).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("term:a", "term:b", key="broader", type="broader")
    'broader'
    >>> g.add_edge("term:a", "term:c", key="related", type="related")
    'related'
    >>> sorted(edges_of_type(g, "broader").edges())
    [('term:a', 'term:b')]
    """
    import networkx as nx

    sub = nx.DiGraph()
    sub.add_edges_from((u, v) for u, v, k in graph.edges(keys=True) if k == edge_type)
    return sub


def term_dependencies(kb: KnowledgeBase, skip_primitive: bool = True) -> nx.DiGraph:
    """Term → term edges, one for each term a definition of the source term uses.

    Each edge carries ``via``: the first sense (``term#sense``) whose ``uses`` makes it, and
    ``ref``: that :class:`Ref`, for positions. Primitive terms are taken as undefined, so with
    ``skip_primitive`` their own ``uses`` add no edges.
    """
    import networkx as nx

    deps = nx.DiGraph()
    deps.add_nodes_from(kb.terms)
    for term in kb.terms.values():
        if skip_primitive and term.primitive:
            continue
        for sense in term.senses:
            for ref in sense.uses:
                if ref.target in kb.terms and not deps.has_edge(term.id, ref.target):
                    deps.add_edge(term.id, ref.target, via=sense.key, ref=ref)
    return deps


def definitional_depth(kb: KnowledgeBase) -> dict[str, int]:
    """For each term, the length of its longest chain of definitional dependencies.

    Loops are collapsed (their members share one depth), so the result is defined for any
    knowledge base; a primitive term or one whose definitions use no term has depth 0.
    """
    return {term: len(chain) - 1 for term, chain in _longest_chains(kb).items()}


def longest_chain(kb: KnowledgeBase, term_id: str) -> list[str]:
    """One longest chain of definitional dependencies from ``term_id``.

    Each step is a term, or a group of terms defined through one another written
    ``a ⇄ b`` (a loop counts as one step).
    """
    return _longest_chains(kb)[term_id]


def _longest_chains(kb: KnowledgeBase) -> dict[str, list[str]]:
    import networkx as nx

    deps = term_dependencies(kb)
    condensed = nx.condensation(deps)
    names = {node: " ⇄ ".join(sorted(data["members"])) for node, data in condensed.nodes(data=True)}
    chains: dict[int, list[str]] = {}
    for node in reversed(list(nx.topological_sort(condensed))):
        best = max(
            (chains[s] for s in condensed.successors(node)), key=lambda c: (len(c), c), default=[]
        )
        chains[node] = [names[node], *best]
    mapping = condensed.graph["mapping"]
    return {term: chains[mapping[term]] for term in deps}
