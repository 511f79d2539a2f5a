"""SPARQL over the RDF export (rdflib), and the named queries shipped in ``kb/queries/*.rq``.

Every query is run with the prefixes of the export declared (``atlas:``, ``kb:``, ``skos:``,
``aif:``, ``dcterms:``, ``prov:`` …), so queries can use them without ``PREFIX`` lines. The
prefixes are written as a SPARQL prologue, not passed to rdflib, so the same text runs in any
SPARQL engine (the tests run the named queries in pyoxigraph too).

>>> sorted(named_queries())[:2]
['conflicting-definitions', 'contested-dependencies']
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from kb.exporters import DEFAULT_BASE_IRI

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph
    from rdflib.query import Result

    from kb.model import KnowledgeBase

RESULT_FORMATS = ("table", "json", "csv")


class QueryError(ValueError):
    """The query text is not valid SPARQL, or names no shipped query; the message says why."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str


def _description(text: str) -> str:
    """The leading ``#`` comment lines of a query file, joined."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").strip())
    return " ".join(lines)


def named_queries() -> dict[str, NamedQuery]:
    """The shipped queries by name (the file name without ``.rq``), sorted."""
    folder = resources.files("kb").joinpath("queries")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)
    return {
        f.name[:-3]: NamedQuery(f.name[:-3], _description(text), text)
        for f in files
        for text in [f.read_text("utf-8")]
    }


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise QueryError(
            f"no named query is called '{name}' (see kb query --list: {', '.join(queries)})"
        )
    return queries[name]


def prologue(base_iri: str = DEFAULT_BASE_IRI) -> str:
    """``PREFIX`` declarations for every namespace of the export."""
    from kb.exporters.rdf import namespaces

    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in namespaces(base_iri).items())


def run_query(graph: Graph, text: str, base_iri: str = DEFAULT_BASE_IRI) -> Result:
    """Run SPARQL ``text`` over ``graph`` with the export's prefixes declared."""
    from pyparsing import ParseException

    declared = prologue(base_iri)
    try:
        return graph.query(declared + text)
    except ParseException as exc:
        line = exc.lineno - declared.count("\n")
        raise QueryError(
            f"the query is not valid SPARQL: {exc.msg} (line {line}, column {exc.col})"
        ) from None
    except Exception as exc:
        raise QueryError(f"the query failed: {type(exc).__name__}: {exc}") from None


def query(base: KnowledgeBase, text: str, base_iri: str = DEFAULT_BASE_IRI) -> Result:
    """Build the RDF of ``base`` and run ``text`` over it."""
    from kb.exporters.rdf import build_rdf

    return run_query(build_rdf(base, base_iri), text, base_iri)


def compact(term, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """A result value for people: IRIs shortened with the export's prefixes, literals as text."""
    from rdflib import URIRef

    from kb.exporters.rdf import namespaces

    if term is None:
        return ""
    if isinstance(term, URIRef):
        matches = [
            (len(iri), prefix)
            for prefix, iri in namespaces(base_iri).items()
            if term.startswith(iri)
        ]
        if matches:
            length, prefix = max(matches)
            return f"{prefix}:{term[length:]}"
    return str(term)


def format_table(result: Result, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """Aligned columns with a header line; one line a row; multi-line values on one line."""
    if result.type == "ASK":
        return "true" if result.askAnswer else "false"
    names = [str(var) for var in result.vars]
    rows = [[" ".join(compact(value, base_iri).split()) for value in row] for row in result]
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(names)]
    lines = [
        "  ".join(name.ljust(width) for name, width in zip(names, widths)).rstrip(),
        "  ".join("-" * width for width in widths),
    ]
    lines += [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows
    ]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def format_result(result: Result, fmt: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """``table`` for people; ``json`` (SPARQL 1.1 JSON results) or ``csv`` (SPARQL CSV results).

    CONSTRUCT and DESCRIBE results are RDF graphs and come out as Turtle whatever ``fmt``.
    """
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="turtle")
    if fmt == "table":
        return format_table(result, base_iri)
    buffer = io.BytesIO()
    result.serialize(buffer, format=fmt)
    return buffer.getvalue().decode("utf-8")
