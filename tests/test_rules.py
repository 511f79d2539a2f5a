"""Every rule: documented, and with a fixture that fires it and one that does not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kb
from kb.rules import RULES, run_rules
from kb.rules.registry import DOC_HEADINGS

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
RULE_NAMES = sorted(RULES)


def _unwaived(findings):
    return [f for f in findings if not f.waived_by]


@pytest.mark.parametrize("name", RULE_NAMES)
def test_rule_is_documented(name):
    rule = RULES[name]
    assert rule.code.startswith("KB") and len(rule.code) == 5
    for heading in DOC_HEADINGS:
        assert rule.section(heading), f"{name}: doc lacks a '{heading}:' section"
    assert "```yaml" in rule.section("Bad") and "```yaml" in rule.section("Good")


def test_codes_and_names_are_unique():
    codes = [r.code for r in RULES.values()]
    assert len(codes) == len(set(codes))


def test_every_rule_has_both_fixtures():
    missing = [n for n in RULE_NAMES for v in ("bad", "good") if not (FIXTURES / n / v).is_dir()]
    assert not missing
    assert sorted(p.name for p in FIXTURES.iterdir()) == RULE_NAMES


@pytest.mark.parametrize("name", RULE_NAMES)
def test_bad_fixture_fires_exactly_as_expected(name):
    folder = FIXTURES / name / "bad"
    expected = json.loads((folder / "expected.json").read_text())
    found = [f for f in _unwaived(run_rules(kb.load(folder))) if f.name == name]
    assert len(found) == len(expected), [str(f) for f in found]
    for finding, want in zip(
        sorted(found, key=lambda f: (f.location.path, f.location.line, f.location.column)),
        sorted(expected, key=lambda e: (e["path"], e["line"], e["column"])),
        strict=True,
    ):
        assert finding.code == RULES[name].code
        assert (finding.location.path, finding.location.line, finding.location.column) == (
            want["path"],
            want["line"],
            want["column"],
        )
        assert want["contains"] in finding.message
        assert finding.hint, "every finding says how to fix it"


@pytest.mark.parametrize("name", RULE_NAMES)
def test_good_fixture_is_clean(name):
    findings = _unwaived(run_rules(kb.load(FIXTURES / name / "good")))
    assert findings == []


def test_circular_definition_is_waived_on_any_member():
    findings = run_rules(
        kb.load(FIXTURES / "unused-waiver" / "good"), select=["circular-definition"]
    )
    assert len(findings) == 1
    assert findings[0].waived_by == "The paper defines each through the other."


def test_severity_override_and_selection_by_code():
    base = kb.load(FIXTURES / "unlisted-use" / "bad")
    findings = run_rules(base, select=["KB021"], severities={"unlisted-use": "error"})
    assert [f.severity for f in findings] == ["error"]
    assert run_rules(base, ignore=["unlisted-use"]) == []


def test_unknown_rule_name_is_refused():
    from kb.rules import UnknownRule

    with pytest.raises(UnknownRule):
        run_rules(kb.load(FIXTURES / "schema" / "good"), select=["no-such-rule"])


def test_a_loop_that_grows_is_reported_again(tmp_path):
    from tests.helpers import term_yaml, write_kb

    waiver = (
        "waivers:\n  - rule: circular-definition\n    reason: The paper defines each through the other.\n"
        "    members: [alpha, beta]\n"
    )
    write_kb(
        tmp_path,
        {
            "terms/alpha.yaml": term_yaml("alpha", uses=["beta"], extra=waiver),
            "terms/beta.yaml": term_yaml("beta", uses=["gamma"]),
            "terms/gamma.yaml": term_yaml("gamma", uses=["alpha"]),
        },
    )
    (finding,) = run_rules(kb.load(tmp_path), select=["circular-definition"])
    assert finding.waived_by is None
    assert finding.hint == (
        "the waiver on term 'alpha' (terms/alpha.yaml:4:5) was written for the group [alpha, beta], "
        "but the group is now [alpha, beta, gamma]: check that its reason still holds, then update "
        "`members`"
    )


def test_a_loop_waiver_without_members_does_not_accept(tmp_path):
    from tests.helpers import term_yaml, write_kb

    waiver = "waivers:\n  - rule: circular-definition\n    reason: The paper defines each through the other.\n"
    write_kb(
        tmp_path,
        {
            "terms/alpha.yaml": term_yaml("alpha", uses=["beta"], extra=waiver),
            "terms/beta.yaml": term_yaml("beta", uses=["alpha"]),
        },
    )
    findings = run_rules(kb.load(tmp_path))
    assert [f.name for f in findings] == ["circular-definition"]
    assert findings[0].hint.endswith(
        "if its reason covers this group, add `members: [alpha, beta]` to it"
    )


def test_references_between_sources_are_checked_and_count_as_citing(tmp_path):
    from tests.helpers import SOURCE, write_kb

    comment = (
        "id: reply\ntitle: A reply\nkind: comment\nauthor_note: unknown; the first participant\n"
        "references: [paper, papr, reply]\n"
    )
    write_kb(
        tmp_path,
        {"sources/reply.yaml": comment, "arguments/a.yaml": "id: a\nclaim: A.\nsource: reply\n"},
        with_source=False,
    )
    write_kb(tmp_path, {"sources/paper.yaml": SOURCE}, with_source=False)
    findings = [
        (f.name, f.location.line, f.location.column, f.message)
        for f in run_rules(kb.load(tmp_path))
    ]
    assert findings == [
        ("dangling-reference", 5, 21, "references names 'papr', which is not a source"),
        ("self-reference", 5, 27, "source 'reply' names itself in references"),
    ]
    assert ("source:reply", "source:paper", "references") in kb.load(tmp_path).graph.edges(
        keys=True
    )
