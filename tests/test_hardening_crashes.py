"""Class 6 of issue 11: inputs that used to end in "internal error" or a misleading message.

Each now gets a positioned finding or a one-line usage error, exit 1 or 2. (Tags and other
YAML constructs are in the hostile corpus, tests/hostile/; random input in the fuzz tests.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kb
from kb.cli import cli
from tests.helpers import term_yaml, write_kb


def _run(*args, cwd=None):
    """The real console entry point, so that the "internal error" safety net is included."""
    return subprocess.run(
        [sys.executable, "-m", "kb", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def _clean(done) -> None:
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr


@pytest.mark.parametrize(
    "text",
    [
        "id: alpha\nlabel:\talpha # the label\nsenses:\n  - id: main\n    definition:\tThe alpha notion.\n    uses: []\n    source: paper\n",
        term_yaml("alpha").replace("\n", "\r"),
        term_yaml("alpha").replace("\n", "\r\n"),
        "\ufeff" + term_yaml("alpha"),
        term_yaml("alpha").replace("\n", "\r").replace("label: alpha", "label: alpha # c"),
    ],
    ids=["tab-after-colon", "cr-only", "crlf", "bom", "cr-only-with-comment"],
)
def test_fmt_and_check_read_odd_whitespace_alike(tmp_path, text):
    root = write_kb(tmp_path, {"terms/alpha.yaml": text.encode("utf-8")})
    assert not kb.load(root).load_findings
    done = _run("fmt", "terms", cwd=root)
    _clean(done)
    assert done.returncode == 0, done.stderr
    formatted = (root / "terms" / "alpha.yaml").read_text(encoding="utf-8")
    assert "\r" not in formatted and "\t" not in formatted
    assert formatted.startswith("id: alpha\nlabel: alpha")
    assert kb.load(root).terms["alpha"].senses[0].definition == "The alpha notion."
    assert _run("fmt", "--check", "terms", cwd=root).returncode == 0


def test_new_refuses_an_overlong_id_with_one_line(tmp_path):
    write_kb(tmp_path, {})
    done = _run("new", "term", "a" * 300, "--root", str(tmp_path))
    _clean(done)
    assert done.returncode == 2
    assert "the id is 300 characters long; ids (and so file names) may have at most 120" in (
        done.stderr
    )
    assert list((tmp_path / "terms").glob("*")) == [] if (tmp_path / "terms").exists() else True


@pytest.mark.parametrize("where", ["root-is-a-file", "folder-is-a-file", "missing-parent"])
def test_new_in_a_place_it_cannot_write_is_a_usage_error(tmp_path, where):
    if where == "root-is-a-file":
        root = tmp_path / "file"
        root.write_text("not a folder")
    elif where == "folder-is-a-file":
        root = tmp_path
        (root / "terms").write_text("not a folder")
    else:
        root = tmp_path / "file" / "below"
        (tmp_path / "file").write_text("x")
    done = _run("new", "term", "alpha", "--root", str(root))
    _clean(done)
    assert done.returncode == 2
    assert "Error:" in done.stderr and str(tmp_path) in done.stderr
    assert "exists already" not in done.stderr
    if where != "root-is-a-file":  # that one click itself refuses: "… is a file."
        assert "cannot write" in done.stderr and "--root" in done.stderr


def test_diff_outside_a_repository_says_so(tmp_path):
    write_kb(tmp_path, {"terms/alpha.yaml": term_yaml("alpha")})
    done = _run("diff", "HEAD", "--root", str(tmp_path), cwd=tmp_path)
    _clean(done)
    assert done.returncode == 2
    assert "is not inside a git repository" in done.stderr
    assert "is not a commit" not in done.stderr  # the old, misleading message


def test_an_unreadable_file_is_a_finding_not_a_crash(tmp_path, monkeypatch):
    root = write_kb(tmp_path, {"terms/alpha.yaml": term_yaml("alpha")})
    real = type(root).read_bytes

    def refuse(path):
        if path.name == "alpha.yaml":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(type(root), "read_bytes", refuse)
    (finding,) = kb.load(root).load_findings
    assert (finding.name, finding.location.path) == ("yaml-syntax", "terms/alpha.yaml")
    assert "could not be read: Permission denied" in finding.message
    result = CliRunner().invoke(cli, ["fmt", str(root / "terms")])
    assert result.exit_code == 1 and "could not be read: Permission denied" in result.output


def test_quoted_values_cannot_forge_or_recolour_report_lines(tmp_path):
    forged = '"\\e[31mred\\nterms/x.yaml:1:1: KB000 fake"'
    root = write_kb(tmp_path, {"sources/alpha.yaml": f"id: alpha\ntitle: T\nkind: {forged}\n"})
    result = CliRunner().invoke(cli, ["check", str(root)])
    assert result.exit_code == 1
    assert "kind is '\\x1b[31mred\\x0aterms/x.yaml:1:1: KB000 fake'" in result.output
    assert "\x1b" not in result.output
    assert not any(line.startswith("terms/x.yaml") for line in result.output.splitlines())


@pytest.mark.parametrize(
    "tagged", ["!!int", "!!bool maybe", "!!seq {a: b}", "!!omap {a: 1}"], ids=str.split
)
def test_mkdocs_build_reports_a_tagged_value_without_a_traceback(tmp_path, caplog, tagged):
    """Issue 11 class 6: these values used to end the site build in a raw traceback."""
    import shutil

    from mkdocs.exceptions import Abort

    from kb.site.build import build_site

    repo = Path(__file__).resolve().parents[1]
    broken = tmp_path / "kb"
    shutil.copytree(repo / "tests" / "fixtures" / "site", broken)
    path = next((broken / "terms").glob("*.yaml"))
    text = path.read_text("utf-8")
    path.write_text(text.replace("\nlabel: ", f"\nlabel: {tagged}\nnote: ", 1), "utf-8")
    with pytest.raises(Abort):
        build_site(repo / "mkdocs.yml", tmp_path / "site", broken)
    assert "kb: the knowledge base has problems; the site is not built." in caplog.text
    assert f"terms/{path.name}:" in caplog.text and "KB006 yaml-syntax [error]" in caplog.text
    assert f"the YAML tag '{tagged.split()[0]}' is not allowed" in caplog.text
    assert "Traceback" not in caplog.text


def test_diff_text_shows_control_characters_instead_of_sending_them(tmp_path):
    root = write_kb(tmp_path, {"terms/alpha.yaml": term_yaml("alpha")})
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "base"]):
        subprocess.run(
            ["git", "-c", "user.email=t@example.org", "-c", "user.name=T", *args],
            cwd=root,
            check=True,
            capture_output=True,
        )
    changed = term_yaml("alpha").replace("label: alpha", 'label: "alpha\\e[2J\\nfake line"')
    (root / "terms" / "alpha.yaml").write_text(changed)
    result = CliRunner().invoke(cli, ["diff", "HEAD", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "label: alpha → alpha\\x1b[2J\\nfake line" in result.output
    assert "\x1b" not in result.output
