"""Building the site from Python: for tests and benchmarks that build a given knowledge base
with the project's mkdocs.yml (the same as ``mkdocs build --strict`` with another ``root``)."""

from __future__ import annotations

from pathlib import Path


def build_site(
    config_file: str | Path,
    site_dir: str | Path,
    root: str | Path | None = None,
    strict: bool = True,
    site_url: str | None = None,
) -> Path:
    """Build into ``site_dir``; ``root`` overrides the kb plugin's knowledge-base folder and
    ``site_url`` the address the site is served at (Material's instant navigation only
    follows links to pages listed, under that address, in the sitemap).

    Raises :class:`mkdocs.exceptions.PluginError` when the knowledge base has errors and
    :class:`mkdocs.exceptions.Abort` when a strict build logged a warning.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    overrides = {"site_url": site_url} if site_url else {}
    config = load_config(str(config_file), site_dir=str(site_dir), strict=strict, **overrides)
    if root is not None:
        config.plugins["kb"].config.root = str(Path(root).resolve())
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return Path(site_dir)
