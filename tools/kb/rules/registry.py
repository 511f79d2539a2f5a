"""The rule registry: every consistency rule with its stable code, name and severity.

A rule is a function ``check(kb) -> Iterable[Finding]`` registered with :func:`rule`. Its
docstring is its documentation, under the headings *What it checks*, *Why it matters*,
*Bad* and *Good*; ``kb rules NAME`` prints it and the site renders it. Codes are never
reused: a removed rule keeps its code and doc.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kb.findings import SEVERITIES, Finding
from kb.model import KnowledgeBase, Location

DOC_HEADINGS = ("What it checks", "Why it matters", "Bad", "Good")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    check: Callable[[KnowledgeBase], Iterable[Finding]]
    family: str
    waivable: bool = True  # False: a waiver never accepts its findings (the loader's rules)

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        """The first paragraph of the *What it checks* section, on one line."""
        section = self.section("What it checks")
        return " ".join(section.split("\n\n", 1)[0].split())

    def section(self, heading: str) -> str:
        """The text under one ``Heading:`` of the doc (empty when absent)."""
        lines = self.doc.splitlines()
        out, inside = [], False
        for line in lines:
            if line.rstrip(":") in DOC_HEADINGS and line.endswith(":"):
                inside = line.rstrip(":") == heading
                continue
            if inside:
                out.append(line)
        return inspect.cleandoc("\n".join(out))


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: str, waivable: bool = True):
    """Register ``check`` as rule ``name`` with a stable ``code`` and default ``severity``;
    ``waivable=False`` for problems no waiver may accept."""
    assert severity in SEVERITIES, severity

    def register(check):
        if name in RULES or any(r.code == code for r in RULES.values()):
            raise ValueError(f"rule {code} {name} registered twice")
        family = check.__module__.rsplit(".", 1)[-1]
        RULES[name] = Rule(code, name, severity, check, family, waivable)
        return check

    return register


def finding(
    name: str,
    location: Location,
    message: str,
    hint: str | None = None,
    entry: tuple[str, str] | None = None,
    related: tuple = (),
) -> Finding:
    """A finding of the registered rule ``name``, with its code and default severity."""
    r = RULES[name]
    return Finding(r.code, r.name, r.severity, location, message, hint, entry, tuple(related))


def find_rule(name_or_code: str) -> Rule | None:
    """Look a rule up by name (``circular-definition``) or code (``KB020``, any case)."""
    if name_or_code in RULES:
        return RULES[name_or_code]
    upper = name_or_code.upper()
    return next((r for r in RULES.values() if r.code == upper), None)
