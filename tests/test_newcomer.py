"""The "done when" of the contributor workflow: a newcomer follows CONTRIBUTING.md.

In a temporary git repository holding a small knowledge base (tests/fixtures/newcomer), the
worked examples of CONTRIBUTING.md are applied as written, then the loop it teaches is
walked: kb new, fill in, kb fmt --check, kb check, an objection, kb diff. Then the mistakes
a newcomer makes are made one by one and kb check's answer is read: file, line, column,
code, what is wrong, how to fix it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "newcomer"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"


def kb(root: Path, *args: str):
    """Run ``kb ARGS`` from ``root`` (the repository: the ``repo`` fixture changes there)."""
    assert Path.cwd() == root
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "user.email=new@example.org",
            "-c",
            "user.name=Newcomer",
            *args,
        ],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A clone-like checkout, the current folder: the fixture knowledge base committed on main."""
    shutil.copytree(FIXTURE, tmp_path / "atlas")
    repo = tmp_path / "atlas"
    shutil.copy(ROOT / "pyproject.toml", repo)  # [tool.kb] schemas: tools/kb/schemas
    shutil.copytree(ROOT / "tools" / "kb" / "schemas", repo / "tools" / "kb" / "schemas")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "knowledge base")
    monkeypatch.chdir(repo)
    return repo


def contributing_examples() -> list[tuple[str, str]]:
    """``(path, text)`` of every complete file CONTRIBUTING.md shows, in reading order."""
    text = CONTRIBUTING.read_text("utf-8")
    return re.findall(r"<!-- file: (\S+) -->\n```yaml\n(.*?)```", text, re.S)


def test_contributing_shows_every_worked_example_the_issue_asks_for():
    text = CONTRIBUTING.read_text("utf-8")
    for heading in (
        "## Add a term",
        "## Add a second sense that conflicts with the first",
        "## Add an objection to a claim",
        "## Add an objection to a definition",
        "## Add a source for a comment thread",
        "## Waivers",
        "## How review works",
    ):
        assert heading in text
    assert "(docs/data-model.md)" in text
    paths = [path for path, _ in contributing_examples()]
    assert paths == [
        "terms/pseudo-alignment.yaml",
        "sources/conditions-c01.yaml",
        "sources/conditions-c02.yaml",
        "terms/pseudo-alignment.yaml",
        "arguments/heuristics-may-suffice.yaml",
        "arguments/pseudo-alignment-needs-a-test.yaml",
        "sources/conditions-c03.yaml",
        "arguments/matching-performance-is-not-being-favored.yaml",
    ]


def test_every_worked_example_is_formatted_and_passes_kb_check_as_written(repo):
    for path, text in contributing_examples():
        (repo / path).write_text(text, encoding="utf-8")
        fmt = kb(repo, "fmt", "--check", path)
        assert fmt.exit_code == 0, (path, fmt.stdout, fmt.stderr)
        check = kb(repo, "check", "--fail-on", "warning")
        assert check.exit_code == 0, (path, check.stdout)
    assert kb(repo, "check").stdout == "All checks passed: 14 files.\n"


def test_the_console_output_shown_for_a_new_term_is_what_kb_prints(repo):
    path, text = contributing_examples()[0]
    result = kb(repo, "new", "term", "pseudo-alignment")
    assert result.stdout == "wrote terms/pseudo-alignment.yaml: fill it in, then run kb check\n"
    assert result.stdout.strip() in CONTRIBUTING.read_text("utf-8")
    (repo / path).write_text(text, encoding="utf-8")
    fmt = kb(repo, "fmt", path)
    assert (
        f"$ kb fmt {path}\n{fmt.stderr}$ kb check\n{kb(repo, 'check').stdout}"
        in CONTRIBUTING.read_text("utf-8")
    )


def test_newcomer_adds_a_term_and_an_objection_and_sees_the_change(repo):
    # 1. kb new writes a template that editors can validate against the schema.
    assert kb(repo, "new", "term", "pseudo-alignment").exit_code == 0
    path = repo / "terms" / "pseudo-alignment.yaml"
    template = path.read_text("utf-8")
    assert template.startswith(
        "# yaml-language-server: $schema=../tools/kb/schemas/term.schema.json\n"
    )

    # 2. Before filling it in, kb check says what is missing, where, and how to fix it.
    result = kb(repo, "check")
    assert result.exit_code == 1
    source_line = next(
        i for i, line in enumerate(template.splitlines(), 1) if line.strip().startswith("source:")
    )
    assert re.search(
        rf"terms/pseudo-alignment\.yaml:{source_line}:13: KB004 dangling-reference \[error\] "
        r"sense 'pseudo-alignment#main' source names '[^']+', which is not a source\n"
        r"    hint: .+",
        result.stdout,
    ), result.stdout

    # 3. Fill it in as CONTRIBUTING.md says, writing the definition on one long line.
    filled = (
        template.replace(
            "TODO in our own words: what the term means in this source.",
            "A mesa-optimizer whose mesa-objective leads to the behaviour the base objective rewards on "
            "the training data, but which could behave differently elsewhere.",
        )
        .replace("uses: []", "uses: [mesa-optimizer, mesa-objective, base-objective]")
        .replace(
            re.search(r"source: (\S+)", template).group(0),
            "source: risks-from-learned-optimization",
        )
    )
    path.write_text(filled, encoding="utf-8")

    # 4. kb fmt --check names the file and changes nothing; kb fmt fixes the layout.
    result = kb(repo, "fmt", "--check")
    assert (result.exit_code, result.stdout) == (1, "would reformat terms/pseudo-alignment.yaml\n")
    assert path.read_text("utf-8") == filled
    assert kb(repo, "fmt").stdout == "reformatted terms/pseudo-alignment.yaml\n"
    assert kb(repo, "fmt", "--check").exit_code == 0
    assert "# yaml-language-server: $schema=../tools/kb/schemas/term.schema.json" in path.read_text(
        "utf-8"
    )

    # 5. kb check is clean.
    assert kb(repo, "check").stdout == "All checks passed: 8 files.\n"

    # 6. An objection to the new definition, from a template.
    assert kb(repo, "new", "claim", "pseudo-alignment-needs-a-test").exit_code == 0
    claim = repo / "arguments" / "pseudo-alignment-needs-a-test.yaml"
    text = claim.read_text("utf-8")
    text = (
        text.replace(
            "TODO in our own words: what the source claims.",
            "The definition should name the test that tells a pseudo-aligned model apart.",
        )
        .replace(
            re.search(r"source: (\S+)", text).group(0), "source: conditions-for-mesa-optimization"
        )
        .replace("about: []", "about: [pseudo-alignment]")
        .replace("# objects_to: [claim-id]", "objects_to: [pseudo-alignment#main]")
    )
    claim.write_text(text, encoding="utf-8")
    assert kb(repo, "fmt", "--check").exit_code == 0
    assert kb(repo, "check").stdout == "All checks passed: 9 files.\n"

    # 7. kb diff main summarises the change to the knowledge graph.
    result = kb(repo, "diff", "main")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "kb diff main → working tree: 1 term added, 1 sense added, 1 claim added, 8 edges added."
    )
    assert "  + pseudo-alignment  (pseudo alignment)" in lines
    assert "  + pseudo-alignment-needs-a-test  (pseudo alignment needs a test)" in lines
    assert (
        "  + claim:pseudo-alignment-needs-a-test --objects_to--> sense:pseudo-alignment#main"
        in lines
    )


# -- the mistakes a newcomer makes, and what kb check says --------------------------------

MISTAKES = {
    "typo in a field name": (
        "    definition: >-",
        "    defintion: >-",
        "terms/mesa-optimizer.yaml:6:5: KB001 schema [error] unknown field 'defintion' in senses[0]\n"
        "    hint: did you mean 'definition'?",
    ),
    "wrong indentation (a key indented too far)": (
        "    uses: [optimizer",
        "     uses: [optimizer",
        "terms/mesa-optimizer.yaml:9:6: KB006 yaml-syntax [error] YAML syntax error: while parsing a block mapping "
        "did not find expected key\n"
        "    hint: check the indentation of this line and the one above it: keys of one mapping, and the items "
        "of one list, must start in the same column",
    ),
    "reference to a term that does not exist": (
        "uses: [optimizer, base-objective]",
        "uses: [optimiser, base-objective]",
        "terms/mesa-optimizer.yaml:9:12: KB004 dangling-reference [error] senses[rlo].uses names 'optimiser', "
        "which is not a term\n"
        "    hint: did you mean 'optimizer' or 'mesa-optimizer'?",
    ),
    "a tab character": (
        "    locator: section 1.1",
        "\tlocator: section 1.1",
        "terms/mesa-optimizer.yaml:11:1: KB006 yaml-syntax [error] YAML syntax error: while scanning a plain scalar "
        "found a tab character that violates indentation\n"
        "    hint: YAML does not allow tab characters for indentation: indent with spaces",
    ),
    "a duplicated key": (
        "label: mesa-optimizer\n",
        "label: mesa-optimizer\nlabel: mesa optimizer\n",
        "terms/mesa-optimizer.yaml:3:1: KB002 duplicate-key [error] duplicate key 'label' (first given at line 2, "
        "column 1); YAML would silently keep only the last value\n"
        "    hint: remove one of the two 'label' keys, or merge their values",
    ),
    "a quote without its locator": (
        "    locator: section 1.1",
        "    quote: a learned model that is itself an optimizer",
        "terms/mesa-optimizer.yaml:5:5: KB053 quote-without-locator [warning] sense 'mesa-optimizer#rlo' quotes its "
        "source without a locator\n"
        "    hint: add `locator:` (section, page, paragraph or comment)",
    ),
}


def make_mistake(repo: Path, old: str, new: str) -> None:
    path = repo / "terms" / "mesa-optimizer.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_kb_check_names_the_place_the_problem_and_the_fix(repo, mistake):
    old, new, expected = MISTAKES[mistake]
    make_mistake(repo, old, new)
    result = kb(repo, "check")
    assert expected + "\n" in result.stdout, result.stdout
    assert result.exit_code == (0 if "[warning]" in expected else 1)


def test_kb_fmt_refuses_a_file_with_a_tab_and_says_where(repo):
    make_mistake(repo, "    locator: section 1.1", "\tlocator: section 1.1")
    before = (repo / "terms" / "mesa-optimizer.yaml").read_text("utf-8")
    result = kb(repo, "fmt")
    assert result.exit_code == 1
    assert result.stderr.startswith("terms/mesa-optimizer.yaml:11:1: KB006 yaml-syntax ")
    assert (repo / "terms" / "mesa-optimizer.yaml").read_text("utf-8") == before


INDENTATION_MISTAKES = [
    pytest.param(
        "    source: risks", "  source: risks", "10:3", id="sense key indented too little"
    ),
    pytest.param("senses:\n", " senses:\n", "4:2", id="top-level key indented by one space"),
]


@pytest.mark.parametrize("old, new, where", INDENTATION_MISTAKES)
def test_wrong_indentation_gets_an_indentation_hint(repo, old, new, where):
    make_mistake(repo, old, new)
    result = kb(repo, "check")
    assert re.search(
        rf"terms/mesa-optimizer\.yaml:{where}: KB006 yaml-syntax \[error\] .*\n    hint: .*indentation",
        result.stdout,
    ), result.stdout


def test_a_yaml_error_does_not_make_references_to_the_entry_dangle(repo):
    make_mistake(repo, "    locator: section 1.1", "\tlocator: section 1.1")
    result = kb(repo, "check")
    assert "KB006 yaml-syntax" in result.stdout
    assert "names 'mesa-optimizer', which is not a term" not in result.stdout, result.stdout
