"""Exports of the knowledge base, one module a format; :data:`FORMATS` lists them all.

Each format module has a pure ``generate(base, **options)`` that returns the export as text
(or, for the ``csv`` folder, a mapping of file name to text) and a ``write(base, path,
**options)`` that writes it. Output is deterministic: the same knowledge base gives the same
bytes. The modules are imported on first use, so listing the formats stays cheap.

>>> sorted(FORMATS)[:3]
['argdown', 'csv', 'dot']
>>> FORMATS["turtle"].filename("atlas")
'atlas.ttl'
>>> FORMATS["csv"].filename("atlas")
'atlas-csv'
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from kb.model import KnowledgeBase

__all__ = ["DEFAULT_BASE_IRI", "FORMATS", "ExportError", "Exporter", "write_export"]


class ExportError(ValueError):
    """A request an exporter cannot satisfy; ``option`` names the command-line option at fault."""

    def __init__(self, message: str, option: str | None = None):
        super().__init__(message)
        self.option = option


#: The namespace of the RDF exports unless ``--base-iri`` says otherwise. ``urn:example:``
#: is reserved for examples by RFC 6963, so it cannot clash with anyone's real identifiers;
#: whoever publishes the RDF should pass a namespace they control.
DEFAULT_BASE_IRI = "urn:example:alignment-atlas:"

RDF_OPTIONS = ("base_iri",)
DRAWING_OPTIONS = ("focus", "depth")


@dataclass(frozen=True)
class Exporter:
    """One export format: its name, file extension (or folder), media type and generator."""

    name: str
    extension: str
    media_type: str
    description: str
    module: str
    folder: bool = False
    options: tuple[str, ...] = ()

    def _module(self):
        return import_module(f"kb.exporters.{self.module}")

    def _check_options(self, options: dict) -> None:
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            raise ExportError(
                f"the {self.name} export takes no option {', '.join(unknown)}", "--format"
            )

    def generate(self, base: KnowledgeBase, **options) -> str | dict[str, str]:
        """The export as text, or ``{file name: text}`` for a folder format."""
        self._check_options(options)
        return self._module().generate(base, **options)

    def write(self, base: KnowledgeBase, path: str | Path, **options) -> Path:
        """Write the export to ``path`` (a file, or a folder for folder formats)."""
        self._check_options(options)
        return self._module().write(base, path, **options)

    def filename(self, stem: str) -> str:
        """The conventional file (or folder) name for an export called ``stem``."""
        return f"{stem}-{self.extension}" if self.folder else f"{stem}.{self.extension}"


_FORMAT_LIST = (
    Exporter(
        "graphml",
        "graphml",
        "application/graphml+xml",
        "GraphML: typed nodes and edges with declared attribute keys (Gephi, Cytoscape, igraph, yEd).",
        "graphml",
    ),
    Exporter(
        "gexf",
        "gexf",
        "application/gexf+xml",
        "GEXF 1.2: typed nodes and edges with declared attributes, for Gephi.",
        "gexf",
    ),
    Exporter(
        "json",
        "json",
        "application/json",
        "Node-link JSON of the graph (networkx, D3), described by a JSON Schema.",
        "node_link",
    ),
    Exporter(
        "csv",
        "csv",
        "text/csv",
        "A folder with nodes.csv and edges.csv, the shape graph databases bulk-load.",
        "csv_folder",
        folder=True,
    ),
    Exporter(
        "turtle",
        "ttl",
        "text/turtle",
        "RDF in Turtle: SKOS concepts, AIF argument nodes, DCTerms sources, PROV attribution.",
        "turtle",
        options=RDF_OPTIONS,
    ),
    Exporter(
        "jsonld",
        "jsonld",
        "application/ld+json",
        "The same RDF as JSON-LD.",
        "jsonld",
        options=RDF_OPTIONS,
    ),
    Exporter(
        "ntriples",
        "nt",
        "application/n-triples",
        "The same RDF as sorted N-Triples, one triple a line.",
        "ntriples",
        options=RDF_OPTIONS,
    ),
    Exporter(
        "argdown",
        "argdown",
        "text/plain",
        "An Argdown document of every claim and its support and attack relations.",
        "argdown",
    ),
    Exporter(
        "dot",
        "dot",
        "text/vnd.graphviz",
        "Graphviz DOT for drawing the graph or one entry's neighbourhood.",
        "dot",
        options=DRAWING_OPTIONS,
    ),
    Exporter(
        "mermaid",
        "mmd",
        "text/plain",
        "A Mermaid flowchart of the graph or one entry's neighbourhood.",
        "mermaid",
        options=DRAWING_OPTIONS,
    ),
)

#: Every export format by name, in the order shown to people.
FORMATS: dict[str, Exporter] = {exporter.name: exporter for exporter in _FORMAT_LIST}


def write_export(base: KnowledgeBase, name: str, path: str | Path, **options) -> Path:
    """Write the export called ``name`` of ``base`` to ``path``; returns the path written.

    Raises :class:`ExportError` for an unknown format or an option the format does not take.
    """
    exporter = FORMATS.get(name)
    if exporter is None:
        raise ExportError(
            f"no export format is named '{name}' (formats: {', '.join(FORMATS)})", "--format"
        )
    return exporter.write(base, path, **options)
