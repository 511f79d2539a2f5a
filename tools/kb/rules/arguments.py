"""Rules about the argument map: support and objection between claims."""

from __future__ import annotations

import networkx as nx

from kb.model import KnowledgeBase
from kb.rules.cycles import loop_findings
from kb.rules.registry import finding, rule


@rule("KB040", "circular-support", "error")
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


@rule("KB041", "support-and-objection", "error")
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
