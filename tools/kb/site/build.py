"""Building the site from Python: for tests and benchmarks that build a given knowledge base
with the project's mkdocs.yml (the same as ``mkdocs build --strict`` with another ``root``)."""

from __future__ import annotations

from pathlib import Path


def build_site(config_file: str | Path, site_dir: str | Path, root: str | Path | None = None,
               strict: bool = True) -> Path:
    """Build into ``site_dir``; ``root`` overrides the kb plugin's knowledge-base folder.

    Raises :class:`mkdocs.exceptions.PluginError` when the knowledge base has errors and
    :class:`mkdocs.exceptions.Abort` when a strict build logged a warning.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
    if root is not None:
        config.plugins["kb"].config.root = str(Path(root).resolve())
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return Path(site_dir)
