"""Rules about the term hierarchy and names (SKOS integrity conditions, qSKOS checks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.mentions import _norm, _words
from kb.model import KnowledgeBase, Location
from kb.rules.cycles import loop_findings
from kb.rules.registry import finding, rule

if TYPE_CHECKING:
    import networkx as nx


def _broader_graph(kb: KnowledgeBase) -> nx.DiGraph:
    import networkx as nx  # imported where a graph is made: most checks reuse this rule

    graph = nx.DiGraph()
    graph.add_nodes_from(kb.terms)
    for term in kb.terms.values():
        for ref in term.broader:
            if ref.target in kb.terms and ref.target != term.id:
                graph.add_edge(term.id, ref.target, ref=ref)
    return graph


@rule("KB030", "hierarchy-cycle", "error", reads={"ids", "links"})
def hierarchy_cycle(kb: KnowledgeBase):
    """
    What it checks:
    Loops in ``broader``: terms that are, through a chain, broader than themselves. Each
    group is reported once with one shortest loop.

    Why it matters:
    A hierarchy with a loop has no top; the site's tree and SKOS consumers break on it
    (SKOS expects ``broaderTransitive`` to be irreflexive in practice).

    Bad:
    ```yaml
    # terms/proxy-alignment.yaml
    broader: [pseudo-alignment]
    # terms/pseudo-alignment.yaml
    broader: [proxy-alignment]
    ```

    Good:
    ```yaml
    # terms/proxy-alignment.yaml
    broader: [pseudo-alignment]
    # terms/pseudo-alignment.yaml (no broader)
    ```
    """
    yield from loop_findings(
        _broader_graph(kb),
        "hierarchy-cycle",
        "term",
        lambda group, path: f"broader loops back: {' → '.join(path)}",
        "remove the broader link that points back up the hierarchy (perhaps it is `related`)",
    )


@rule("KB031", "related-broader-clash", "error", reads={"ids", "links"})
def related_broader_clash(kb: KnowledgeBase):
    """
    What it checks:
    A term ``related`` to one of its own ancestors or descendants in the ``broader``
    hierarchy (SKOS integrity condition S27).

    Why it matters:
    ``related`` means associated but not hierarchical; a term cannot be both a kind of
    another term and merely associated with it.

    Bad:
    ```yaml
    id: proxy-alignment
    broader: [pseudo-alignment]
    related: [pseudo-alignment]
    ```

    Good:
    ```yaml
    id: proxy-alignment
    broader: [pseudo-alignment]
    related: [approximate-alignment]
    ```
    """
    import networkx as nx

    graph = _broader_graph(kb)
    ancestors: dict[str, set[str]] = {}

    def above(term_id: str) -> set[str]:
        if term_id not in ancestors:
            ancestors[term_id] = nx.descendants(graph, term_id)
        return ancestors[term_id]

    for term in kb.terms.values():
        for ref in term.related:
            if ref.target not in kb.terms or ref.target == term.id:
                continue
            if ref.target in above(term.id):
                relation = f"'{ref.target}' is broader than '{term.id}'"
            elif term.id in above(ref.target):
                relation = f"'{ref.target}' is narrower than '{term.id}'"
            else:
                continue
            yield finding(
                "related-broader-clash",
                ref.location,
                f"'{term.id}' is related to '{ref.target}', but {relation} in the hierarchy",
                "keep only the hierarchical link, or relate to a term outside the hierarchy line",
                ("term", term.id),
            )


def normalise_name(name: str) -> str:
    """Names compare by words, case-insensitive: ``Mesa-Optimizer`` = ``mesa optimizer``."""
    return " ".join(_norm(m.group()) for m in _words(name))


@rule("KB032", "label-clash", "error", reads={"ids", "names"})
def label_clash(kb: KnowledgeBase):
    """
    What it checks:
    A label or alias that two terms share (compared case-insensitively, hyphens and spaces
    alike), including one term's alias equal to another's label (SKOS S13/S14, qSKOS
    overlapping labels), and an alias equal to its own term's label.

    Why it matters:
    Readers and the site's auto-linking look terms up by name; a shared name makes the
    lookup ambiguous. Distinct meanings of one word belong in senses of one term.

    Bad:
    ```yaml
    # terms/inner-alignment.yaml
    aliases: [mesa-alignment]
    # terms/mesa-alignment.yaml
    label: mesa-alignment
    ```

    Good:
    ```yaml
    # one term, inner-alignment, with the alias mesa-alignment
    ```
    """
    seen: dict[str, tuple[str, Location]] = {}
    for term in sorted(kb.terms.values(), key=lambda t: t.id):
        locations = [term.label_location or term.location, *term.alias_locations]
        own = set()
        for position, (name, location) in enumerate(zip(term.names, locations, strict=True)):
            key = normalise_name(name)
            if position and name.strip() == term.label.strip():
                yield finding(
                    "label-clash",
                    location,
                    f'the alias "{name}" repeats the term\'s own label (SKOS S13: a name is '
                    "either the preferred or an alternative label)",
                    "remove the alias: the label already names the term",
                    ("term", term.id),
                )
            if not key or key in own:
                continue
            own.add(key)
            if key in seen and seen[key][0] != term.id:
                other, where = seen[key]
                yield finding(
                    "label-clash",
                    location,
                    f"the name \"{name}\" is also a label or alias of term '{other}' ({where})",
                    "keep the name on one term; record other meanings as senses of that term",
                    ("term", term.id),
                )
            else:
                seen.setdefault(key, (term.id, location))
