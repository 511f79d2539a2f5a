"""``kb stats``: a summary of the knowledge base computed from the graph."""

from __future__ import annotations

from collections import Counter

from kb.graph import definitional_depth, longest_chain
from kb.model import KnowledgeBase


def compute_stats(kb: KnowledgeBase, top: int = 10) -> dict:
    """Counts per kind, most-used terms, deepest chains, contested terms, as plain data."""
    used = Counter(
        ref.target for sense in kb.senses() for ref in sense.uses if ref.target in kb.terms
    )
    about = Counter(
        ref.target for claim in kb.claims.values() for ref in claim.about if ref.target in kb.terms
    )
    depth = definitional_depth(kb)
    edge_types = Counter(k for _, _, k in kb.graph.edges(keys=True))
    return {
        "counts": {
            "terms": len(kb.terms),
            "senses": sum(len(t.senses) for t in kb.terms.values()),
            "claims": len(kb.claims),
            "sources": len(kb.sources),
            "objections": edge_types.get("objects_to", 0),
            "supports": edge_types.get("supports", 0),
        },
        "edges": dict(sorted(edge_types.items())),
        "most_used_terms": [
            {"term": t, "used_by_definitions": n, "claims_about": about.get(t, 0)}
            for t, n in sorted(used.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ],
        "deepest_chains": deepest_chains(kb, depth, top),
        "contested_terms": sorted(t.id for t in kb.terms.values() if t.status == "contested"),
        "terms_with_conflicting_senses": sorted(
            t.id for t in kb.terms.values() if any(s.conflicts_with for s in t.senses)
        ),
    }


def format_stats(result: dict) -> str:
    c = result["counts"]
    lines = [
        f"{c['terms']} terms ({c['senses']} senses), {c['claims']} claims, {c['sources']} sources; "
        f"{c['supports']} supports, {c['objections']} objections",
        "",
        "Most-used terms (definitions using it, claims about it):",
    ]
    lines += [
        f"  {row['term']}: {row['used_by_definitions']}, {row['claims_about']}"
        for row in result["most_used_terms"]
    ]
    lines += ["", "Deepest definitional chains:"]
    lines += [f"  {row['depth']}  {' → '.join(row['chain'])}" for row in result["deepest_chains"]]
    lines += ["", "Contested terms: " + (", ".join(result["contested_terms"]) or "none")]
    lines += [
        "Terms with conflicting senses: "
        + (", ".join(result["terms_with_conflicting_senses"]) or "none")
    ]
    return "\n".join(lines)


def deepest_chains(kb: KnowledgeBase, depth: dict[str, int], top: int) -> list[dict]:
    """The ``top`` longest definitional chains, deepest first, each drawn once: the terms of
    one loop share their chain (it starts with the whole loop), so it is listed at the first
    of them only."""
    rows: list[dict] = []
    seen: set[tuple[str, ...]] = set()
    for term in sorted(depth, key=lambda t: (-depth[t], t)):
        if len(rows) == top:
            break
        chain = longest_chain(kb, term)
        if tuple(chain) not in seen:
            seen.add(tuple(chain))
            rows.append({"term": term, "depth": depth[term], "chain": chain})
    return rows
