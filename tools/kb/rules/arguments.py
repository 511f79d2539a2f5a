"""Rules about the argument map: support and objection between claims."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from kb.graph import target_node, undercut_target
from kb.model import ARGUMENT_LINKS, Claim, KnowledgeBase
from kb.rules.cycles import loop_findings, loop_groups
from kb.rules.registry import finding, rule

if TYPE_CHECKING:
    import networkx as nx


@rule("KB040", "circular-support", "error", reads={"ids", "links"})
def circular_support(kb: KnowledgeBase):
    """
    What it checks:
    A claim that supports itself through a chain of ``supports`` links (a strongly
    connected group of claims), reported once per group with one shortest loop.

    Why it matters:
    Circular support is begging the question: each claim's only backing is, in the end,
    itself. Usually one of the links is really an objection or a restatement.

    Bad:
    ```yaml
    # arguments/a.yaml
    supports: [b]
    # arguments/b.yaml
    supports: [a]
    ```

    Good:
    ```yaml
    # arguments/a.yaml
    supports: [b]
    # arguments/b.yaml (supports nothing, or another claim)
    ```
    """
    import networkx as nx  # imported where a graph is made: most checks reuse this rule

    graph = nx.DiGraph()
    for claim in kb.claims.values():
        for ref in claim.supports:
            if ref.target in kb.claims and ref.target != claim.id:
                graph.add_edge(claim.id, ref.target, ref=ref)
    yield from loop_findings(
        graph,
        "circular-support",
        "claim",
        lambda group, path: f"claims support one another in a loop: {' → '.join(path)}",
        "remove the support link that closes the loop, or merge the claims",
    )


@rule("KB041", "support-and-objection", "error", reads={"ids", "links"})
def support_and_objection(kb: KnowledgeBase):
    """
    What it checks:
    A claim that both ``supports`` and ``objects_to`` the same target.

    Why it matters:
    The two relations contradict each other; a claim that partly agrees and partly
    objects should be split into two claims.

    Bad:
    ```yaml
    supports: [robust-alignment-is-possible]
    objects_to: [robust-alignment-is-possible]
    ```

    Good:
    ```yaml
    # two claims, one supporting and one objecting
    objects_to: [robust-alignment-is-possible]
    ```
    """
    for claim in kb.claims.values():
        supported = {ref.target for ref in claim.supports}
        for ref in claim.objects_to:
            if ref.target in supported:
                yield finding(
                    "support-and-objection",
                    ref.location,
                    f"claim '{claim.id}' both supports and objects to '{ref.target}'",
                    "split it into a supporting claim and an objecting claim",
                    ("claim", claim.id),
                )


def _links_of(claim: Claim) -> str:
    """What ``claim`` supports and objects to, for a hint."""
    links = [f"{relation} {ref.target}" for relation, ref in claim.arguments()]
    return ", ".join(links) or "nothing"


@rule("KB042", "undercut-without-relation", "error", reads={"ids", "links"})
def undercut_without_relation(kb: KnowledgeBase):
    """
    What it checks:
    Each item of ``undercuts`` names a link that exists: the claim it names must itself
    ``supports`` (or ``objects_to``) the target, as the item says. Items whose claim or
    target does not exist are reported by ``dangling-reference`` instead.

    Why it matters:
    An undercut attacks a link, not a claim: "granted, but it does not follow". When the
    link is not in the map (the claim never argued for that target, or argued against it)
    the undercut answers nothing, and the site and every export would drop it.

    Bad:
    ```yaml
    # arguments/a.yaml
    supports: [b]
    # arguments/c.yaml
    undercuts:
      - claim: a
        supports: d
    ```

    Good:
    ```yaml
    # arguments/a.yaml
    supports: [b]
    # arguments/c.yaml
    undercuts:
      - claim: a
        supports: b
    ```
    """
    for claim in kb.claims.values():
        for undercut in claim.undercuts:
            premise = kb.claims.get(undercut.claim.target)
            target = undercut.target
            if premise is None or target_node(kb, target) is None:
                continue  # dangling-reference
            if premise.makes(undercut.relation, target.target):
                continue
            other = next(r for r in ARGUMENT_LINKS if r != undercut.relation)
            hint = (
                f"claim '{premise.id}' {other} '{target.target}': write `{other}: {target.target}`"
                if premise.makes(other, target.target)
                else f"claim '{premise.id}' has these links: {_links_of(premise)}"
            )
            yield finding(
                "undercut-without-relation",
                target.location,
                f"claim '{claim.id}' undercuts a link that does not exist: "
                f"'{premise.id}' has no `{undercut.relation}: {target.target}`",
                hint,
                ("claim", claim.id),
            )


@rule("KB043", "circular-undercut", "error", reads={"ids", "links"})
def circular_undercut(kb: KnowledgeBase):
    """
    What it checks:
    A loop of ``supports`` links and undercuts that contains at least one undercut: a
    claim that undercuts a link into a claim which, through ``supports`` (and further
    undercuts), leads back to it. Reported once per group with one shortest loop; loops of
    ``supports`` alone are ``circular-support``.

    Why it matters:
    Undercutting an objection to a claim defends that claim; undercutting a support of it
    weakens it. When that claim in turn backs the undercutting claim, the defence is
    circular (each is propped up by the other) or self-defeating (the claim weakens its own
    backing). Usually a link points the wrong way.

    Bad:
    ```yaml
    # arguments/a.yaml: a undercuts b's objection to c ...
    undercuts:
      - claim: b
        objects_to: c
    # arguments/c.yaml: ... and c supports a
    supports: [a]
    ```

    Good:
    ```yaml
    # arguments/a.yaml
    undercuts:
      - claim: b
        objects_to: c
    # arguments/c.yaml (supports another claim, or nothing)
    ```
    """
    import networkx as nx

    graph = _support_and_undercut_graph(kb)
    for group in loop_groups(graph):
        inside = graph.subgraph(group)
        undercuts = sorted((u, v) for u, v, cut in inside.edges(data="undercut") if cut)
        if not undercuts:
            continue  # a loop of supports alone: circular-support
        start, end = undercuts[0]
        path = [start, *nx.shortest_path(inside, end, start)]
        yield finding(
            "circular-undercut",
            graph.edges[start, end]["ref"].location,
            f"claims undercut and support one another in a loop: {_describe(graph, path)}",
            "remove or reverse the link that closes the loop (often a support that points the wrong way)",
            ("claim", start),
            tuple(("claim", member) for member in group),
        )


def _support_and_undercut_graph(kb: KnowledgeBase) -> nx.DiGraph:
    """Claim → claim edges for ``supports`` and for each existing link a claim undercuts
    (to the link's target); ``undercut`` tells them apart, ``ref`` gives the position."""
    import networkx as nx

    graph = nx.DiGraph()
    for claim in kb.claims.values():
        for ref in claim.supports:
            if ref.target in kb.claims and ref.target != claim.id:
                graph.add_edge(claim.id, ref.target, ref=ref, undercut=False)
        for undercut in claim.undercuts:
            target = undercut.target.target
            if target in kb.claims and target != claim.id and undercut_target(kb, undercut):
                graph.add_edge(claim.id, target, ref=undercut.target, undercut=True)
    return graph


def _describe(graph: nx.DiGraph, path: list[str]) -> str:
    """``a undercuts a link into c, c supports a`` for the loop ``path``."""
    steps = (
        f"{u} undercuts a link into {v}" if graph.edges[u, v]["undercut"] else f"{u} supports {v}"
        for u, v in pairwise(path)
    )
    return ", ".join(steps)
