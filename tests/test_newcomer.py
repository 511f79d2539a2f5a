"""The "done when" of the contributor workflow: a newcomer follows CONTRIBUTING.md.

On a copy of this repository's knowledge base (a temporary git repository), CONTRIBUTING.md
is followed as written: its files are written in reading order and its `kb` commands run,
each printing what the guide shows. Then the mistakes a newcomer makes are made one by one on
a small knowledge base (tests/fixtures/newcomer) and kb check's answer is read: file, line,
column, code, what is wrong, how to fix it — and the guide's table of them quotes it exactly.
"""

from __future__ import annotations

import glob
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "newcomer"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
# What of this repository a contributor's kb commands read: the data, [tool.kb], the schemas.
KNOWLEDGE_BASE = ("terms", "arguments", "sources", "pyproject.toml", "tools/kb/schemas")


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


def committed_copy(tmp_path: Path, monkeypatch, parts: dict[str, Path]) -> Path:
    """A clone-like checkout holding ``parts`` (its path → where to copy it from), committed
    on main; the current folder."""
    repo = tmp_path / "atlas"
    for rel, source in parts.items():
        target = repo / rel
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "knowledge base")
    monkeypatch.chdir(repo)
    return repo


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A copy of this repository's knowledge base, as a contributor's clone has it."""
    return committed_copy(tmp_path, monkeypatch, {rel: ROOT / rel for rel in KNOWLEDGE_BASE})


@pytest.fixture
def small_repo(tmp_path, monkeypatch) -> Path:
    """The small newcomer knowledge base, whose line numbers the mistakes below rely on."""
    parts = {p.name: p for p in FIXTURE.iterdir()}
    parts.update({rel: ROOT / rel for rel in ("pyproject.toml", "tools/kb/schemas")})
    return committed_copy(tmp_path, monkeypatch, parts)


def contributing_examples() -> list[tuple[str, str]]:
    """``(path, text)`` of every complete file CONTRIBUTING.md shows, in reading order."""
    text = CONTRIBUTING.read_text("utf-8")
    return re.findall(r"<!-- file: (\S+) -->\n```yaml\n(.*?)```", text, re.S)


def contributing_steps() -> list[tuple[str, str, str]]:
    """CONTRIBUTING.md in reading order: ``("file", path, text)`` for each complete file and
    ``("run", command, shown output)`` for each ``$ kb …`` line of a console block."""
    text = CONTRIBUTING.read_text("utf-8")
    steps = []
    pattern = r"<!-- file: (\S+) -->\n```yaml\n(.*?)```|```console\n(.*?)```"
    for match in re.finditer(pattern, text, re.S):
        if match.group(1):
            steps.append(("file", match.group(1), match.group(2)))
            continue
        for block in re.split(r"^(?=\$ )", match.group(3), flags=re.M):
            command, _, shown = block.partition("\n")
            if command.startswith("$ kb "):
                steps.append(("run", command[2:], shown))
    return steps


def blocking(result) -> set[tuple[str, str, str]]:
    """The errors and warnings of ``kb check --format json`` output."""
    import json

    return {
        (f["path"], f["code"], f["message"])
        for f in json.loads(result.stdout)
        if f["severity"] in ("error", "warning") and not f["waived_by"]
    }


def test_contributing_shows_every_worked_example_the_issue_asks_for():
    text = CONTRIBUTING.read_text("utf-8")
    for heading in (
        "## Set up (once)",
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
    assert "$ npm ci\n" in text and "$ python3 -m pip install -e '.[site]'\n" in text
    paths = [path for path, _ in contributing_examples()]
    assert paths == [
        "terms/corrigible-alignment.yaml",
        "sources/deceptive-alignment-c01.yaml",
        "sources/deceptive-alignment-c02.yaml",
        "terms/corrigible-alignment.yaml",
        "arguments/corrigible-is-a-misleading-name.yaml",
        "arguments/the-pointer-accepts-correction.yaml",
        "sources/deceptive-alignment-c03.yaml",
        "arguments/following-its-own-picture-is-not-accepting-correction.yaml",
    ]


def test_the_worked_examples_run_on_this_repository_as_written(repo):
    """Files written and commands run in reading order; each command prints what the guide
    shows; each file is formatted and adds no error or warning to the knowledge base."""
    before = blocking(kb(repo, "check", "--format", "json"))
    for new in {path for path, _ in contributing_examples()}:
        assert not (repo / new).exists(), f"{new} exists in the repository: choose another example"
    ran = []
    for kind, first, second in contributing_steps():
        if kind == "file":
            (repo / first).write_text(second, encoding="utf-8")
            fmt = kb(repo, "fmt", "--check", first)
            assert fmt.exit_code == 0, (first, fmt.output)
            assert blocking(kb(repo, "check", "--format", "json")) == before, first
            continue
        args = [a for word in shlex.split(first)[1:] for a in sorted(glob.glob(word)) or [word]]
        result = kb(repo, *args)
        assert result.exit_code in (0, 1), (first, result.output)
        assert second in result.output, (first, result.output)
        ran.append(args[0])
    assert ran == ["--help", "new", "check", "fmt", "check", "fmt", "diff"]


def test_kb_fmt_turns_a_hand_written_entry_into_the_guides_layout(repo):
    """The newcomer writes the definition on one long line: kb fmt --check names the file and
    changes nothing; kb fmt rewrites it into exactly the layout the guide shows."""
    path, text = contributing_examples()[0]
    assert kb(repo, "new", "term", "corrigible-alignment").output == (
        "wrote terms/corrigible-alignment.yaml: fill it in, then run kb check\n"
    )
    definition = re.search(r"definition: >-\n(.*?)\n    uses", text, re.S).group(1)
    one_line = text.replace(definition, "      " + " ".join(definition.split()))
    (repo / path).write_text(one_line, encoding="utf-8")
    result = kb(repo, "fmt", "--check", path)
    assert (result.exit_code, result.stdout) == (1, f"would reformat {path}\n")
    assert (repo / path).read_text("utf-8") == one_line
    assert kb(repo, "fmt", path).stdout == f"reformatted {path}\n"
    assert (repo / path).read_text("utf-8") == text


def test_the_mistakes_table_quotes_kb_check_exactly(small_repo):
    """Each row of the guide's table of mistakes quotes, in backticks, what kb check prints
    for that mistake."""
    text = CONTRIBUTING.read_text("utf-8")
    table = text.split("| you wrote | kb check says |\n|---|---|\n")[1].split("\n\n")[0]
    rows = [row.split(" | ")[1] for row in table.splitlines()]
    assert len(rows) == len(MISTAKES)
    original = (small_repo / "terms" / "mesa-optimizer.yaml").read_text("utf-8")
    for row, (old, new, _) in zip(rows, MISTAKES.values(), strict=True):
        make_mistake(small_repo, old, new)
        output = kb(small_repo, "check").stdout
        for quoted in re.findall(r"``(.+?)``|`([^`]+)`", row):
            assert (quoted[0] or quoted[1]) in output, (row, output)
        (small_repo / "terms" / "mesa-optimizer.yaml").write_text(original, encoding="utf-8")


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
def test_kb_check_names_the_place_the_problem_and_the_fix(small_repo, mistake):
    old, new, expected = MISTAKES[mistake]
    make_mistake(small_repo, old, new)
    result = kb(small_repo, "check")
    assert expected + "\n" in result.stdout, result.stdout
    assert result.exit_code == (0 if "[warning]" in expected else 1)


def test_kb_fmt_refuses_a_file_with_a_tab_and_says_where(small_repo):
    make_mistake(small_repo, "    locator: section 1.1", "\tlocator: section 1.1")
    before = (small_repo / "terms" / "mesa-optimizer.yaml").read_text("utf-8")
    result = kb(small_repo, "fmt")
    assert result.exit_code == 1
    assert result.stderr.startswith("terms/mesa-optimizer.yaml:11:1: KB006 yaml-syntax ")
    assert (small_repo / "terms" / "mesa-optimizer.yaml").read_text("utf-8") == before


INDENTATION_MISTAKES = [
    pytest.param(
        "    source: risks", "  source: risks", "10:3", id="sense key indented too little"
    ),
    pytest.param("senses:\n", " senses:\n", "4:2", id="top-level key indented by one space"),
]


@pytest.mark.parametrize("old, new, where", INDENTATION_MISTAKES)
def test_wrong_indentation_gets_an_indentation_hint(small_repo, old, new, where):
    make_mistake(small_repo, old, new)
    result = kb(small_repo, "check")
    assert re.search(
        rf"terms/mesa-optimizer\.yaml:{where}: KB006 yaml-syntax \[error\] .*\n    hint: .*indentation",
        result.stdout,
    ), result.stdout


def test_a_yaml_error_does_not_make_references_to_the_entry_dangle(small_repo):
    make_mistake(small_repo, "    locator: section 1.1", "\tlocator: section 1.1")
    result = kb(small_repo, "check")
    assert "KB006 yaml-syntax" in result.stdout
    assert "names 'mesa-optimizer', which is not a term" not in result.stdout, result.stdout
