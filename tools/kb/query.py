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
from typing import TYPE_CHECKING, cast

from kb.exporters import DEFAULT_BASE_IRI

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable

    from rdflib import Graph
    from rdflib.query import Result, ResultRow

    from kb.model import KnowledgeBase

RESULT_FORMATS = ("table", "json", "csv")


#: How long a query may run before it is stopped, in seconds (``kb query --timeout``).
DEFAULT_TIMEOUT = 30.0
#: How many result rows (or triples of a CONSTRUCT) a query may give (``kb query --limit``).
DEFAULT_ROW_LIMIT = 10_000


class QueryError(ValueError):
    """The query text is not valid SPARQL, or names no shipped query; the message says why."""


class QueryRefused(QueryError):
    """The query asks for something kb query never does: reach the network."""


class QueryLimitExceeded(QueryError):
    """The query ran longer than its timeout, or gave more rows than its limit."""


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
    """Run SPARQL ``text`` over ``graph`` with the export's prefixes declared; a query that
    would reach the network is refused (:func:`refuse_remote`)."""
    from pyparsing import ParseException

    refuse_remote(text, base_iri)
    declared = prologue(base_iri)
    try:
        return graph.query(declared + text)
    except ParseException as exc:
        line = exc.lineno - declared.count("\n")
        raise QueryError(
            f"the query is not valid SPARQL: {exc.msg} (line {line}, column {exc.col})"
        ) from None
    except MemoryError:
        raise
    except Exception as exc:
        raise QueryError(f"the query failed: {type(exc).__name__}: {exc}") from None


def _parts(node):
    """Every algebra node (rdflib ``CompValue``) inside ``node``, depth first."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _parts(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _parts(item)


def refuse_remote(text: str, base_iri: str = DEFAULT_BASE_IRI) -> None:
    """Raise :class:`QueryRefused` when the query would fetch data from elsewhere:
    ``SERVICE <…>`` (a federated query) or ``FROM`` / ``FROM NAMED`` (graphs to download).
    Queries run over the local knowledge base only."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    declared = prologue(base_iri)
    try:
        algebra = translateQuery(parseQuery(declared + text)).algebra
    except ParseException:
        return  # run_query reports the syntax error with its position
    except Exception as exc:
        raise QueryError(f"the query is not valid SPARQL: {exc}") from None
    names = {part.name for part in _parts(algebra)}
    if "ServiceGraphPattern" in names:
        raise QueryRefused(
            "SERVICE is not allowed: kb query never makes network requests and runs over the "
            "local knowledge base only; remove the SERVICE block"
        )
    if algebra.get("datasetClause"):
        raise QueryRefused(
            "FROM and FROM NAMED are not allowed: kb query never loads other graphs and runs "
            "over the local knowledge base only; remove the FROM clause"
        )


def _forbid_network() -> None:
    """In the query's own process: make every attempt to open a connection fail."""
    import socket

    def refuse(*args, **kwargs):
        raise OSError("kb query makes no network requests")

    socket.socket = refuse  # type: ignore[assignment,misc]
    socket.create_connection = refuse
    socket.getaddrinfo = refuse


def _rows(result: Result) -> int:
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return len(result.graph) if result.graph is not None else 0
    return 0 if result.type == "ASK" else -1


def answer(graph: Graph, text: str, base_iri: str, fmt: str, row_limit: int) -> str:
    """Run the query and format its answer; :class:`QueryLimitExceeded` past ``row_limit``."""
    from itertools import islice

    result = run_query(graph, text, base_iri)
    count = _rows(result)
    if count < 0:  # SELECT: rows are produced one by one, so stop one past the limit
        count = sum(1 for _ in islice(result, row_limit + 1))
    if count > row_limit:
        raise QueryLimitExceeded(
            f"the query gives more than {row_limit} rows (--limit); narrow it with a pattern "
            "or a LIMIT clause, or raise --limit"
        )
    return format_result(result, fmt, base_iri)


#: How much more memory than it starts with the query's process may take, in bytes.
MEMORY_HEADROOM = 2 * 1024**3


def _limit_memory() -> None:
    """In the query's own process: a query that would eat the machine's memory fails with
    MemoryError instead (Unix; elsewhere the timeout alone bounds it)."""
    try:
        import resource

        with open("/proc/self/statm") as statm:  # Linux: the current size, in pages
            size = int(statm.read().split()[0]) * resource.getpagesize()
        limit = size + MEMORY_HEADROOM
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        pass


def _answer_in_child(connection, graph, text, base_iri, fmt, row_limit) -> None:
    _forbid_network()
    _limit_memory()
    try:
        connection.send(("ok", answer(graph, text, base_iri, fmt, row_limit)))
    except QueryError as exc:
        connection.send(("refused" if isinstance(exc, QueryLimitExceeded) else "error", str(exc)))
    except MemoryError:
        connection.send(("refused", "the query needs more memory than kb query allows; narrow it"))
    except Exception as exc:  # the parent turns any failure into one line, never a traceback
        connection.send(("error", f"the query failed: {type(exc).__name__}: {exc}"))
    finally:
        connection.close()


def bounded_answer(
    graph: Graph,
    text: str,
    base_iri: str = DEFAULT_BASE_IRI,
    fmt: str = "table",
    timeout: float = DEFAULT_TIMEOUT,
    row_limit: int = DEFAULT_ROW_LIMIT,
) -> str:
    """The formatted answer of a local, bounded query.

    The query is refused if it reaches for the network (:func:`run_query`); it runs in a
    child process with no network, which is killed after ``timeout`` seconds
    (rdflib's evaluation cannot be interrupted from inside). Raises
    :class:`QueryLimitExceeded` when the time or the row limit is exceeded.
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(  # type: ignore[attr-defined]
        target=_answer_in_child,
        args=(sender, graph, text, base_iri, fmt, row_limit),
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryLimitExceeded(
                f"the query did not finish within {timeout:g} seconds (--timeout) and was "
                "stopped; narrow it (a cross product of three patterns grows very fast), or "
                "raise --timeout"
            )
        status, payload = receiver.recv()
    except EOFError:
        raise QueryError("the query process ended without an answer") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if status == "refused":
        raise QueryLimitExceeded(payload)
    if status == "error":
        raise QueryError(payload)
    return payload


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
    """Aligned columns with a header line; one line a row; multi-line values on one line,
    control characters shown as U+FFFD (never sent to the terminal)."""
    if result.type == "ASK":
        return "true" if result.askAnswer else "false"
    from kb.exporters._common import shown

    names = [str(var) for var in result.vars or ()]
    rows = [
        [shown(" ".join(compact(value, base_iri).split())) for value in row]
        for row in cast("Iterable[ResultRow]", result)
    ]
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(names)]
    lines = [
        "  ".join(name.ljust(width) for name, width in zip(names, widths, strict=True)).rstrip(),
        "  ".join("-" * width for width in widths),
    ]
    lines += [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def format_result(result: Result, fmt: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """``table`` for people; ``json`` (SPARQL 1.1 JSON results) or ``csv`` (SPARQL CSV results).

    CONSTRUCT and DESCRIBE results are RDF graphs and come out as Turtle whatever ``fmt``.
    """
    if result.type in ("CONSTRUCT", "DESCRIBE") and result.graph is not None:
        return result.graph.serialize(format="turtle")
    if fmt == "table":
        return format_table(result, base_iri)
    buffer = io.BytesIO()
    result.serialize(buffer, format=fmt)
    return buffer.getvalue().decode("utf-8")
