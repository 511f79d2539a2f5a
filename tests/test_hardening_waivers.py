"""Class 2 of issue 11 (and the loader half of class 1): no waiver silences the loader, and
no entry with a loader finding reaches the site, whatever the waivers or severities say."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import kb
from kb.cli import cli
from kb.rules import RULES, run_rules
from kb.site.generator import SiteError, load_checked
from tests.helpers import term_yaml, write_kb

LOADER_RULES = ["schema", "duplicate-key", "duplicate-id", "file-name", "yaml-syntax", "stray-file"]

# One entry for each loader rule: the problem, and a waiver of that rule on the same entry.
PROBLEMS = {
    "schema": term_yaml("alpha", extra="colour: blue\n"),
    "duplicate-key": term_yaml("alpha", extra="label: again\n"),
    "duplicate-id": term_yaml("alpha")
    + "  - id: main\n    definition: Again.\n    uses: []\n    source: paper\n",
    "file-name": term_yaml("alpha").replace("id: alpha", "id: beta", 1),
    "yaml-syntax": term_yaml("alpha", extra="note: !!int many\n"),
}


def test_loader_rules_are_not_waivable_and_the_rest_are():
    assert sorted(n for n, r in RULES.items() if not r.waivable) == sorted(
        [*LOADER_RULES, "waiver-not-allowed"]
    )


@pytest.mark.parametrize("rule", sorted(PROBLEMS))
@pytest.mark.parametrize("spelling", ["name", "code"])
def test_a_waiver_of_a_loader_rule_is_itself_a_finding(tmp_path, rule, spelling):
    waived = RULES[rule].name if spelling == "name" else RULES[rule].code.lower()
    text = PROBLEMS[rule] + f"waivers:\n  - rule: {waived}\n    reason: We want it so.\n"
    root = write_kb(tmp_path, {"terms/alpha.yaml": text})
    findings = run_rules(kb.load(root))
    problem = [f for f in findings if f.name == rule]
    assert problem and not any(f.waived_by for f in problem)
    (refusal,) = [f for f in findings if f.name == "waiver-not-allowed"]
    assert refusal.location.path == "terms/alpha.yaml"
    assert f"'{rule}' cannot be waived" in refusal.message
    assert not [f for f in findings if f.name == "unused-waiver"]
    result = CliRunner().invoke(cli, ["check", str(root)])
    assert result.exit_code == 1
    assert f"KB063 waiver-not-allowed [error] '{rule}' cannot be waived" in result.output


def test_the_site_refuses_a_loader_finding_even_when_its_severity_is_lowered(tmp_path):
    root = write_kb(
        tmp_path,
        {
            "terms/alpha.yaml": PROBLEMS["duplicate-key"],
            "pyproject.toml": '[tool.kb]\nseverity = { duplicate-key = "info" }\n',
        },
    )
    check = CliRunner().invoke(cli, ["check", str(root)])
    assert check.exit_code == 0  # the repository chose to let kb check pass ...
    with pytest.raises(SiteError, match="duplicate key 'label'"):
        load_checked(root)  # ... but the entry is still not read as written: no site


def test_markup_in_an_id_never_reaches_the_site(tmp_path):
    """Issue 11 class 1: an invalid sense id with markup, even 'accepted' by a waiver."""
    text = term_yaml("alpha").replace("id: main", "id: 'x\" onmouseover=\"alert(1)'")
    text += "waivers:\n  - rule: schema\n    reason: accepted\n"
    root = write_kb(tmp_path, {"terms/alpha.yaml": text})
    with pytest.raises(SiteError, match="has the wrong form"):
        load_checked(root)
