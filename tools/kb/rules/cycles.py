"""Shared cycle helpers: groups by strongly connected components, one shortest loop each.

Enumerating elementary cycles is exponential, and ``nx.find_cycle`` without a source is
quadratic on large acyclic graphs; strongly connected components are linear, and a single
breadth-first search inside each group finds one shortest loop through its first member.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.rules.registry import finding

if TYPE_CHECKING:
    import networkx as nx


def loop_groups(graph: nx.DiGraph) -> list[list[str]]:
    """The groups of two or more nodes that reach one another, each sorted, sorted by first.

    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")])
    >>> loop_groups(g)
    [['a', 'b']]
    """
    import networkx as nx  # imported where a graph is made: most checks reuse this rule

    groups = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    return sorted(groups)


def shortest_loop(graph: nx.DiGraph, group: list[str]) -> list[str]:
    """One shortest cycle through ``group[0]`` inside ``group``, first node repeated at the end.

    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("b", "a")])
    >>> shortest_loop(g, ["a", "b", "c"])
    ['a', 'b', 'a']
    """
    import networkx as nx

    start = group[0]
    inside = graph.subgraph(group)
    paths = nx.single_source_shortest_path(inside, start)
    closing = [p for p in inside.predecessors(start) if p in paths]
    last = min(closing, key=lambda p: (len(paths[p]), p))
    return paths[last] + [start]


def loop_findings(graph: nx.DiGraph, name: str, kind: str, describe, hint: str):
    """One finding of rule ``name`` per loop group of ``graph``.

    Edges must carry ``ref`` (the reference that makes them, for the position). The finding
    sits at the first edge of the loop and belongs to every member, so a waiver on any member
    accepts it. ``describe(group, path)`` writes the message.
    """
    for group in loop_groups(graph):
        path = shortest_loop(graph, group)
        location = graph.edges[path[0], path[1]]["ref"].location
        yield finding(
            name,
            location,
            describe(group, path),
            hint,
            (kind, group[0]),
            tuple((kind, member) for member in group),
        )
