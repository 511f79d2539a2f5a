"""The ``kb`` command line: thin verbs over the library; the only module that knows the terminal.

Exit codes: 0 ok, 1 findings at or above ``--fail-on``, 2 usage or I/O error.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import click

import kb
from kb.cli_support import knowledge_base_root, open_kb, root_argument, root_option
from kb.config import ConfigError, severity_overrides, texts_folder
from kb.findings import SEVERITY_RANK
from kb.report import display_path, format_github, format_text, summary_line

EPILOG_CHECK = """\b
Examples:
  kb check                      check the knowledge base in this folder
  kb check --format json        findings as a JSON list, for machines
  kb check --select circular-definition,KB004
  kb check --fail-on warning    also fail on warnings (CI strictness)
"""


LAZY_COMMANDS = ("fmt", "diff", "export", "query")
"""Commands defined in other modules, imported only when named (or listed in the help):
``kb check`` runs on every commit and need not load them."""


def _lazy_command(name: str) -> click.Command:
    """The command ``name`` of :data:`LAZY_COMMANDS`, imported now."""
    if name == "fmt":
        from kb.fmt import fmt_command as command
    elif name == "diff":
        from kb.diff import diff_command as command
    elif name == "export":
        from kb.export_commands import export as command
    else:
        from kb.export_commands import query as command
    return command


class KbGroup(click.Group):
    def list_commands(self, ctx):
        # in the order they were added (most used first), then the lazily imported ones
        return [*self.commands, *(name for name in LAZY_COMMANDS if name not in self.commands)]

    def get_command(self, ctx, name):
        if name not in self.commands and name in LAZY_COMMANDS:
            self.add_command(_lazy_command(name), name)
        return super().get_command(ctx, name)


@click.group(cls=KbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(kb.__version__, prog_name="kb")
@click.option(
    "--quiet", "-q", is_flag=True, help="No progress on stderr (shown only at a terminal)."
)
def cli(quiet):
    """Check, explore, export and publish the Alignment Atlas knowledge base.

    The knowledge base is a folder holding terms/, arguments/ and sources/, one YAML entry
    per file. Every command takes that folder as --root DIR (default: the current folder);
    kb check, kb stats and kb export also take it as their argument ROOT.

    \b
    Start with:
      kb check          report every problem, with file:line:column
      kb rules          list the consistency rules; kb rules NAME explains one
      kb new term ID    write a commented template for a new entry
    """
    from kb.progress import set_quiet

    set_quiet(quiet)


def _split(values: tuple[str, ...]) -> list[str]:
    return [part for value in values for part in value.split(",") if part.strip()]


@cli.command(epilog=EPILOG_CHECK, short_help="Report every problem, with file:line:column.")
@root_argument
@root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for machines, github for workflow annotations.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="NAMES",
    help="Only these rules (names or codes, comma-separated).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="NAMES",
    help="Skip these rules (names or codes, comma-separated).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding at or above this severity remains.",
)
@click.option("--show-waived", is_flag=True, help="Also print findings accepted by a waiver.")
@click.option(
    "--texts",
    type=click.Path(exists=True, file_okay=False),
    metavar="DIR",
    help="Folder of the sources' archived texts; quotes are checked against it "
    "(default: [tool.kb] texts in pyproject.toml).",
)
@click.option(
    "--no-cache", is_flag=True, help="Read every file afresh, ignoring and not writing .kb-cache/."
)
def check(path, root, fmt, select, ignore, fail_on, show_waived, texts, no_cache):
    """Check the knowledge base and report every problem with its position.

    Each finding names the file, line and column, the rule's code and name, its severity,
    what is wrong and how to fix it. Findings accepted by a waiver in the entry are not
    counted (see them with --show-waived).
    """
    from kb.cache import cached_check

    root = knowledge_base_root(path, root)
    try:
        options = (_split(select), _split(ignore), severity_overrides(root))
        texts_dir = Path(texts) if texts else texts_folder(root)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    run = _rules_runner(options, Path(texts) if texts else None)
    key = (*options, str(texts_dir))
    inputs = [texts_dir] if texts_dir else []
    result = open_kb(root, lambda p: cached_check(p, run, key, inputs, use_cache=not no_cache))
    findings = result.findings
    if fmt == "json":
        click.echo(
            json.dumps(
                [f.as_dict() for f in findings if show_waived or not f.waived_by],
                indent=2,
                ensure_ascii=False,
            )
        )
    elif fmt == "github":
        out = format_github(findings, root)
        if out:
            click.echo(out)
        click.echo(summary_line(findings, result.files_read), err=True)
    else:
        click.echo(format_text(findings, root, result.files_read, show_waived))
    if fail_on != "never" and any(
        not f.waived_by and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in findings
    ):
        sys.exit(1)


def _rules_runner(options: tuple, texts: Path | None = None):
    """The check that ``kb check`` runs (the rules are imported only when the cache misses);
    ``texts`` is the folder of archived texts given with --texts."""

    def run(base, memo=None):
        from kb.rules import UnknownRule, run_rules

        if texts is not None:
            base.texts = texts
        try:
            return run_rules(base, *options, memo=memo)
        except UnknownRule as exc:
            raise click.BadParameter(
                f"no rule is named '{exc}' (see `kb rules`)", param_hint="--select/--ignore"
            ) from None

    return run


@cli.command(short_help="List the rules, or explain one.")
@click.argument("name", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def rules(name, fmt):
    """List the consistency rules, or explain one (by name or code).

    \b
    Examples:
      kb rules
      kb rules circular-definition
      kb rules KB020
    """
    from kb.rules import RULES, find_rule

    chosen = sorted(RULES.values(), key=lambda r: r.code)
    if name:
        found = find_rule(name)
        if found is None:
            import difflib

            close = difflib.get_close_matches(name, list(RULES), n=1)
            raise click.BadParameter(
                f"no rule is named '{name}'" + (f"; did you mean '{close[0]}'?" if close else ""),
                param_hint="NAME",
            )
        chosen = [found]
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "name": r.name,
                        "severity": r.severity,
                        "family": r.family,
                        "summary": r.summary,
                        "doc": r.doc,
                    }
                    for r in chosen
                ],
                indent=2,
            )
        )
    elif name:
        r = chosen[0]
        click.echo(f"{r.code} {r.name} (default severity: {r.severity})\n\n{_plain(r.doc)}")
    else:
        width = max(len(r.name) for r in chosen)
        for r in chosen:
            click.echo(f"{r.code}  {r.name.ljust(width)}  {r.severity:<7}  {_plain(r.summary)}")


def _plain(text: str) -> str:
    """A rule's documentation for the terminal: code in single backticks, as in Markdown
    (the docs are written with reST's double ones)."""
    return re.sub(r"``([^`\n]+)``", r"`\1`", text)


@cli.command(short_help="Write a commented template for a new entry.")
@click.argument("kind", type=click.Choice(["term", "claim", "source"]))
@click.argument("entry_id")
@root_option
@click.option(
    "--source",
    "source_id",
    default="todo-source",
    show_default=True,
    help="Source id to attribute the sense or claim to (kb check flags it until it exists).",
)
def new(kind, entry_id, root, source_id):
    """Write a commented template for a new entry (never overwrites a file).

    Its first line points editors at the entry's JSON Schema in the knowledge base's schemas
    folder (schemas/, or [tool.kb] schemas in pyproject.toml), written there when missing.

    \b
    Examples:
      kb new term reward-hacking
      kb new claim chess-engines-are-not-mesa-optimizers
      kb new source some-comment
      kb new claim my-objection --source my-comment
    """
    from kb.model import KIND_FOLDERS
    from kb.schema_files import relative_folder, schema_name, write_schemas
    from kb.templates import TemplateError, write_template

    root = knowledge_base_root(None, root)
    folder = _schemas_folder(root)
    schemas = relative_folder(folder, root / KIND_FOLDERS[kind])
    try:
        path = write_template(root, kind, entry_id, source_id, schemas)
    except TemplateError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(
        f"wrote {display_path(root, path.relative_to(root).as_posix())}: fill it in, then run kb check"
    )
    if not (folder / schema_name(kind)).is_file():
        _write_schemas(folder, write_schemas)


@cli.command(short_help="Write the entry files' JSON Schemas for editors.")
@root_option
def schema(root):
    """Write the JSON Schemas of term, claim and source files into the knowledge base's
    schemas folder (schemas/, or [tool.kb] schemas in pyproject.toml), where the first line
    of every entry kb new writes points editors; only missing or outdated files are written.
    """
    from kb.schema_files import write_schemas

    root = knowledge_base_root(None, root)
    folder = _schemas_folder(root)
    if not _write_schemas(folder, write_schemas):
        click.echo(f"the schemas in {os.path.relpath(folder)}{os.sep} are up to date")


def _schemas_folder(root: Path) -> Path:
    from kb.config import schemas_folder

    try:
        return schemas_folder(root)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


def _write_schemas(folder: Path, write_schemas) -> list[Path]:
    try:
        written = write_schemas(folder)
    except OSError as exc:
        raise click.FileError(str(folder), hint=exc.strerror or str(exc)) from None
    for path in written:
        click.echo(f"wrote {os.path.relpath(path)}: the JSON Schema editors check entries against")
    return written


@cli.command(short_help="Counts, most-used terms, deepest chains, contested terms.")
@root_argument
@root_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--top", default=10, show_default=True, help="How many rows in each list.")
def stats(path, root, fmt, top):
    """Counts per kind, most-used terms, deepest definitional chains, contested terms.

    \b
    Example:
      kb stats --format json
    """
    from kb.stats import compute_stats, format_stats

    result = compute_stats(open_kb(knowledge_base_root(path, root)), top)
    click.echo(
        json.dumps(result, indent=2, ensure_ascii=False) if fmt == "json" else format_stats(result)
    )


@cli.command(short_help="Write the site's pages and a builder config to a folder.")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--config",
    "config_file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The MkDocs config using the kb plugin.",
)
@root_option(default="the kb plugin's root in the config")
def site(out, config_file, root):
    """Write the site's pages, data and assets, with the hand-written pages of docs/ and a
    builder config (OUT/mkdocs.yml), so that Zensical or any MkDocs-compatible builder
    builds the site without the kb plugin. Needs the [site] extra and `npm ci`.

    \b
    Examples:
      kb site build/site-src && zensical build -f build/site-src/mkdocs.yml
      kb site build/site-src && mkdocs build -f build/site-src/mkdocs.yml
    """
    from kb.site.folder import write_site_folder
    from kb.site.generator import SiteError

    try:
        written = write_site_folder(config_file, out, root)
    except SiteError as exc:
        click.echo(f"kb: {exc}", err=True)
        sys.exit(1)
    except ModuleNotFoundError as exc:
        raise click.UsageError(
            f"kb site needs the site's libraries ({exc.name} is missing): "
            "pip install 'alignment-atlas-kb[site]' (in a checkout: pip install -e '.[site]')"
        ) from None
    click.echo(summary_line(written.site.findings, written.site.data.base.files_read), err=True)
    click.echo(
        f"wrote {written.pages} pages to {out / 'docs'} and the builder config {written.config}"
    )


def main(argv=None):
    """Console entry point: never a traceback for a user's mistake; exit 2 for internal errors.

    Run as a command (``argv`` None), it leaves without tearing the interpreter down: freeing
    a big knowledge base object by object took a tenth of a second at 10,000 entries, and
    nothing of ours waits for exit handlers (the cache is written before the command ends)."""
    try:
        cli.main(args=argv, prog_name="kb", standalone_mode=True)
    except SystemExit as done:
        if argv is not None:
            raise
        _leave(done.code)
    except BrokenPipeError:  # e.g. `kb check | head`
        sys.stderr.close()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("KB_DEBUG"):
            raise
        click.echo(
            f"kb: internal error: {type(exc).__name__}: {exc}\n"
            "    This is a bug in kb, not in your data; set KB_DEBUG=1 for the traceback.",
            err=True,
        )
        sys.exit(2)


def _leave(code: str | int | None) -> None:
    """``sys.exit(code)`` without the interpreter's teardown, once the output is flushed."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `kb check | head`: the reader left
        os._exit(0)
    if code is None or isinstance(code, int):
        os._exit(code or 0)
    sys.exit(code)  # a message for exit status 1: let Python print it
