"""The MkDocs plugin ``kb``: a thin adapter that hands :func:`kb.site.generator.generate`'s
pages, data and assets to MkDocs in memory (MkDocs 1.6 ``File.generated``); nothing is written
into the source tree. ``mkdocs serve`` rebuilds when a YAML entry changes.

Configuration (``plugins: - kb: {...}`` in mkdocs.yml), every path relative to mkdocs.yml:

``root``
    the knowledge-base folder (holding terms/, arguments/, sources/); default: mkdocs.yml's.
``edit_url``
    an "edit this entry" URL template with ``{path}`` (the YAML file, relative to the root),
    e.g. ``https://example.org/repo/edit/main/{path}``. Empty (the default): no edit link.
``node_modules``
    the npm packages the site serves scripts from (``npm ci`` installs them); default
    ``node_modules``.
``contributing``
    the Markdown file shown as the contributing page; default ``CONTRIBUTING.md``.
``fail_on``
    the lowest severity that stops the build (error, warning, info); default ``error``.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import fields
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from kb import progress
from kb.report import summary_line
from kb.site.generator import DATA_FOLDERS, GeneratedSite, SiteError, SiteSettings, generate

log = logging.getLogger("mkdocs.plugins.kb")
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "tables", "admonition", "pymdownx.superfences")
DEFAULTS = SiteSettings()


class KnowledgeBasePluginConfig(Config):
    root = opt.Type(str, default=DEFAULTS.root)
    edit_url = opt.Type(str, default=DEFAULTS.edit_url)
    node_modules = opt.Type(str, default=DEFAULTS.node_modules)
    contributing = opt.Type(str, default=DEFAULTS.contributing)
    fail_on = opt.Choice(("error", "warning", "info"), default=DEFAULTS.fail_on)


class KnowledgeBasePlugin(BasePlugin[KnowledgeBasePluginConfig]):
    def __init__(self):
        self.site: GeneratedSite | None = None
        self._tmp: str | None = None

    def settings(self, config) -> SiteSettings:
        base = Path(config.config_file_path or ".").resolve().parent
        options = {f.name: self.config[f.name] for f in fields(SiteSettings) if f.name != "base"}
        return SiteSettings(**options, base=base)

    def on_config(self, config):
        missing = [e for e in REQUIRED_EXTENSIONS if e not in config.markdown_extensions]
        if missing:
            raise PluginError(
                f"kb: mkdocs.yml must enable the Markdown extensions {', '.join(missing)}"
            )
        self._tmp = tempfile.mkdtemp(prefix="kb-site-")
        progress.set_quiet(not log.isEnabledFor(logging.INFO))  # mkdocs build --quiet
        try:
            self.site = generate(self.settings(config), Path(self._tmp))
        except SiteError as exc:
            self._clean()
            raise PluginError(f"kb: {exc}") from None
        log.info("kb: %s", summary_line(self.site.findings, self.site.data.base.files_read))
        config.extra_javascript.extend(self.site.extra_javascript)
        config.extra_css.extend(self.site.extra_css)
        return config

    def on_files(self, files: Files, *, config) -> Files:
        site = self.site
        for path, content in site.pages.items():
            inclusion = (
                InclusionLevel.NOT_IN_NAV if path in site.unlisted else InclusionLevel.UNDEFINED
            )
            self._add(files, config, path, content=content, inclusion=inclusion)
        for path, text in site.texts.items():
            self._add(files, config, path, content=text)
        for path, source in site.files.items():
            self._add(files, config, path, abs_src_path=str(source))
        return files

    def _add(self, files: Files, config, path: str, **source) -> None:
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"kb: docs/{path} would hide a generated page; remove or rename it")
        files.append(File.generated(config, path, **source))

    def on_page_markdown(self, markdown, *, page, config, files):
        """Point "edit this page" at the entry's YAML file (or nowhere) on generated pages;
        fill the live figures of hand-written pages."""
        if page.file.generated_by:
            page.edit_url = self.site.edit_link(page.file.src_uri)
            return markdown
        return self.site.handwritten(markdown, page.file.src_uri)

    def on_post_build(self, *, config):
        self._clean()

    def on_build_error(self, *, error):
        self._clean()

    def _clean(self) -> None:
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def on_serve(self, server, *, config, builder):
        """Rebuild when a YAML entry (or the contributing guide) changes."""
        settings = self.settings(config)
        root = settings.path(settings.root)
        for folder in DATA_FOLDERS:
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        contributing = settings.path(settings.contributing)
        if contributing.is_file():
            server.watch(str(contributing))
        return server
