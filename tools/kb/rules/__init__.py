"""Consistency rules: the registry, and :func:`run_rules` which applies them with waivers.

Importing this package registers every rule module.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from kb.findings import SEVERITIES, SEVERITY_RANK, Finding
from kb.model import KnowledgeBase
from kb.rules import arguments, definitions, hierarchy, loading, references, waivers  # noqa: F401
from kb.rules.registry import RULES, Rule, find_rule, finding

__all__ = ["RULES", "Rule", "find_rule", "run_rules", "UnknownRule"]


class UnknownRule(ValueError):
    """A rule name or code given on the command line or in configuration does not exist."""


def resolve_rules(names: Iterable[str]) -> set[str]:
    """Rule names for names or codes; raises :class:`UnknownRule` naming the first unknown."""
    out = set()
    for name in names:
        found = find_rule(name.strip())
        if found is None:
            raise UnknownRule(name)
        out.add(found.name)
    return out


def _waiver_for(kb: KnowledgeBase, f: Finding):
    for kind, entry_id in ((f.entry,) if f.entry else ()) + f.related:
        entry = kb.entry(kind, entry_id)
        for waiver in entry.waivers if entry else ():
            if waiver.reason and find_rule(waiver.rule) is RULES[f.name]:
                return entry, waiver
    return None


def _unused_waivers(kb: KnowledgeBase, ran: set[str], used: set) -> list[Finding]:
    out = []
    for entry in kb.entries():
        for waiver in entry.waivers:
            rule = find_rule(waiver.rule)
            if waiver.reason and rule and rule.name in ran and (entry.kind, entry.id, waiver.location) not in used:
                out.append(finding("unused-waiver", waiver.location,
                                   f"the waiver of '{rule.name}' on {entry.kind} '{entry.id}' accepts no finding",
                                   "remove the waiver: the finding it was written for is gone", (entry.kind, entry.id)))
    return out


def run_rules(kb: KnowledgeBase, select: Iterable[str] = (), ignore: Iterable[str] = (),
              severities: dict[str, str] | None = None) -> list[Finding]:
    """Run the selected rules over ``kb`` and return every finding, sorted by position.

    Waived findings are returned too, with ``waived_by`` set to the waiver's reason, so that
    a front-end can show or count them. ``severities`` overrides default severities by rule
    name. Raises :class:`UnknownRule` for an unknown name in any argument.
    """
    chosen = resolve_rules(select) if select else set(RULES)
    chosen -= resolve_rules(ignore)
    overrides = {find_rule(k).name if find_rule(k) else k: v for k, v in (severities or {}).items()}
    resolve_rules(overrides)
    findings, used = [], set()
    for rule in RULES.values():
        if rule.name not in chosen or rule.name == "unused-waiver":
            continue
        for f in rule.check(kb):
            hit = _waiver_for(kb, f) if rule.name not in ("waiver-without-reason", "unknown-waiver") else None
            if hit:
                entry, waiver = hit
                used.add((entry.kind, entry.id, waiver.location))
                f = replace(f, waived_by=waiver.reason)
            findings.append(f)
    if "unused-waiver" in chosen:
        findings += _unused_waivers(kb, chosen, used)
    findings = [replace(f, severity=overrides[f.name]) if f.name in overrides else f for f in findings]
    return sorted(findings, key=Finding.sort_key)


def worst(findings: Iterable[Finding]) -> str | None:
    """The highest severity among unwaived findings, or None."""
    ranks = [SEVERITY_RANK[f.severity] for f in findings if not f.waived_by]
    return SEVERITIES[::-1][max(ranks)] if ranks else None
