"""``kb check`` run again after an edit reuses what the edit cannot have changed, and gives
exactly the findings of a fresh run (``KB_NO_CACHE=1``): waived findings and hints included.

Each reuse path is tested on its own (an edit that changes no parsed value, an edit of one
kind of value), and a property test applies random sequences of edits to a small generated
knowledge base, comparing ``kb check --format json --show-waived`` with and without the cache
after every step. Speed is measured by benchmarks/speed.py, not here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kb import cache
from kb.cache import cached_check
from kb.loader import load_kb
from kb.rules import run_rules

ROOT = Path(__file__).resolve().parent.parent
GENERATE = ROOT / "benchmarks" / "generate.py"


def _generator():
    spec = importlib.util.spec_from_file_location("generate", GENERATE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate_kb = _generator().generate_kb


@pytest.fixture
def generated(tmp_path) -> Path:
    """A small generated knowledge base (benchmarks/generate.py), shaped like the real one."""
    return generate_kb(tmp_path / "kb", 60)


def fresh(root: Path) -> list:
    return run_rules(load_kb(root))


def cached(root: Path) -> list:
    return cached_check(root, lambda base: run_rules(base)).findings


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def a_term(root: Path) -> Path:
    return sorted((root / "terms").glob("*.yaml"))[5]


class KnowledgeBaseBuilt(AssertionError):
    pass


def forbid_loading(monkeypatch) -> None:
    """Make building the knowledge base fail: the check must answer without it."""

    def refuse(*args, **kwargs):
        raise KnowledgeBaseBuilt("the knowledge base was built")

    monkeypatch.setattr(cache, "load_kb", refuse)


# -- an edit that changes no parsed value -------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text + "# a comment at the end\n",
        lambda text: text + "\n\n",
        lambda text: text.replace("status: established", "status: 'established'", 1),
        lambda text: text.replace("]\nstatus:", " ]\nstatus:", 1),
    ],
    ids=["comment", "blank-lines", "quoting", "spaces-in-flow"],
)
def test_an_edit_that_parses_the_same_reuses_the_findings(generated, monkeypatch, change):
    expected = cached(generated)
    path = a_term(generated)
    text = path.read_text("utf-8")
    assert change(text) != text
    path.write_text(change(text), "utf-8")
    assert fresh(generated) == expected
    with monkeypatch.context() as patched:
        forbid_loading(patched)
        assert cached(generated) == expected
    # the new bytes are kept with the parse they share: the next run reads nothing again
    assert cached(generated) == expected


def test_an_edit_that_moves_values_is_seen(generated, monkeypatch):
    """A comment at the top moves every position in the file: the findings move too."""
    path = a_term(generated)
    path.write_text(path.read_text("utf-8") + "labell: a typo\n", "utf-8")  # a finding here
    before = cached(generated)
    assert any(f.location.path == path.relative_to(generated).as_posix() for f in before)
    path.write_text("# a comment at the top\n" + path.read_text("utf-8"), "utf-8")
    expected = fresh(generated)
    assert expected != before
    assert cached(generated) == expected


def test_a_value_edit_after_a_comment_edit(generated):
    """The parse id inherited by a comment edit does not hide a later real edit."""
    cached(generated)
    path = a_term(generated)
    path.write_text(path.read_text("utf-8") + "# one\n", "utf-8")
    cached(generated)
    edit(path, "uses: [", "uses: [no-such-term, ")
    expected = fresh(generated)
    assert any(f.name == "dangling-reference" for f in expected)
    assert cached(generated) == expected
    edit(path, "# one\n", "")
    edit(path, "uses: [no-such-term, ", "uses: [")
    assert cached(generated) == fresh(generated)


# -- the CLI, with and without the cache ----------------------------------------------------


def check_json(root: Path, fresh_run: bool) -> list:
    """``kb check --format json --show-waived`` in a process, with or without the cache."""
    env = {"KB_NO_CACHE": "1"} if fresh_run else {"KB_NO_CACHE": ""}
    out = subprocess.run(
        [sys.executable, "-m", "kb", "check", str(root), "--format", "json", "--show-waived"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def test_cli_after_a_comment_edit(generated):
    first = check_json(generated, fresh_run=False)
    path = a_term(generated)
    path.write_text(path.read_text("utf-8") + "# touched\n", "utf-8")
    assert check_json(generated, fresh_run=False) == first == check_json(generated, True)
