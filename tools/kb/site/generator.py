"""One generator for the whole site, for any builder.

:func:`generate` returns everything the site needs besides the hand-written pages of docs/:
the generated pages (Markdown), the JSON data the pages' scripts fetch, the static files
(our scripts and styles, the third-party libraries served from the site itself, the JSON
Schemas, the exports), the scripts and styles every page loads, and which pages stay out of
the navigation. Two adapters hand it to a builder:

* :mod:`kb.site.plugin`, the MkDocs plugin, in memory (``mkdocs build`` / ``mkdocs serve``);
* :mod:`kb.site.folder` (``kb site``), which writes it to a folder with a builder config, for
  Zensical or any other builder that reads ``mkdocs.yml``.

Nothing here imports MkDocs. Failures are :class:`SiteError`, which each adapter reports in
its own way.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import kb
from kb import progress
from kb.findings import SEVERITY_RANK, Finding
from kb.site.context import SiteData
from kb.site.graph_data import graph_json, previews_json
from kb.site.home import fill_markers
from kb.site.pages import render_pages

log = logging.getLogger("mkdocs.plugins.kb")

DATA_FOLDERS = ("terms", "arguments", "sources")
ASSETS = "assets/kb"  # where the site's own scripts, styles and data live

# -- the asset list: edit here ----------------------------------------------------------------
# Every file of tools/kb/site/assets/ is served under assets/kb/. These load on every page, in
# this order (the others are loaded by these scripts where a page needs them):
PAGE_SCRIPTS = ["kb.js", "graph.js"]
PAGE_STYLES = ["kb.css", "argmap.css"]
# Third-party files served from the site itself (no CDN): name under assets/kb/ → its path in
# node_modules/ (package.json pins the version, `npm ci` installs it). graph.js loads
# cytoscape on the graph explorer's page only.
VENDORED: dict[str, str] = {
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
}
# JSON fetched by the pages' scripts: name under assets/kb/ → what computes it.
DATA_FILES: dict[str, Callable[[SiteData], object]] = {
    "graph.json": graph_json,
    "previews.json": previews_json,
}
# -----------------------------------------------------------------------------------------------


class SiteError(Exception):
    """The site cannot be generated: the knowledge base has blocking problems, or a file the
    site serves is missing. The message says what to do."""


@dataclass(frozen=True)
class SiteSettings:
    """The site's settings (the MkDocs plugin's options); paths relative to ``base``, the
    folder of the builder config."""

    root: str = "."  # the knowledge-base folder
    edit_url: str = ""  # "edit this entry" URL template with {path}; empty: no link
    node_modules: str = "node_modules"  # npm packages (`npm ci`)
    contributing: str = "CONTRIBUTING.md"  # shown as the contributing page
    fail_on: str = "error"  # the lowest severity that stops the build
    base: Path = Path(".")

    def path(self, value: str) -> Path:
        return (self.base / value).resolve()


@dataclass
class GeneratedSite:
    data: SiteData
    findings: list[Finding] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # docs path -> Markdown
    texts: dict[str, str] = field(default_factory=dict)  # site path -> text (JSON data)
    files: dict[str, Path] = field(default_factory=dict)  # site path -> file on disk
    extra_css: list[str] = field(default_factory=list)  # site paths, loaded by every page
    extra_javascript: list[str] = field(default_factory=list)
    unlisted: set[str] = field(default_factory=set)  # pages reached by links, not the nav
    entries: dict[str, str] = field(default_factory=dict)  # docs path -> YAML file (from root)

    def handwritten(self, markdown: str, page: str) -> str:
        """A hand-written docs page (``page``: its docs path) with its live figures filled in."""
        return fill_markers(markdown, self.data, page)

    def edit_link(self, page: str) -> str | None:
        """The "edit this entry" URL of a generated entry page (None: no link)."""
        entry_file = self.entries.get(page)
        return self.data.edit_link(entry_file) if entry_file else None


def generate(settings: SiteSettings, scratch: Path) -> GeneratedSite:
    """Load and check the knowledge base, then generate the site; exports are written into
    ``scratch``, which must outlive the build. Raises :class:`SiteError`."""
    root = settings.path(settings.root)
    base, findings = load_checked(root, settings.fail_on)
    site = GeneratedSite(SiteData(base, edit_url=settings.edit_url or None), findings)
    contributing = settings.path(settings.contributing)
    with progress.task("generating the site's pages"):
        text = contributing.read_text("utf-8") if contributing.is_file() else None
        render_pages(site, text, scratch)
        site.texts.update(
            {
                f"{ASSETS}/{name}": json.dumps(compute(site.data), ensure_ascii=False)
                for name, compute in DATA_FILES.items()
            }
        )
    site.files.update(static_files(settings.path(settings.node_modules)))
    site.extra_javascript = [f"{ASSETS}/{name}" for name in PAGE_SCRIPTS]
    site.extra_css = [f"{ASSETS}/{name}" for name in PAGE_STYLES]
    return site


def load_checked(root: Path, fail_on: str = "error") -> tuple[kb.KnowledgeBase, list[Finding]]:
    """Load and check the knowledge base like ``kb check``; raise :class:`SiteError` with the
    same report as ``kb check`` when a finding at or above ``fail_on`` remains."""
    from kb.config import ConfigError, severity_overrides
    from kb.report import format_text
    from kb.rules import run_rules

    try:
        base = kb.load(root)
        findings = run_rules(base, severities=severity_overrides(root))
    except (kb.NotAKnowledgeBase, ConfigError) as exc:
        raise SiteError(str(exc)) from None
    # A loader finding (an entry not read as written) stops the build whatever its severity.
    if base.load_findings or any(
        not f.waived_by and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in findings
    ):
        raise SiteError(
            "the knowledge base has problems; the site is not built.\n"
            + format_text(findings, root, base.files_read, show_waived=False)
        )
    return base, findings


def static_files(node_modules: Path) -> dict[str, Path]:
    """Site path → file on disk: our scripts and styles, the vendored libraries, the JSON
    Schemas of the entry files."""
    assets = resources.files("kb.site") / "assets"
    out = {f"{ASSETS}/{item.name}": Path(str(item)) for item in assets.iterdir() if item.is_file()}
    for name, path in VENDORED.items():
        out[f"{ASSETS}/{name}"] = npm_file(path, node_modules)
    schemas = resources.files("kb") / "schemas"
    out.update(
        {
            f"schemas/{item.name}": Path(str(item))
            for item in schemas.iterdir()
            if item.name.endswith(".json")
        }
    )
    return out


def npm_file(path: str, node_modules: Path) -> Path:
    found = node_modules / path
    if not found.is_file():
        raise SiteError(
            f"{found} is missing: install the site's npm packages with `npm ci` "
            "(package.json pins them), or set the kb plugin's `node_modules` option"
        )
    return found
