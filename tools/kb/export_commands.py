"""The ``kb export`` and ``kb query`` commands (registered in :mod:`kb.cli`).

Only click and the light :mod:`kb.exporters` registry are imported here; rdflib and the
format modules load when a command runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from kb import progress
from kb.cli_support import knowledge_base_root, open_kb, root_argument, root_option
from kb.exporters import DEFAULT_BASE_IRI, FORMATS, ExportError
from kb.query import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT

FORMAT_LINES = "\n".join(
    f"  {name:<9} {exporter.description}" for name, exporter in FORMATS.items()
)


class OutputError(click.ClickException):
    """The export could not be written; exit 2 like every other I/O error."""

    exit_code = 2


class QueryStopped(click.ClickException):
    """The query exceeded its time or row limit; exit 2 like a usage error."""

    exit_code = 2


def _advise(exporter, output: Callable[[], str]) -> None:
    """Print the format's advice about its output (a diagram too large to draw), if any;
    ``output()`` gives the output, called only for a format that gives advice (so a large
    RDF export written to a file is not read back)."""
    advice = getattr(exporter._module(), "advice", None)
    note = advice(output()) if advice else None
    if note:
        click.echo(f"note: {note}", err=True)


def _export_options(exporter, base_iri, focus, depth, depth_given) -> dict:
    """The options the chosen format takes; an option it does not take is a usage error."""
    given = {"base_iri": base_iri, "focus": focus}
    for name, value in given.items():
        if value is not None and name not in exporter.options:
            flag = "--" + name.replace("_", "-")
            takers = ", ".join(n for n, e in FORMATS.items() if name in e.options)
            raise click.UsageError(f"{flag} applies to {takers}, not to {exporter.name}")
    if depth_given and focus is None:
        raise click.UsageError("--depth needs --focus (the entry whose neighbourhood to draw)")
    options = {name: value for name, value in given.items() if value is not None}
    if focus is not None:
        options["depth"] = depth
    return options


@click.command(
    short_help="Export the graph: graphml, gexf, json, csv, RDF, argdown, dot, mermaid.",
    epilog=f"""\b
Formats:
{FORMAT_LINES}

\b
Examples:
  kb export --format graphml -o atlas.graphml
  kb export --format turtle --base-iri https://atlas.example.org/id/ > atlas.ttl
  kb export --format csv -o atlas-csv          (a folder: nodes.csv, edges.csv)
  kb export --format dot --focus mesa-optimizer --depth 2 | dot -Tsvg > mesa.svg
""",
)
@root_argument
@root_option
@click.option(
    "--format",
    "-f",
    "fmt",
    required=True,
    type=click.Choice(list(FORMATS)),
    help="The export format (see the list below).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=True),
    help="Write to this file (folder for csv) instead of standard output.",
)
@click.option(
    "--base-iri",
    metavar="IRI",
    help=f"RDF formats: the namespace of the atlas's IRIs "
    f"[default: {DEFAULT_BASE_IRI}, a placeholder reserved for examples].",
)
@click.option(
    "--focus",
    metavar="ID",
    help="dot, mermaid: draw only this entry's neighbourhood (an id, term#sense, or kind:id).",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="With --focus: how many links away from the entry to go.",
)
@click.pass_context
def export(ctx, path, root, fmt, output, base_iri, focus, depth):
    """Export the knowledge base as graphml, gexf, json, csv, RDF, argdown, dot or mermaid.

    Output is deterministic (sorted), so two exports diff cleanly. It goes to standard output
    unless -o is given; the csv format writes a folder and needs -o.
    """
    exporter = FORMATS[fmt]
    depth_given = ctx.get_parameter_source("depth") != click.core.ParameterSource.DEFAULT
    options = _export_options(exporter, base_iri, focus, depth, depth_given)
    if exporter.folder and not output:
        raise click.UsageError(f"the {fmt} export is a folder of files: give it with -o DIR")
    base = open_kb(knowledge_base_root(path, root))
    try:
        if output:
            with progress.task(f"writing the {fmt} export"):
                written = exporter.write(base, output, **options)
            click.echo(f"wrote {written}", err=True)
            if not exporter.folder:
                _advise(exporter, lambda: written.read_text("utf-8"))
        else:
            with progress.task(f"writing the {fmt} export"):
                text = exporter.generate(base, **options)
            click.echo(text, nl=False)
            _advise(exporter, lambda: text)
    except ExportError as exc:
        raise click.BadParameter(str(exc), param_hint=exc.option) from None
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None


@click.command(
    short_help="Run SPARQL over the RDF export, or a named query.",
    epilog="""\b
Examples:
  kb query --list
  kb query --named unanswered-objections
  kb query 'SELECT ?t ?label WHERE { ?t a skos:Concept ; skos:prefLabel ?label } ORDER BY ?label'
  kb query --format csv 'SELECT ?c WHERE { ?c a aif:I-node }' > claims.csv
  kb query - < my-query.rq
\b
Prefixes declared for you: atlas kb aif skos dcterms dcmitype prov foaf rdf rdfs xsd
(docs/export.md describes the vocabulary).
""",
)
@click.argument("sparql", required=False)
@click.option("--named", "-n", metavar="NAME", help="Run a query shipped with kb (see --list).")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table for people; json and csv are the SPARQL 1.1 result formats.",
)
@click.option(
    "--base-iri",
    metavar="IRI",
    default=None,
    help=f"The namespace of the atlas's IRIs (as in kb export) [default: {DEFAULT_BASE_IRI}].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="Stop the query after this long (exit 2).",
)
@click.option(
    "--limit",
    "row_limit",
    type=click.IntRange(min=1),
    default=DEFAULT_ROW_LIMIT,
    show_default=True,
    metavar="ROWS",
    help="Refuse an answer with more rows than this (exit 2).",
)
def query(sparql, named, list_queries, root, fmt, base_iri, timeout, row_limit):
    """Run a SPARQL query over the RDF export and print the answer.

    Give the query as SPARQL text, as - to read it from standard input, or pick a shipped
    one with --named. Queries run over the local knowledge base only: SERVICE and FROM are
    refused, and nothing is fetched from the network. A query that runs longer than
    --timeout or gives more rows than --limit is stopped with exit code 2.
    """
    from kb.exporters.rdf import build_rdf
    from kb.query import QueryError, QueryLimitExceeded, bounded_answer, named_queries, named_query

    if list_queries:
        queries = named_queries()
        width = max(len(name) for name in queries)
        for q in queries.values():
            click.echo(f"{q.name.ljust(width)}  {q.description}")
        return
    if (sparql is None) == (named is None):
        raise click.UsageError("give either a SPARQL query or --named NAME (see kb query --list)")
    base_iri = base_iri or DEFAULT_BASE_IRI
    try:
        text = named_query(named).text if named else sys.stdin.read() if sparql == "-" else sparql
        graph = build_rdf(open_kb(knowledge_base_root(None, root)), base_iri)
        answer = bounded_answer(graph, text, base_iri, fmt, timeout, row_limit)
    except QueryLimitExceeded as exc:
        raise QueryStopped(str(exc)) from None
    except QueryError as exc:
        raise click.BadParameter(str(exc), param_hint="--named" if named else "SPARQL") from None
    except ExportError as exc:
        raise click.BadParameter(str(exc), param_hint=exc.option) from None
    click.echo(answer.rstrip("\r\n"))
