"""``kb diff``: the knowledge graph compared between git revisions of a temporary repository."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli

FIXTURE = Path(__file__).parent / "fixtures" / "newcomer"

NEW_TERM = """\
id: pseudo-alignment
label: pseudo-alignment
senses:
  - id: rlo
    definition: >-
      A mesa-optimizer whose mesa-objective agrees with the base objective in training only.
    uses: [mesa-optimizer, mesa-objective, base-objective]
    source: risks-from-learned-optimization
"""

OBJECTION = """\
id: heuristics-may-suffice
claim: >-
  A large enough bundle of heuristics may handle diverse environments without a mesa-optimizer.
source: conditions-for-mesa-optimization
about: [mesa-optimizer]
objects_to: [diverse-environments-favor-mesa-optimization, mesa-optimizer#nope]
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository whose first commit holds the fixture knowledge base."""
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "README.md").write_text("before any entry\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "empty")
    for folder in ("terms", "arguments", "sources"):
        shutil.copytree(FIXTURE / folder, tmp_path / folder)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "fixture")
    git(tmp_path, "tag", "base")
    return tmp_path


def edit(repo: Path) -> None:
    """Add a term and an objection (with a typo in a sense id), change and remove things."""
    (repo / "terms" / "pseudo-alignment.yaml").write_text(NEW_TERM)
    (repo / "arguments" / "heuristics-may-suffice.yaml").write_text(OBJECTION)
    path = repo / "terms" / "mesa-optimizer.yaml"
    path.write_text(
        path.read_text().replace("aliases: [mesa-optimiser]\n", "aliases: [mesa optimiser]\n")
    )
    (repo / "terms" / "optimizer.yaml").write_text(
        (repo / "terms" / "optimizer.yaml").read_text().replace("    locator: section 1.1\n", "")
    )


def kb_diff(repo: Path, *args: str):
    return CliRunner().invoke(cli, ["diff", *args, "--root", str(repo)], catch_exceptions=False)


EXPECTED_TEXT = """\
kb diff base → working tree: 1 term added, 1 term changed, 1 sense added, 1 sense changed, 1 claim added, \
8 edges added, 1 finding new.

Terms
  ~ mesa-optimizer  (mesa-optimizer)
      aliases: [mesa-optimiser] → [mesa optimiser]
  + pseudo-alignment  (pseudo-alignment)

Senses
  ~ optimizer#rlo  (A system that internally searches through a space of possible outputs…)
      locator: section 1.1 → (none)
  + pseudo-alignment#rlo  (A mesa-optimizer whose mesa-objective agrees with the base objective…)

Claims
  + heuristics-may-suffice  (A large enough bundle of heuristics may handle diverse environments w…)

Edges
  + claim:heuristics-may-suffice --objects_to--> claim:diverse-environments-favor-mesa-optimization
  + claim:heuristics-may-suffice --cites--> source:conditions-for-mesa-optimization
  + claim:heuristics-may-suffice --about--> term:mesa-optimizer
  + sense:pseudo-alignment#rlo --cites--> source:risks-from-learned-optimization
  + sense:pseudo-alignment#rlo --uses--> term:base-objective
  + sense:pseudo-alignment#rlo --uses--> term:mesa-objective
  + sense:pseudo-alignment#rlo --uses--> term:mesa-optimizer
  + sense:pseudo-alignment#rlo --sense_of--> term:pseudo-alignment

Findings
  new   arguments/heuristics-may-suffice.yaml:6:60: KB004 dangling-reference [error] objects_to names \
'mesa-optimizer#nope', but term 'mesa-optimizer' has no sense 'nope'
"""


def test_text_report_of_working_tree_changes(repo):
    edit(repo)
    result = kb_diff(repo, "base")
    assert result.exit_code == 0
    assert result.stdout == EXPECTED_TEXT


def test_committed_changes_and_a_fixed_finding(repo):
    edit(repo)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "add")
    path = repo / "arguments" / "heuristics-may-suffice.yaml"
    path.write_text(path.read_text().replace("mesa-optimizer#nope", "mesa-optimizer#rlo"))
    git(repo, "commit", "-qam", "fix")
    result = kb_diff(repo, "HEAD~1", "HEAD")
    assert result.stdout.splitlines()[0] == (
        "kb diff HEAD~1 → HEAD: 1 claim changed, 1 edge added, 1 finding fixed."
    )
    assert (
        "      objects_to: [diverse-environments-favor-mesa-optimization, mesa-optimizer#nope] → "
        "[diverse-environments-favor-mesa-optimization, mesa-optimizer#rlo]"
    ) in result.stdout
    assert (
        "  + claim:heuristics-may-suffice --objects_to--> sense:mesa-optimizer#rlo" in result.stdout
    )
    assert (
        "  fixed arguments/heuristics-may-suffice.yaml:6:60: KB004 dangling-reference"
        in result.stdout
    )


def test_layout_only_changes_show_nothing(repo):
    path = repo / "terms" / "mesa-optimizer.yaml"
    path.write_text(
        "# a comment\n"
        + path.read_text().replace("aliases: [mesa-optimiser]", "aliases:\n  - mesa-optimiser")
    )
    assert (
        kb_diff(repo, "base").stdout
        == "kb diff base → working tree: No change to the knowledge graph.\n"
    )


def test_a_revision_before_any_entry_reads_as_an_empty_knowledge_base(repo):
    data = json.loads(kb_diff(repo, "base~1", "base", "--format", "json").stdout)
    assert (
        data["summary"]
        == "4 terms added, 4 senses added, 1 claim added, 2 sources added, 16 edges added."
    )
    assert {(e["kind"], e["id"]) for e in data["entries"] if e["kind"] == "source"} == {
        ("source", "conditions-for-mesa-optimization"),
        ("source", "risks-from-learned-optimization"),
    }


def test_json_lists_field_changes_edges_and_findings(repo):
    edit(repo)
    data = json.loads(kb_diff(repo, "base", "--format", "json").stdout)
    assert (data["base"], data["head"]) == ("base", "working tree")
    changed = next(e for e in data["entries"] if e["id"] == "mesa-optimizer")
    assert changed == {
        "kind": "term",
        "id": "mesa-optimizer",
        "change": "changed",
        "label": "mesa-optimizer",
        "fields": [{"field": "aliases", "before": ["mesa-optimiser"], "after": ["mesa optimiser"]}],
    }
    assert {
        "from": "claim:heuristics-may-suffice",
        "to": "term:mesa-optimizer",
        "type": "about",
    } in data["edges"]["added"]
    assert data["edges"]["removed"] == []
    assert [(f["code"], f["line"], f["column"]) for f in data["findings"]["new"]] == [
        ("KB004", 6, 60)
    ]


def test_markdown_is_a_pull_request_comment_with_contributor_text_escaped(repo):
    edit(repo)
    path = repo / "terms" / "pseudo-alignment.yaml"
    path.write_text(
        path.read_text().replace(
            "label: pseudo-alignment", 'label: "<img src=x> @evhub | *bold* #12"'
        )
    )
    out = kb_diff(repo, "base", "--format", "markdown").stdout
    assert out.startswith(
        "<!-- kb-diff -->\n### Knowledge-graph changes: base → working tree\n\n**1 term added"
    )
    assert "- **added** pseudo\\-alignment" not in out  # hyphens are left alone
    assert "- **added** pseudo-alignment — &lt;img src=x&gt; \\@evhub \\| \\*bold\\* \\#12\n" in out
    assert "<img" not in out
    assert (
        "| added | claim:heuristics-may-suffice | objects\\_to | claim:diverse-environments-favor-mesa-optimization |"
        in out
    )
    assert "- :x: new: arguments/heuristics-may-suffice.yaml:6:60: KB004 dangling-reference" in out


def test_knowledge_base_in_a_subfolder_of_the_repository(tmp_path):
    git(tmp_path, "init", "-q")
    shutil.copytree(FIXTURE, tmp_path / "data")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "fixture")
    (tmp_path / "data" / "terms" / "pseudo-alignment.yaml").write_text(NEW_TERM)
    result = kb_diff(tmp_path / "data", "HEAD")
    assert result.stdout.splitlines()[0] == (
        "kb diff HEAD → working tree: 1 term added, 1 sense added, 5 edges added."
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (("no-such-branch",), "'no-such-branch' is not a commit of this repository"),
        (("base", "nope"), "'nope' is not a commit of this repository"),
    ],
)
def test_unknown_revisions_are_usage_errors(repo, args, message):
    result = kb_diff(repo, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_quotes_of_both_revisions_are_checked_against_the_same_texts(repo):
    """A misquote that both revisions hold is no change, wherever [tool.kb] texts points from
    the working tree; an environment without the texts adds no finding either."""
    term = repo / "terms" / "mesa-optimizer.yaml"
    term.write_text(
        term.read_text().replace("    locator:", '    quote: "words nobody wrote"\n    locator:', 1)
    )
    (repo / "sources" / "risks-from-learned-optimization.yaml").write_text(
        (repo / "sources" / "risks-from-learned-optimization.yaml").read_text() + "text: rlo.txt\n"
    )
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "a quote")
    (repo / "texts").mkdir()
    (repo / "texts" / "rlo.txt").write_text("The paper's words.\n")
    for texts in ("texts", "no-such-folder"):
        (repo / "pyproject.toml").write_text(f'[tool.kb]\ntexts = "{texts}"\n')
        result = CliRunner().invoke(cli, ["diff", "HEAD", "--root", str(repo)])
        assert result.exit_code == 0, result.output
        assert result.output == "kb diff HEAD → working tree: No change to the knowledge graph.\n"
    check = CliRunner().invoke(cli, ["check", "--root", str(repo)]).output
    assert "KB055 unverified-quote" in check  # kb check still says the quotes were not verified
