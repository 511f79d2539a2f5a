"""Findings as people and machines read them: ruff-style text, GitHub annotations, a summary.

Pure functions shared by ``kb check`` and the site plugin, so both print the same messages.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kb.findings import Finding


def display_path(root: Path, rel: str) -> str:
    """A data file's path as the user can open it: relative to the current folder."""
    full = root / rel
    try:
        return os.path.relpath(full)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(full)


def format_text(findings: list[Finding], root: Path, files: int, show_waived: bool) -> str:
    lines = []
    for f in findings:
        if f.waived_by and not show_waived:
            continue
        where = f"{display_path(root, f.location.path)}:{f.location.line}:{f.location.column}"
        waived = " (waived)" if f.waived_by else ""
        lines.append(f"{where}: {f.code} {f.name} [{f.severity}]{waived} {_visible(f.message)}")
        if f.hint:
            lines.append(f"    hint: {_visible(f.hint)}")
        if f.waived_by:
            lines.append(f"    waiver: {_visible(f.waived_by)}")
    lines.append(summary_line(findings, files))
    return "\n".join(lines)


def _visible(text: str) -> str:
    """One line with every control character written as ``\\xNN``: a message quotes what a
    contributor wrote, and a line break or ``ESC`` in it must not forge or recolour lines."""
    return re.sub("[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", text)


def summary_line(findings: list[Finding], files: int) -> str:
    active = [f for f in findings if not f.waived_by]
    counts = {
        sev: sum(1 for f in active if f.severity == sev) for sev in ("error", "warning", "info")
    }
    waived = len(findings) - len(active)
    parts = [f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in counts.items()]
    tail = f", {waived} waived" if waived else ""
    if not active:
        return f"All checks passed: {files} files{tail}."
    return f"Found {', '.join(parts)}{tail} in {files} files."


def _annotation_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property_escape(text: str) -> str:
    return _annotation_escape(text).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: list[Finding], root: Path) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for f in findings:
        if f.waived_by:
            continue
        path = _property_escape(display_path(root, f.location.path))
        title = _property_escape(f"{f.code} {f.name}")
        text = f.message + (f" (hint: {f.hint})" if f.hint else "")
        lines.append(
            f"::{level[f.severity]} file={path},line={f.location.line},col={f.location.column},"
            f"title={title}::{_annotation_escape(text)}"
        )
    return "\n".join(lines)
