"""The JSON Schemas of the entry files, where editors find them.

``kb new`` heads each template with ``# yaml-language-server: $schema=<path>``, a path relative
to the entry, so the schema is found wherever the knowledge base lives. The schemas are kept
in the knowledge base's schemas folder (:func:`kb.config.schemas_folder`: ``schemas/``, or
``[tool.kb] schemas``); ``kb schema`` writes the current ones there, and ``kb new`` writes
them when the folder has none yet. The site publishes the same files under ``schemas/``.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from kb.atomic import write_atomic

KINDS = ("term", "claim", "source")


def schema_name(kind: str) -> str:
    return f"{kind}.schema.json"


def packaged_schema(kind: str) -> str:
    """The schema of ``kind`` that this version of kb checks entries against."""
    return (resources.files("kb") / "schemas" / schema_name(kind)).read_text("utf-8")


def write_schemas(folder: Path) -> list[Path]:
    """Write every entry schema into ``folder`` where it is missing or differs; return the
    files written."""
    written = []
    for kind in KINDS:
        path = folder / schema_name(kind)
        text = packaged_schema(kind)
        if path.is_file() and path.read_text("utf-8") == text:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
        written.append(path)
    return written


def relative_folder(folder: Path, entry_folder: Path) -> str:
    """``folder`` as a path relative to ``entry_folder`` (forward slashes, for YAML)."""
    return Path(os.path.relpath(folder.resolve(), entry_folder.resolve())).as_posix()
