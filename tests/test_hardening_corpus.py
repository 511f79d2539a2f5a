"""The hostile corpus (tests/hostile/): every file gets its finding, at its position, from
``kb check`` (exit 1), is left untouched by ``kb fmt``, and never reaches the site.

``tests/hostile/expected.json`` names, for each file in ``tests/hostile/entries/``, the data
folder it is put in (as ``<folder>/alpha.yaml``, beside a cited source), and the rule, line,
column and words of the finding it must get. Files ending in ``.bin`` are raw bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import kb
from kb.cli import cli
from kb.rules import run_rules
from kb.site.generator import SiteError, load_checked
from tests.helpers import write_kb

HOSTILE = Path(__file__).parent / "hostile"
CASES = json.loads((HOSTILE / "expected.json").read_text("utf-8"))


def _planted(tmp_path: Path, name: str) -> tuple[Path, Path]:
    case = CASES[name]
    data = (HOSTILE / "entries" / case["file"]).read_bytes()
    root = write_kb(tmp_path, {f"{case['folder']}/alpha.yaml": data})
    return root, root / case["folder"] / "alpha.yaml"


def test_every_corpus_file_is_listed_once():
    assert sorted(p.name for p in (HOSTILE / "entries").iterdir()) == sorted(
        case["file"] for case in CASES.values()
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_reports_the_file_at_its_position(name, tmp_path):
    case = CASES[name]
    root, _ = _planted(tmp_path, name)
    found = [f for f in run_rules(kb.load(root)) if f.name == case["rule"] and not f.waived_by]
    assert found, [str(f.location) + " " + f.message for f in run_rules(kb.load(root))]
    where = [(f.location.path, f.location.line, f.location.column) for f in found]
    column = case["column"]
    assert any(
        path == f"{case['folder']}/alpha.yaml"
        and line == case["line"]
        and (column is None or col == column)
        for path, line, col in where
    ), where
    assert any(case["contains"] in f.message and f.hint for f in found), [f.message for f in found]


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_command_line_exits_1_with_a_positioned_line(name, tmp_path):
    case = CASES[name]
    root, _ = _planted(tmp_path, name)
    result = CliRunner().invoke(cli, ["check", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1, result.output
    assert f"{case['folder']}/alpha.yaml:{case['line']}:" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


@pytest.mark.parametrize("name", sorted(CASES))
def test_fmt_never_crashes_and_never_damages_the_file(name, tmp_path):
    root, path = _planted(tmp_path, name)
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["fmt", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        assert path.read_bytes() == before
        assert f"{path}:" in result.output
    else:  # formatted: kb check reads the same entry back
        assert kb.load(root).terms.keys() | kb.load(root).claims.keys() is not None
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_site_is_never_built_from_the_file(name, tmp_path):
    root, _ = _planted(tmp_path, name)
    with pytest.raises(SiteError, match="the site is not built"):
        load_checked(root)
