"""The rules reference: an index of every consistency rule and one page per rule, from the
rules' docstrings (our own text, so it is rendered as Markdown)."""

from __future__ import annotations

from kb.rules import RULES
from kb.rules.registry import DOC_HEADINGS, Rule
from kb.site.markup import Linker, join_blocks, rule_path, section


def render_rules_index() -> str:
    linker = Linker("rules/index.md")
    rows = ["| Code | Rule | Severity | What it checks |", "| --- | --- | --- | --- |"]
    for rule in sorted(RULES.values(), key=lambda r: r.code):
        rows.append(
            f"| {rule.code} | [{rule.name}]({linker.href(rule_path(rule.name))}) | "
            f"{rule.severity} | {rule.summary.replace('|', '&#124;')} |"
        )
    return join_blocks(
        "# Rules",
        "`kb check` and the site build apply these consistency rules. An error stops the "
        "build; a finding can be accepted on purpose with a waiver in the entry "
        "(see the [data model](../data-model.md)).",
        "\n".join(rows),
    )


# The example files of a rule page: for contributors reading the page, not for the site search
# (they hold file names and YAML, which a reader's search result should not show).
EXAMPLES = ("Bad", "Good")


def render_rule(rule: Rule) -> str:
    """The Markdown of ``rules/<name>.md``."""
    return join_blocks(
        f"# {rule.code} {rule.name}",
        f"**Severity:** {rule.severity} · **Family:** {rule.family} · "
        f"run only this rule with `kb check --select {rule.name}`",
        *(
            section(heading, rule.section(heading), indexed=heading not in EXAMPLES)
            for heading in DOC_HEADINGS
        ),
    )
