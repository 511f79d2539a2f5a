"""Consistency rules: the registry, and :func:`run_rules` which applies them with waivers.

Importing this package registers every rule module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from kb.findings import SEVERITIES, SEVERITY_RANK, Finding
from kb.model import KnowledgeBase, Location
from kb.rules import (  # noqa: F401
    arguments,
    definitions,
    hierarchy,
    loading,
    quotes,
    references,
    waivers,
)
from kb.rules.registry import RULES, WAIVER_FACETS, Rule, find_rule, finding

__all__ = ["RULES", "Rule", "RuleMemo", "RuleRecord", "UnknownRule", "find_rule", "run_rules"]


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


def _candidate_waivers(kb: KnowledgeBase, f: Finding):
    """``(entry, waiver)`` for every waiver with a reason, of ``f``'s rule, on its entries."""
    for kind, entry_id in ((f.entry,) if f.entry else ()) + f.related:
        entry = kb.entry(kind, entry_id)
        for waiver in entry.waivers if entry else ():
            if waiver.reason and find_rule(waiver.rule) is RULES[f.name]:
                yield entry, waiver


def _fits(f: Finding, waiver) -> bool:
    """A waiver of a group finding (a loop) must name exactly the group's members."""
    return not f.related or set(waiver.members) == {entry_id for _, entry_id in f.related}


def _drift_hint(f: Finding, entry, waiver) -> str:
    group = ", ".join(entry_id for _, entry_id in f.related)
    if not waiver.members:
        return (
            f"the waiver on {entry.kind} '{entry.id}' ({waiver.location}) does not say which group it accepts: "
            f"if its reason covers this group, add `members: [{group}]` to it"
        )
    return (
        f"the waiver on {entry.kind} '{entry.id}' ({waiver.location}) was written for the group "
        f"[{', '.join(waiver.members)}], but the group is now [{group}]: check that its reason still holds, "
        f"then update `members`"
    )


def _apply_waivers(kb: KnowledgeBase, f: Finding, used: set) -> Finding:
    """``f`` marked waived by a fitting waiver, or with a hint on a waiver that no longer fits."""
    if f.name in ("waiver-without-reason", "unknown-waiver") or not RULES[f.name].waivable:
        return f
    near_miss = None
    for entry, waiver in _candidate_waivers(kb, f):
        used.add((entry.kind, entry.id, waiver.location))
        if _fits(f, waiver):
            return replace(f, waived_by=waiver.reason)
        near_miss = near_miss or (entry, waiver)
    return replace(f, hint=_drift_hint(f, *near_miss)) if near_miss else f


def _unused_waivers(kb: KnowledgeBase, ran: set[str], used: set) -> list[Finding]:
    out = []
    for entry in kb.entries():
        for waiver in entry.waivers:
            rule = find_rule(waiver.rule)
            if (
                waiver.reason
                and rule
                and rule.waivable
                and rule.name in ran
                and (entry.kind, entry.id, waiver.location) not in used
            ):
                out.append(
                    finding(
                        "unused-waiver",
                        waiver.location,
                        f"the waiver of '{rule.name}' on {entry.kind} '{entry.id}' accepts no finding",
                        "remove the waiver: the finding it was written for is gone",
                        (entry.kind, entry.id),
                    )
                )
    return out


@dataclass(frozen=True)
class RuleRecord:
    """What one rule reported in a run, with waivers applied (severities as registered), and
    the waivers ``(kind, id, location)`` it used; for ``unused-waiver``, those it was
    computed from."""

    findings: tuple[Finding, ...]
    used: frozenset[tuple[str, str, Location]]


@dataclass
class RuleMemo:
    """What :func:`run_rules` may reuse from an earlier run over an earlier version of the
    knowledge base, and what it keeps of this one.

    ``changed`` names the facets (:data:`kb.rules.registry.FACETS`) in which the knowledge
    base differs from the one ``previous`` was computed on, with the same options; None when
    that is not known, and every rule runs. A rule that declares what it ``reads`` is not run
    when none of those facets changed (nor, for a waivable rule, the waivers): its record in
    ``previous`` stands. ``current`` receives every record of this run, run or reused, and
    ``ran`` the names of the rules that were run.
    """

    changed: frozenset[str] | None = None
    previous: dict[str, RuleRecord] = field(default_factory=dict)
    current: dict[str, RuleRecord] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)

    def reusable(self, rule: Rule) -> RuleRecord | None:
        """The record of ``rule`` from the earlier run, when nothing it reads has changed."""
        if self.changed is None or rule.reads is None:
            return None
        reads = rule.reads | WAIVER_FACETS if rule.waivable else rule.reads
        return None if reads & self.changed else self.previous.get(rule.name)


def _run_one(kb: KnowledgeBase, rule: Rule, memo: RuleMemo) -> RuleRecord:
    """The findings of ``rule`` with waivers applied: reused when ``memo`` allows, else run."""
    record = memo.reusable(rule)
    if record is None:
        used: set[tuple] = set()
        record = RuleRecord(
            tuple(_apply_waivers(kb, f, used) for f in rule.check(kb)), frozenset(used)
        )
        memo.ran.append(rule.name)
    memo.current[rule.name] = record
    return record


def _unused_record(kb: KnowledgeBase, chosen: set[str], used: set, memo: RuleMemo) -> RuleRecord:
    """``unused-waiver``'s findings: reused when the waivers and those used are as before."""
    rule = RULES["unused-waiver"]
    record = memo.reusable(rule)
    if record is None or record.used != used:
        record = RuleRecord(tuple(_unused_waivers(kb, chosen, used)), frozenset(used))
        memo.ran.append(rule.name)
    memo.current[rule.name] = record
    return record


def run_rules(
    kb: KnowledgeBase,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    severities: dict[str, str] | None = None,
    memo: RuleMemo | None = None,
) -> list[Finding]:
    """Run the selected rules over ``kb`` and return every finding, sorted by position.

    Waived findings are returned too, with ``waived_by`` set to the waiver's reason, so that
    a front-end can show or count them. ``severities`` overrides default severities by rule
    name. ``memo`` (given by :mod:`kb.cache`) holds the findings of an earlier run to reuse
    where nothing a rule reads has changed, and receives this run's. Raises
    :class:`UnknownRule` for an unknown name in any argument.
    """
    chosen = resolve_rules(select) if select else set(RULES)
    chosen -= resolve_rules(ignore)
    overrides = {
        (rule.name if (rule := find_rule(k)) else k): v for k, v in (severities or {}).items()
    }
    resolve_rules(overrides)
    memo = memo or RuleMemo()
    findings: list[Finding] = []
    used: set[tuple] = set()
    for rule in RULES.values():
        if rule.name not in chosen or rule.name == "unused-waiver":
            continue
        record = _run_one(kb, rule, memo)
        findings += record.findings
        used |= record.used
    if "unused-waiver" in chosen:
        findings += _unused_record(kb, chosen, used, memo).findings
    findings = [
        replace(f, severity=overrides[f.name]) if f.name in overrides else f for f in findings
    ]
    return sorted(findings, key=Finding.sort_key)


def worst(findings: Iterable[Finding]) -> str | None:
    """The highest severity among unwaived findings, or None."""
    ranks = [SEVERITY_RANK[f.severity] for f in findings if not f.waived_by]
    return SEVERITIES[::-1][max(ranks)] if ranks else None
