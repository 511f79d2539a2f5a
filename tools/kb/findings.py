"""Findings: what a rule (or the loader) reports about one place in the data."""

from __future__ import annotations

from dataclasses import dataclass

from kb.model import Location

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Finding:
    """One problem at one position.

    ``entry`` names the entry the finding belongs to as ``(kind, id)``, so that a waiver on
    that entry can accept it; ``related`` lists further entries whose waivers also count
    (a circular definition may be waived on any term of its group).
    """

    code: str
    name: str
    severity: str
    location: Location
    message: str
    hint: str | None = None
    entry: tuple[str, str] | None = None
    related: tuple[tuple[str, str], ...] = ()
    waived_by: str | None = None

    def sort_key(self) -> tuple:
        return (
            self.location.path,
            self.location.line,
            self.location.column,
            self.code,
            self.message,
        )

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "message": self.message,
            "hint": self.hint,
            "entry": f"{self.entry[0]}:{self.entry[1]}" if self.entry else None,
            "waived": self.waived_by,
        }
