"""The RDF export (see :mod:`kb.exporters.rdf` for the mapping) as Turtle."""

from __future__ import annotations

from pathlib import Path

from kb.exporters import DEFAULT_BASE_IRI
from kb.exporters._common import write_text
from kb.exporters.rdf import encoded, serialize
from kb.model import KnowledgeBase


def generate(base: KnowledgeBase, base_iri: str = DEFAULT_BASE_IRI) -> str:
    return serialize(base, "turtle", base_iri)


def write(base: KnowledgeBase, path: str | Path, base_iri: str = DEFAULT_BASE_IRI) -> Path:
    return write_text(path, encoded(base, "turtle", base_iri))
