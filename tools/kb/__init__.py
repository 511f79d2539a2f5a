"""Alignment Atlas knowledge-base tools.

The pipeline, one module a stage: :mod:`kb.loader` reads the YAML into :mod:`kb.model`
objects, :mod:`kb.graph` builds the networkx graph, :mod:`kb.rules` checks it, and the
exporters and the site plugin publish it.

>>> import kb
>>> base = kb.load("tests/fixtures/minimal")  # doctest: +SKIP
>>> base.graph.number_of_nodes()  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from kb.model import Claim, KnowledgeBase, Location, NotAKnowledgeBase, Sense, Source, Term

__version__ = "0.1.0"

__all__ = [
    "Claim",
    "KnowledgeBase",
    "Location",
    "NotAKnowledgeBase",
    "Sense",
    "Source",
    "Term",
    "__version__",
    "check",
    "load",
]


def load(path: str | Path = ".") -> KnowledgeBase:
    """Load the knowledge base rooted at ``path``; its ``.graph`` is built on first use."""
    from kb.loader import (
        load_kb,  # imported when used: a check answered from the cache reads no YAML
    )

    return load_kb(path)


def check(kb: KnowledgeBase, **options):
    """Run every consistency rule (see :func:`kb.rules.run_rules` for the options)."""
    from kb.rules import run_rules

    return run_rules(kb, **options)
