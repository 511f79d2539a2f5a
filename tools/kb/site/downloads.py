"""The downloads page: every export format of :mod:`kb.exporters`, written for the site.

The exporters are another part of the package; until they exist the page says so. A format
that writes a folder (CSV's ``nodes.csv`` + ``edges.csv``) is offered as a zip archive.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from kb.model import KnowledgeBase
from kb.site.markup import Linker, bullet_list, escape, join_blocks, section

log = logging.getLogger("mkdocs.plugins.kb")
DOWNLOADS = "downloads"
SCHEMAS = ("term", "claim", "source")


@dataclass(frozen=True)
class Download:
    name: str  # the format's name in FORMATS
    file: str  # path in the site, e.g. downloads/alignment-atlas.ttl
    description: str
    path: Path  # the written file on disk


def export_formats() -> dict:
    """``kb.exporters.FORMATS``, or an empty dict while the exporters are not installed."""
    try:
        from kb.exporters import FORMATS
    except ImportError:
        return {}
    return dict(FORMATS)


def write_downloads(base: KnowledgeBase, formats: dict, folder: Path) -> list[Download]:
    """Export ``base`` in every format into ``folder``; a failing exporter is logged and left
    out (a warning, so ``mkdocs build --strict`` still fails on it)."""
    from kb.exporters import write_export

    out = []
    for name, exporter in sorted(formats.items()):
        target = folder / (
            f"alignment-atlas-{name}"
            if getattr(exporter, "folder", False)
            else f"alignment-atlas{_suffix(exporter)}"
        )
        try:
            written = Path(write_export(base, name, target) or target)
        except Exception as exc:
            log.warning("kb: the %s export failed: %s", name, exc)
            continue
        if written.is_dir():
            written = Path(shutil.make_archive(str(written), "zip", root_dir=written))
        out.append(Download(name, f"{DOWNLOADS}/{written.name}", _describe(exporter), written))
    return out


def _suffix(exporter) -> str:
    ext = getattr(exporter, "extension", None) or getattr(exporter, "suffix", None) or ""
    return ext if not ext or ext.startswith(".") else f".{ext}"


def _describe(exporter) -> str:
    text = getattr(exporter, "description", None) or (exporter.__doc__ or "")
    return " ".join(text.strip().split("\n\n", 1)[0].split())


def render_downloads(downloads: list[Download]) -> str:
    linker = Linker("downloads.md")
    items = [
        f"[{escape(d.file.rsplit('/', 1)[-1])}]({linker.href(d.file)}) "
        f"({escape(d.name)}){': ' + escape(d.description) if d.description else ''}"
        for d in downloads
    ]
    schemas = [
        f"[{kind}.schema.json]({linker.href(f'schemas/{kind}.schema.json')})" for kind in SCHEMAS
    ]
    return join_blocks(
        "# Downloads",
        "The whole knowledge base, exported at the time this site was built.",
        section("Exports", bullet_list(items, "No export formats are available in this build.")),
        section("JSON Schemas of the entry files", bullet_list(schemas)),
    )
