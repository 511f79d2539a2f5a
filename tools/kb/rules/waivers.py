"""Rules about waivers themselves (``unused-waiver`` is computed by the engine)."""

from __future__ import annotations

import difflib

from kb.model import KnowledgeBase
from kb.rules.registry import RULES, find_rule, finding, rule


@rule("KB060", "waiver-without-reason", "error", reads={"ids", "waivers"})
def waiver_without_reason(kb: KnowledgeBase):
    """
    What it checks:
    A waiver with no ``reason`` (or an empty one). Such a waiver accepts nothing.

    Why it matters:
    A waiver is a decision that a finding is acceptable; without the why, the next
    reviewer cannot tell a considered exception from a silenced error.

    Bad:
    ```yaml
    waivers:
      - rule: circular-definition
    ```

    Good:
    ```yaml
    waivers:
      - rule: circular-definition
        reason: The paper defines optimizer through search and search through optimization.
    ```
    """
    for entry in kb.entries():
        for waiver in entry.waivers:
            if not waiver.reason:
                yield finding(
                    "waiver-without-reason",
                    waiver.location,
                    f"the waiver of '{waiver.rule}' on {entry.kind} '{entry.id}' gives no reason",
                    "add `reason:` explaining why the finding is accepted",
                    (entry.kind, entry.id),
                )


@rule("KB061", "unknown-waiver", "error", reads={"ids", "waivers"})
def unknown_waiver(kb: KnowledgeBase):
    """
    What it checks:
    A waiver naming a rule that does not exist.

    Why it matters:
    A misspelled rule name waives nothing, so the finding it was meant for keeps failing
    (or, worse, the waiver outlives its purpose unnoticed).

    Bad:
    ```yaml
    waivers:
      - rule: circular-defintion
        reason: ...
    ```

    Good:
    ```yaml
    waivers:
      - rule: circular-definition
        reason: ...
    ```
    """
    for entry in kb.entries():
        for waiver in entry.waivers:
            if find_rule(waiver.rule) is None:
                close = difflib.get_close_matches(waiver.rule, list(RULES), n=1)
                yield finding(
                    "unknown-waiver",
                    waiver.location,
                    f"no rule is named '{waiver.rule}'",
                    f"did you mean '{close[0]}'?" if close else "see `kb rules` for the names",
                    (entry.kind, entry.id),
                )


@rule("KB062", "unused-waiver", "warning", reads={"ids", "waivers"})
def unused_waiver(kb: KnowledgeBase):
    """
    What it checks:
    A waiver (with a reason) that accepts no finding: the problem it was written for has
    gone. Only waivers of rules that ran are judged.

    Why it matters:
    Stale waivers would silently accept a future, different problem of the same rule on
    that entry.

    Bad:
    ```yaml
    # the term is no longer in any definitional loop
    waivers:
      - rule: circular-definition
        reason: ...
    ```

    Good:
    ```yaml
    # no waiver once the finding is gone
    ```
    """
    return ()  # The engine reports these after applying waivers (see kb.check).


@rule("KB063", "waiver-not-allowed", "error", waivable=False, reads={"ids", "waivers"})
def waiver_not_allowed(kb: KnowledgeBase):
    """
    What it checks:
    A waiver of a rule that cannot be waived: the loader's rules ``schema``,
    ``duplicate-key``, ``duplicate-id``, ``file-name``, ``yaml-syntax`` and ``stray-file``.
    The waiver accepts nothing; the finding it names is reported all the same.

    Why it matters:
    These problems mean the entry was not read as written (a value lost to a duplicate
    key, a field the schema does not know, a value of the wrong kind). Such an entry must
    never reach the site or the exports as if it were sound, so no waiver may hide it.

    Bad:
    ```yaml
    label: deployment
    label: deployment distribution
    waivers:
      - rule: duplicate-key
        reason: Both names are used.
    ```

    Good:
    ```yaml
    label: deployment
    aliases: [deployment distribution]
    ```
    """
    for entry in kb.entries():
        for waiver in entry.waivers:
            found = find_rule(waiver.rule)
            if found is not None and not found.waivable:
                yield finding(
                    "waiver-not-allowed",
                    waiver.location,
                    f"'{found.name}' cannot be waived: the loader could not read {entry.kind} "
                    f"'{entry.id}' as written, so the problem must be fixed",
                    "fix the problem the waiver was meant to accept, then remove the waiver",
                    (entry.kind, entry.id),
                )
