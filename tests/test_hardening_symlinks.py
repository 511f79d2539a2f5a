"""Class 4 of issue 11: no read or write outside the knowledge base through links.

A symbolic link in a data folder (to a file or a folder, dangling or not, or the data folder
itself) is a ``stray-file`` finding at its position and is never followed: ``kb check`` does
not read the target, ``kb fmt`` does not rewrite it, ``kb diff`` refuses a committed link
with a clear message. Other files the loader does not read get the same finding.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from click.testing import CliRunner

import kb
from kb.cli import cli
from kb.rules import run_rules
from tests.helpers import term_yaml, write_kb

OUTSIDE = "label: outside\nid: outside\nsenses:\n  - id: main\n    definition: Not ours.\n    uses: []\n    source: paper\n"


def _stray(root):
    return {
        (f.location.path, f.location.line, f.location.column): f.message
        for f in run_rules(kb.load(root))
        if f.name == "stray-file"
    }


@pytest.fixture
def outside(tmp_path):
    path = tmp_path / "elsewhere" / "outside.yaml"
    path.parent.mkdir()
    path.write_text(OUTSIDE)
    return path


@pytest.mark.parametrize(
    "link, target",
    [
        ("terms/linked.yaml", "file"),
        ("terms/dangling.yaml", "missing"),
        ("terms/sub", "folder"),
        ("arguments/deep/linked.yml", "file"),
    ],
)
def test_a_link_is_a_finding_and_is_not_read(tmp_path, outside, link, target):
    root = write_kb(tmp_path / "kb", {"terms/alpha.yaml": term_yaml("alpha")})
    path = root / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(
        {"file": outside, "missing": tmp_path / "nowhere.yaml", "folder": outside.parent}[target]
    )
    found = _stray(root)
    assert list(found) == [(link, 1, 1)]
    assert "is a symbolic link" in found[link, 1, 1] and "never followed" in found[link, 1, 1]
    assert "outside" not in kb.load(root).terms  # the target was not read
    result = CliRunner().invoke(cli, ["check", str(root)])
    assert result.exit_code == 1 and f"{link}:1:1: KB007 stray-file [error]" in result.output


def test_a_linked_data_folder_is_a_finding(tmp_path, outside):
    root = write_kb(tmp_path / "kb", {})
    (root / "terms").symlink_to(outside.parent)
    assert list(_stray(root)) == [("terms", 1, 1)]
    assert kb.load(root).terms == {}


@pytest.mark.parametrize(
    "name", ["alpha.YAML", "alpha.yaml.txt", "alpha.json", "alpha", "alpha.yaml~"]
)
def test_files_the_loader_does_not_read_are_findings(tmp_path, name):
    root = write_kb(tmp_path, {f"terms/{name}": term_yaml("alpha")})
    found = _stray(root)
    assert list(found) == [(f"terms/{name}", 1, 1)]
    assert "only files whose names end in .yaml or .yml are entries" in found[f"terms/{name}", 1, 1]


def test_special_files_are_findings_and_never_opened(tmp_path):
    root = write_kb(tmp_path, {})
    (root / "terms").mkdir()
    os.mkfifo(root / "terms" / "pipe.yaml")  # reading it would block forever
    assert list(_stray(root)) == [("terms/pipe.yaml", 1, 1)]
    result = CliRunner().invoke(cli, ["fmt", str(root / "terms")])
    assert result.exit_code == 1 and "is not a regular file" in result.output


def test_hidden_helper_files_are_passed_over(tmp_path):
    root = write_kb(tmp_path, {"terms/.gitkeep": "", "terms/.alpha.yaml.swp": "x"})
    assert _stray(root) == {}


def test_fmt_never_writes_through_a_link(tmp_path, outside):
    root = write_kb(tmp_path / "kb", {})
    (root / "terms").mkdir()
    (root / "terms" / "outside.yaml").symlink_to(outside)
    (root / "terms" / "folder").symlink_to(outside.parent)
    for args in (["fmt", str(root)], ["fmt", str(root / "terms" / "outside.yaml")]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1
        assert "is a symbolic link; kb fmt never follows links" in result.output
    assert outside.read_text() == OUTSIDE  # untouched (it is not in canonical layout)
    assert (root / "terms" / "outside.yaml").is_symlink()


def _git(root, *args):
    subprocess.run(
        ["git", "-c", "user.email=t@example.org", "-c", "user.name=T", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_diff_refuses_a_committed_link_with_a_clear_error(tmp_path):
    root = write_kb(tmp_path, {"terms/alpha.yaml": term_yaml("alpha")})
    (root / "terms" / "beta.yaml").symlink_to("/etc/hostname")
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "with a link")
    result = CliRunner().invoke(cli, ["diff", "HEAD", "--root", str(root)])
    assert result.exit_code == 2
    assert "terms/beta.yaml is a symbolic link in commit" in result.output
    assert "never follows links" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


@pytest.mark.parametrize("folder", ["term", "Terms", "argument", "source", "Sources"])
def test_entries_in_a_misnamed_data_folder_are_findings(tmp_path, folder):
    root = write_kb(tmp_path, {f"{folder}/alpha.yaml": term_yaml("alpha")})
    found = _stray(root)
    assert list(found) == [(f"{folder}/alpha.yaml", 1, 1)]
    assert f"the folder {folder}/ is not read; did you mean" in found[f"{folder}/alpha.yaml", 1, 1]


def test_an_entry_at_the_root_is_a_finding_but_tool_settings_are_not(tmp_path):
    root = write_kb(
        tmp_path,
        {
            "alpha.yaml": term_yaml("alpha"),
            "mkdocs.yml": "site_name: Atlas\n",
            ".pre-commit-config.yaml": "repos: []\n",
            "docs/notes.yaml": "id: not-an-entry-folder\n",
        },
    )
    assert list(_stray(root)) == [("alpha.yaml", 1, 1)]


def test_fmt_never_writes_through_a_hard_link(tmp_path, outside):
    """A hard link cannot be told from a file, but the atomic rename replaces the folder
    entry: the other name keeps the old content."""
    root = write_kb(tmp_path / "kb", {})
    (root / "terms").mkdir()
    os.link(outside, root / "terms" / "outside.yaml")
    result = CliRunner().invoke(cli, ["fmt", str(root / "terms")])
    assert result.exit_code == 0, result.output
    assert (root / "terms" / "outside.yaml").read_text().startswith("id: outside\nlabel: outside")
    assert outside.read_text() == OUTSIDE


def test_an_unreadable_folder_is_a_finding(tmp_path, monkeypatch):
    root = write_kb(tmp_path, {"terms/alpha.yaml": term_yaml("alpha"), "terms/locked/b.yaml": ""})
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = _stray(root)
    assert list(found) == [("terms/locked", 1, 1)]
    assert "the folder terms/locked could not be read" in found["terms/locked", 1, 1]
    assert list(kb.load(root).terms) == ["alpha"]


def test_fmt_reports_an_unreadable_folder(tmp_path, monkeypatch):
    root = write_kb(tmp_path, {"terms/alpha.yaml": term_yaml("alpha"), "terms/locked/b.yaml": ""})
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = CliRunner().invoke(cli, ["fmt", str(root / "terms")])
    assert result.exit_code == 1
    assert "terms/locked is a folder that cannot be read" in result.output
