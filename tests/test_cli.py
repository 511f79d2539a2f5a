"""The command line: exit codes, output formats, and no tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from tests.helpers import term_yaml, write_kb

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def run(*args, cwd=None):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_clean_kb_exits_0_with_summary():
    code, out = run("check", str(FIXTURES / "schema" / "good"))
    assert code == 0
    assert out.strip() == "All checks passed: 2 files."


def test_findings_exit_1_with_ruff_style_lines():
    folder = FIXTURES / "circular-definition" / "bad"
    code, out = run("check", str(folder))
    assert code == 1
    first = out.splitlines()[0]
    assert first.endswith(
        "terms/optimization.yaml:6:12: KB020 circular-definition [error] 3 terms are defined "
        "through one another (optimization, optimizer, search): optimization#main → "
        "optimizer#main → search#main → optimization"
    )
    assert out.splitlines()[1].startswith(
        "    hint: mark a genuinely undefined term `primitive: true`"
    )
    assert out.splitlines()[-1] == "Found 1 error, 0 warnings, 0 infos in 4 files."


def test_json_format_lists_findings_with_positions():
    code, out = run("check", str(FIXTURES / "dangling-reference" / "bad"), "--format", "json")
    assert code == 1
    (finding,) = [f for f in json.loads(out) if f["path"] == "terms/alpha.yaml"]
    assert {k: finding[k] for k in ("code", "name", "severity", "path", "line", "column")} == {
        "code": "KB004",
        "name": "dangling-reference",
        "severity": "error",
        "path": "terms/alpha.yaml",
        "line": 6,
        "column": 12,
    }
    assert finding["message"] == "senses[main].uses names 'betta', which is not a term"
    assert finding["hint"] == "did you mean 'beta'?"


def test_github_format_prints_annotations():
    code, out = run("check", str(FIXTURES / "dangling-reference" / "bad"), "--format", "github")
    assert code == 1
    line = next(line for line in out.splitlines() if "terms/alpha.yaml" in line)
    assert line.startswith("::error file=")
    assert (
        "terms/alpha.yaml,line=6,col=12,title=KB004 dangling-reference::senses[main].uses names 'betta'"
        in line
    )


def test_fail_on_controls_the_exit_code():
    folder = str(FIXTURES / "unlisted-use" / "bad")  # one warning
    assert run("check", folder)[0] == 0
    assert run("check", folder, "--fail-on", "warning")[0] == 1
    assert run("check", str(FIXTURES / "dangling-reference" / "bad"), "--fail-on", "never")[0] == 0


def test_select_and_ignore():
    folder = str(FIXTURES / "dangling-reference" / "bad")
    assert run("check", folder, "--ignore", "dangling-reference")[0] == 0
    assert run("check", folder, "--select", "KB004,schema")[0] == 1


def test_unknown_rule_is_a_usage_error():
    code, out = run("check", str(FIXTURES / "schema" / "good"), "--select", "nope")
    assert code == 2
    assert "no rule is named 'nope'" in out


def test_missing_folder_is_a_usage_error(tmp_path):
    code, out = run("check", str(tmp_path))
    assert code == 2
    assert "has no terms/, arguments/ or sources/ folder" in out


def test_rules_lists_and_explains():
    code, out = run("rules")
    assert code == 0
    assert any(line.startswith("KB020  circular-definition") for line in out.splitlines())
    code, out = run("rules", "KB020")
    assert code == 0 and out.startswith("KB020 circular-definition (default severity: error)")
    assert "Bad:" in out and "Good:" in out
    code, out = run("rules", "circular-defintion")
    assert code == 2 and "did you mean 'circular-definition'?" in out


def test_new_writes_valid_templates_and_never_overwrites(tmp_path):
    write_kb(tmp_path, {})
    for kind, entry in (("term", "reward-hacking"), ("claim", "a-claim"), ("source", "a-comment")):
        code, out = run("new", kind, entry, "--root", str(tmp_path))
        assert code == 0, out
        text = (
            tmp_path
            / {"term": "terms", "claim": "arguments", "source": "sources"}[kind]
            / f"{entry}.yaml"
        ).read_text()
        assert text.startswith(f"# yaml-language-server: $schema=../schemas/{kind}.schema.json")
    import kb

    base = kb.load(tmp_path)
    assert base.load_findings == []  # schema-valid as written
    code, out = run("new", "term", "reward-hacking", "--root", str(tmp_path))
    assert code == 2 and "never overwrites" in out
    code, out = run("new", "term", "Bad_Id", "--root", str(tmp_path))
    assert code == 2 and "not a valid id" in out


def test_stats_reports_counts_and_chains(tmp_path):
    write_kb(
        tmp_path,
        {
            "terms/a.yaml": term_yaml("a", uses=["b"]),
            "terms/b.yaml": term_yaml("b", uses=["c"]),
            "terms/c.yaml": term_yaml("c", extra="status: contested\n"),
        },
    )
    code, out = run("stats", str(tmp_path), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["counts"]["terms"] == 3
    assert data["deepest_chains"][0] == {"term": "a", "depth": 2, "chain": ["a", "b", "c"]}
    assert data["contested_terms"] == ["c"]
    assert data["most_used_terms"][0]["term"] == "b"


@pytest.mark.parametrize(
    "content",
    ["{{{", "- [\n", "id: [1, 2]\nsenses: 3\n", "\x00\x01", "senses:\n  - 1\n  - {id: [x]}\n"],
)
def test_real_entry_point_never_prints_a_traceback(tmp_path, content):
    write_kb(tmp_path, {"terms/x.yaml": content})
    proc = subprocess.run(
        [sys.executable, "-m", "kb", "check", str(tmp_path)], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "terms/x.yaml:" in proc.stdout


def test_broken_folder_prints_every_problem_with_its_position(monkeypatch):
    """The whole text report for a folder of typical mistakes, pinned line by line."""
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    code, out = run("check", "tests/fixtures/broken")
    assert code == 1
    assert out == (root / "tests" / "fixtures" / "broken.expected.txt").read_text()


def test_the_command_leaves_with_its_whole_output_and_exit_status(tmp_path):
    """The command skips the interpreter's teardown: what it printed must still all arrive,
    through a pipe, with the exit status of the findings, and a reader who leaves early
    (``kb check | head -1``) gets no traceback."""
    root = Path(__file__).resolve().parent.parent
    expected = (root / "tests" / "fixtures" / "broken.expected.txt").read_text()
    proc = subprocess.run(
        [sys.executable, "-m", "kb", "check", "tests/fixtures/broken"],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert (proc.returncode, proc.stdout) == (1, expected)
    early = subprocess.run(
        f"'{sys.executable}' -m kb check tests/fixtures/broken | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert early.stdout == expected.splitlines(keepends=True)[0]
    assert "Traceback" not in early.stderr


def test_stats_chains_show_loops_as_one_step(tmp_path):
    write_kb(
        tmp_path,
        {
            "terms/a.yaml": term_yaml("a", uses=["b"]),
            "terms/b.yaml": term_yaml("b", uses=["c"]),
            "terms/c.yaml": term_yaml("c", uses=["b", "d"]),
            "terms/d.yaml": term_yaml("d"),
        },
    )
    data = json.loads(run("stats", str(tmp_path), "--format", "json")[1])
    assert data["deepest_chains"][0] == {"term": "a", "depth": 2, "chain": ["a", "b ⇄ c", "d"]}


def test_severity_overrides_come_from_pyproject_and_bad_values_are_usage_errors(tmp_path):
    write_kb(
        tmp_path,
        {
            "terms/a.yaml": term_yaml("a", definition="Unlike b, a thing."),
            "terms/b.yaml": term_yaml("b"),
        },
    )
    assert run("check", str(tmp_path))[0] == 0  # one unlisted-use warning
    (tmp_path / "pyproject.toml").write_text('[tool.kb]\nseverity = { unlisted-use = "error" }\n')
    code, out = run("check", str(tmp_path))
    assert code == 1 and "KB021 unlisted-use [error]" in out
    (tmp_path / "pyproject.toml").write_text('[tool.kb]\nseverity = { unlisted-use = "fatal" }\n')
    code, out = run("check", str(tmp_path))
    assert code == 2 and "[tool.kb] severity values must be error, warning or info" in out


def test_stats_lists_a_loop_once_among_the_deepest_chains(tmp_path):
    """Terms of one loop share their chain (it starts with the loop): listed once."""
    write_kb(
        tmp_path,
        {
            "terms/a.yaml": term_yaml("a", uses=["b"]),
            "terms/b.yaml": term_yaml("b", uses=["a", "c"]),
            "terms/c.yaml": term_yaml("c"),
            "terms/d.yaml": term_yaml("d", uses=["c"]),
        },
    )
    code, out = run("stats", "--root", str(tmp_path))
    assert code == 0
    chains = out.split("Deepest definitional chains:\n")[1].split("\n\n")[0].splitlines()
    assert chains == ["  1  a ⇄ b → c", "  1  d → c", "  0  c"]


def test_rules_print_code_in_single_backticks():
    code, out = run("rules", "circular-definition")
    assert code == 0
    assert "``uses``" not in out and "`uses`" in out
    assert "```yaml\n" in out  # the examples' code fences stay
    code, out = run("rules")
    assert re.search(r"``\w", out) is None


@pytest.mark.parametrize("command", [["check"], ["stats"], ["export", "-f", "json"]])
def test_the_knowledge_base_is_named_by_root_or_by_the_argument(tmp_path, command):
    write_kb(tmp_path, {"terms/a.yaml": term_yaml("a")})
    by_option = run(*command, "--root", str(tmp_path))
    by_argument = run(command[0], str(tmp_path), *command[1:])
    assert by_option[0] == 0 and by_option == by_argument
    code, out = run(command[0], str(tmp_path), "--root", str(tmp_path / "other"), *command[1:])
    assert code == 2 and "name it once" in out


def test_every_command_that_reads_the_knowledge_base_takes_root():
    reads = {"check", "stats", "new", "schema", "diff", "export", "query", "site"}
    for name in reads:
        command = cli.get_command(None, name)
        assert "--root" in [opt for p in command.params for opt in p.opts], name


def test_new_points_at_the_schemas_folder_and_fills_it(tmp_path):
    """Wherever the knowledge base lives, the template's $schema resolves to a schema file."""
    write_kb(tmp_path, {})
    code, out = run("new", "term", "a-term", "--root", str(tmp_path))
    assert code == 0
    assert "schemas/term.schema.json: the JSON Schema editors check entries against" in out
    first = (tmp_path / "terms" / "a-term.yaml").read_text().splitlines()[0]
    target = (tmp_path / "terms" / first.split("$schema=")[1]).resolve()
    assert target == (tmp_path / "schemas" / "term.schema.json").resolve()
    assert json.loads(target.read_text())["title"] == "Alignment Atlas term"
    code, out = run("new", "claim", "a-claim", "--root", str(tmp_path))
    assert out.count("wrote ") == 1  # the schemas are there now
    (tmp_path / "schemas" / "claim.schema.json").write_text("{}")
    code, out = run("schema", "--root", str(tmp_path))
    assert code == 0 and out.count("wrote ") == 1 and "claim.schema.json" in out
    assert run("schema", "--root", str(tmp_path))[1].endswith("are up to date\n")


def test_new_uses_the_schemas_folder_set_in_pyproject(tmp_path):
    write_kb(tmp_path, {})
    (tmp_path / "pyproject.toml").write_text('[tool.kb]\nschemas = "tools/kb/schemas"\n')
    (tmp_path / "tools" / "kb" / "schemas").mkdir(parents=True)
    assert run("new", "source", "a-source", "--root", str(tmp_path))[0] == 0
    first = (tmp_path / "sources" / "a-source.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../tools/kb/schemas/source.schema.json"
    assert (tmp_path / "tools" / "kb" / "schemas" / "source.schema.json").is_file()
