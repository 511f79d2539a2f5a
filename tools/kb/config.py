"""Repository configuration of ``kb``: the ``[tool.kb]`` table of pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kb.findings import SEVERITY_RANK


class ConfigError(ValueError):
    """pyproject.toml cannot be read, or ``[tool.kb]`` holds a value kb does not accept."""


def tool_kb(root: Path) -> dict:
    """The ``[tool.kb]`` table of pyproject.toml at the root (empty when there is none)."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        config = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read [tool.kb]: {exc}") from None
    return config.get("tool", {}).get("kb", {})


def severity_overrides(root: Path) -> dict[str, str]:
    """``[tool.kb] severity = {rule = "error"}`` from pyproject.toml at the root, if any."""
    path = root / "pyproject.toml"
    table = tool_kb(root).get("severity", {})
    bad = {k: v for k, v in table.items() if v not in SEVERITY_RANK}
    if bad:
        raise ConfigError(
            f"{path}: [tool.kb] severity values must be error, warning or info: {bad}"
        )
    return dict(table)


def schemas_folder(root: Path) -> Path:
    """Where the entry files' JSON Schemas live for editors: ``[tool.kb] schemas`` (a folder
    relative to the root), by default ``schemas/``."""
    value = tool_kb(root).get("schemas", "schemas")
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{root / 'pyproject.toml'}: [tool.kb] schemas must be a folder path")
    return root / value


def texts_folder(root: Path) -> Path | None:
    """``[tool.kb] texts``: the folder of the sources' archived texts, relative to the root
    (``kb check --texts DIR`` overrides it); None when it is not set."""
    value = tool_kb(root).get("texts")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{root / 'pyproject.toml'}: [tool.kb] texts must be a folder path")
    return root / value
