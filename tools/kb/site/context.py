"""What every page renderer needs, computed once per build: the knowledge base, its graph,
the index of term names for auto-linking, and typed neighbour look-ups on the graph."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from kb.graph import claim_node, sense_node, source_node, term_node
from kb.mentions import MentionIndex
from kb.model import KnowledgeBase


@dataclass
class SiteData:
    base: KnowledgeBase
    edit_url: str | None = None  # a template with {path}, e.g. https://host/repo/edit/main/{path}
    mentions: MentionIndex = field(init=False)

    def __post_init__(self):
        self.mentions = MentionIndex.for_terms(self.base.terms)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        return self.base.graph

    def incoming(self, node: str, *edge_types: str) -> list[str]:
        """Nodes with an edge of one of ``edge_types`` into ``node``, sorted, no repeats."""
        if node not in self.graph:
            return []
        return sorted({u for u, _, key in self.graph.in_edges(node, keys=True) if key in edge_types})

    def outgoing(self, node: str, *edge_types: str) -> list[str]:
        if node not in self.graph:
            return []
        return sorted({v for _, v, key in self.graph.out_edges(node, keys=True) if key in edge_types})

    def edit_link(self, path: str) -> str | None:
        """The configured "edit this entry" URL for a data file, or None when not configured."""
        return self.edit_url.format(path=path) if self.edit_url else None


def node_id(node: str) -> str:
    """The entry id part of a graph node id (``claim:x`` → ``x``, ``sense:t#s`` → ``t#s``)."""
    return node.split(":", 1)[1]


def node_kind(node: str) -> str:
    return node.split(":", 1)[0]


__all__ = ["SiteData", "node_id", "node_kind", "term_node", "sense_node", "claim_node",
           "source_node"]
