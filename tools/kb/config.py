"""Repository configuration of ``kb``: the ``[tool.kb]`` table of pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kb.findings import SEVERITY_RANK


class ConfigError(ValueError):
    """pyproject.toml cannot be read, or ``[tool.kb]`` holds a value kb does not accept."""


def severity_overrides(root: Path) -> dict[str, str]:
    """``[tool.kb] severity = {rule = "error"}`` from pyproject.toml at the root, if any."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        config = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read [tool.kb]: {exc}") from None
    table = config.get("tool", {}).get("kb", {}).get("severity", {})
    bad = {k: v for k, v in table.items() if v not in SEVERITY_RANK}
    if bad:
        raise ConfigError(
            f"{path}: [tool.kb] severity values must be error, warning or info: {bad}"
        )
    return dict(table)
