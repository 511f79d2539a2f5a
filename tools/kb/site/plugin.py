"""The MkDocs plugin ``kb``: loads the knowledge base, fails the build on its errors, and
generates every page in memory (MkDocs 1.6 ``File.generated``); nothing is written into the
source tree.

Configuration (``plugins: - kb: {...}`` in mkdocs.yml), every path relative to mkdocs.yml:

``root``
    the knowledge-base folder (holding terms/, arguments/, sources/); default: mkdocs.yml's.
``edit_url``
    an "edit this entry" URL template with ``{path}`` (the YAML file, relative to the root),
    e.g. ``https://example.org/repo/edit/main/{path}``. Empty (the default): no edit link.
``mermaid``
    the Mermaid script served with the site, which kb.js loads on the pages that draw a
    diagram (claim pages); default: the npm package's ``node_modules/mermaid/dist/mermaid.min.js``.
``contributing``
    the Markdown file shown as the contributing page; default ``CONTRIBUTING.md``.
``fail_on``
    the lowest severity that stops the build (error, warning, info); default ``error``.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

import kb
from kb.findings import SEVERITY_RANK
from kb.site import pages
from kb.site.context import SiteData
from kb.site.home import fill_markers

log = logging.getLogger("mkdocs.plugins.kb")
DATA_FOLDERS = ("terms", "arguments", "sources")
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "tables", "admonition", "pymdownx.superfences")
ASSETS = "assets/kb"


class KnowledgeBasePluginConfig(Config):
    root = opt.Type(str, default="")
    edit_url = opt.Type(str, default="")
    mermaid = opt.Type(str, default="node_modules/mermaid/dist/mermaid.min.js")
    contributing = opt.Type(str, default="CONTRIBUTING.md")
    fail_on = opt.Choice(("error", "warning", "info"), default="error")


class KnowledgeBasePlugin(BasePlugin[KnowledgeBasePluginConfig]):
    def __init__(self):
        self.data: SiteData | None = None
        self.edit_paths: dict[str, str] = {}
        self._tmp: str | None = None

    # -- configuration ---------------------------------------------------------------------

    def _here(self, config) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def _path(self, config, value: str) -> Path:
        return (self._here(config) / value).resolve()

    def on_config(self, config):
        missing = [e for e in REQUIRED_EXTENSIONS if e not in config.markdown_extensions]
        if missing:
            raise PluginError(f"kb: mkdocs.yml must enable the Markdown extensions {', '.join(missing)}")
        mermaid = self._path(config, self.config.mermaid)
        if not mermaid.is_file():
            raise PluginError(f"kb: the Mermaid script {mermaid} is missing; install it with "
                              "`npm ci` (package.json pins mermaid) or set the plugin's `mermaid` option")
        root = self._path(config, self.config.root)
        base = load_checked(root, self.config.fail_on)
        self.data = SiteData(base, edit_url=self.config.edit_url or None)
        # Not mermaid.min.js: kb.js loads it on the pages that draw a diagram.
        for name in ("kb.js", "graph.js"):
            config.extra_javascript.append(f"{ASSETS}/{name}")
        config.extra_css.append(f"{ASSETS}/kb.css")
        return config

    # -- pages -----------------------------------------------------------------------------

    def on_files(self, files: Files, *, config) -> Files:
        data = self.data
        self._tmp = tempfile.mkdtemp(prefix="kb-site-")
        generated = pages.all_pages(data, self._contributing(config), Path(self._tmp))
        for path, content in generated.pages.items():
            self._add(files, config, path, content=content,
                      inclusion=InclusionLevel.NOT_IN_NAV if path in generated.unlisted else
                      InclusionLevel.UNDEFINED)
        self.edit_paths = generated.entries
        for path, source in self._static_files(config, generated.files).items():
            self._add(files, config, path, abs_src_path=str(source))
        self._add(files, config, f"{ASSETS}/graph.json",
                  content=json.dumps(pages.graph_json(data), ensure_ascii=False))
        self._add(files, config, f"{ASSETS}/previews.json",
                  content=json.dumps(pages.previews_json(data), ensure_ascii=False))
        return files

    def _add(self, files: Files, config, path: str, **source) -> None:
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"kb: docs/{path} would hide a generated page; remove or rename it")
        files.append(File.generated(config, path, **source))

    def _static_files(self, config, exports: dict[str, Path]) -> dict[str, Path]:
        """Site path → file on disk: our scripts and styles, vis-network, Mermaid, the JSON
        Schemas and the exports."""
        assets = resources.files("kb.site") / "assets"
        out = {f"{ASSETS}/{item.name}": Path(str(item)) for item in assets.iterdir() if item.is_file()}
        out[f"{ASSETS}/mermaid.min.js"] = self._path(config, self.config.mermaid)
        out.update({f"{ASSETS}/{name}": path for name, path in vis_network_files().items()})
        schemas = resources.files("kb") / "schemas"
        out.update({f"schemas/{item.name}": Path(str(item)) for item in schemas.iterdir()
                    if item.name.endswith(".json")})
        out.update(exports)
        return out

    def _contributing(self, config) -> str | None:
        path = self._path(config, self.config.contributing)
        return path.read_text("utf-8") if path.is_file() else None

    def on_page_markdown(self, markdown, *, page, config, files):
        """Point "edit this page" at the entry's YAML file (or nowhere) on generated pages;
        fill the live-figure markers (kb.site.home) of hand-written pages."""
        entry_file = self.edit_paths.get(page.file.src_uri)
        if entry_file is not None:
            page.edit_url = self.data.edit_link(entry_file)
        elif page.file.generated_by:
            page.edit_url = None
        else:
            markdown = fill_markers(markdown, self.data, page.file.src_uri)
        return markdown

    def on_post_build(self, *, config):
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    # -- live preview ----------------------------------------------------------------------

    def on_serve(self, server, *, config, builder):
        """Rebuild when a YAML entry (or the contributing guide) changes."""
        root = self._path(config, self.config.root)
        for folder in DATA_FOLDERS:
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        contributing = self._path(config, self.config.contributing)
        if contributing.is_file():
            server.watch(str(contributing))
        return server


def load_checked(root: Path, fail_on: str = "error") -> kb.KnowledgeBase:
    """Load and check the knowledge base like ``kb check``; raise :class:`PluginError` with
    the same positioned messages when a finding at or above ``fail_on`` remains."""
    from kb.config import ConfigError, severity_overrides
    from kb.report import format_text
    from kb.rules import run_rules

    try:
        base = kb.load(root)
        findings = run_rules(base, severities=severity_overrides(root))
    except (kb.NotAKnowledgeBase, ConfigError) as exc:
        raise PluginError(f"kb: {exc}") from None
    blocking = [f for f in findings
                if not f.waived_by and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on]]
    if blocking:
        raise PluginError("kb: the knowledge base has problems; the site is not built.\n"
                          + format_text(blocking, root, base.files_read, show_waived=False))
    return base


def vis_network_files() -> dict[str, Path]:
    """vis-network's script and style, from the newest copy the ``pyvis`` package ships."""
    import pyvis

    folders = sorted((Path(pyvis.__file__).parent / "lib").glob("vis-*/vis-network.min.js"),
                     key=lambda p: tuple(int(n) for n in p.parent.name[4:].split(".") if n.isdigit()))
    if not folders:
        raise PluginError("kb: pyvis ships no vis-network script; reinstall the kb package")
    folder = folders[-1].parent
    return {"vis-network.min.js": folder / "vis-network.min.js",
            "vis-network.css": folder / "vis-network.css"}
