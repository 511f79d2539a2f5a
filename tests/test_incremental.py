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
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kb.loader
from kb import cache
from kb.cache import cached_check, load_tree
from kb.cli import cli
from kb.loader import load_kb
from kb.rules import RULES, RuleMemo, run_rules

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
    return cached_check(root, lambda base, memo: run_rules(base, memo=memo)).findings


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

    monkeypatch.setattr(kb.loader, "load_kb", refuse)  # the cache imports it when it builds


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


# -- reuse rule by rule ---------------------------------------------------------------------


def check_recording(root: Path) -> tuple[list, RuleMemo]:
    """The cached findings, and the memo of the run (which rules ran), if the rules ran."""
    memos = []

    def run(base, memo):
        memos.append(memo)
        return run_rules(base, memo=memo)

    findings = cached_check(root, run).findings
    return findings, memos[0] if memos else None


def test_a_definition_edit_runs_only_the_rules_that_read_definitions(generated, monkeypatch):
    """Only unlisted-use runs, and it reads the terms alone: the whole knowledge base (the
    loader's findings, claims, sources) is not built."""
    cached(generated)
    edit(a_term(generated), "Sense 0 of", "Sense 0 (a mesa-optimizer, see generated term 2) of")
    expected = fresh(generated)
    with monkeypatch.context() as patched:
        forbid_loading(patched)
        found, memo = check_recording(generated)
    assert found == expected
    assert memo.changed == {"text"}
    assert memo.ran == [r.name for r in RULES.values() if "text" in r.reads]  # unlisted-use
    assert any(f.name == "unlisted-use" and "generated term 2" in f.message for f in found)


def test_a_label_edit_runs_the_rules_that_read_names(generated):
    cached(generated)
    edit(a_term(generated), "label: generated term 13", "label: generated term 7")
    expected = fresh(generated)
    found, memo = check_recording(generated)
    assert found == expected
    assert memo.changed == {"names"}
    assert set(memo.ran) == {"unlisted-use", "label-clash"}
    assert any(f.name == "label-clash" for f in found)


WAIVER = "waivers:\n  - rule: {rule}\n    reason: {reason}\n"


def test_waivers_added_and_removed(generated):
    """A waiver added accepts its finding, and the finding returns when it goes; a waiver
    whose finding is gone is reported unused; every run equals a fresh one."""
    path = a_term(generated)
    edit(path, "uses: [", "uses: [no-such-term, ")
    before = cached(generated)
    dangling = [f for f in before if f.name == "dangling-reference"]
    assert dangling and not dangling[0].waived_by
    original = path.read_text("utf-8")
    path.write_text(original + WAIVER.format(rule="dangling-reference", reason="On purpose."))
    expected = fresh(generated)
    found, memo = check_recording(generated)
    assert found == expected
    assert memo.changed == {"waivers"}
    assert [f.waived_by for f in found if f.name == "dangling-reference"] == ["On purpose."]
    edit(path, "uses: [no-such-term, ", "uses: [")  # the finding goes, the waiver stays
    expected = fresh(generated)
    assert any(f.name == "unused-waiver" for f in expected)
    found, memo = check_recording(generated)
    assert found == expected
    assert "unused-waiver" in memo.ran
    path.write_text(original)
    assert cached(generated) == fresh(generated) == before


def test_a_file_added_runs_every_rule(generated):
    cached(generated)
    (generated / "terms" / "new-term.yaml").write_text(
        "id: new-term\nlabel: new term\nsenses:\n  - id: s\n    definition: New.\n", "utf-8"
    )
    found, memo = check_recording(generated)
    assert found == fresh(generated)
    assert memo.changed is None
    assert set(memo.ran) == set(RULES)


def test_runs_in_between_keep_the_version_last_checked(generated):
    """Other commands, and checks answered from the findings, read the edited file before
    the next check: the version the rule records were computed on is kept beside it."""
    cached(generated)
    path = a_term(generated)
    original = path.read_text("utf-8")
    edit(path, "Sense 0 of", "Sense zero of")
    load_tree(generated)  # kb export, kb stats…
    edit(path, "Sense zero of", "Sense nought of")
    found, memo = check_recording(generated)
    assert found == fresh(generated)
    assert memo.changed == {"text"}
    path.write_text(original, "utf-8")
    assert cached(generated) == fresh(generated)  # answered from the findings kept
    edit(path, "label: generated term 13", "label: generated term 7")
    found, memo = check_recording(generated)
    assert found == fresh(generated)
    assert memo.changed == {"names", "text"}  # against the version of the last rules run


def test_an_earlier_version_no_longer_kept_runs_every_rule(generated):
    cached(generated)
    edit(a_term(generated), "Sense 0 of", "Sense zero of")
    shutil.rmtree(generated / cache.CACHE_FOLDER / cache.ENTRIES_FOLDER)
    found, memo = check_recording(generated)
    assert found == fresh(generated)
    assert memo.changed is None


def test_options_keep_their_own_records(generated):
    everything = cached(generated)
    only = cached_check(
        generated,
        lambda base, memo: run_rules(base, ["unlisted-use"], memo=memo),
        (["unlisted-use"],),
    ).findings
    assert only == run_rules(load_kb(generated), ["unlisted-use"])
    edit(a_term(generated), "Sense 0 of", "Sense 0 (generated term 2) of")
    assert cached(generated) == fresh(generated) != everything


# -- random edits -------------------------------------------------------------------------


class Editor:
    """Edits the files of a generated knowledge base as contributors do, giving each written
    file a status no earlier run has recorded (so that, with :data:`kb.cache.SETTLED` at 0,
    untouched files are taken from the record and edited ones are read again)."""

    def __init__(self, root: Path):
        self.root, self.stamp = root, 1_600_000_000 * 10**9

    def files(self, folder: str) -> list[Path]:
        return sorted((self.root / folder).glob("*.yaml"))

    def write(self, path: Path, text: str) -> None:
        path.write_text(text, "utf-8")
        self.stamp += 10**9
        os.utime(path, ns=(self.stamp, self.stamp))

    def change(self, path: Path, old: str, new: str) -> None:
        text = path.read_text("utf-8")
        if old in text:
            self.write(path, text.replace(old, new, 1))

    def apply(self, step: tuple) -> None:
        action, folder, which, value = step
        files = self.files(folder)
        if not files:
            return
        path = files[which % len(files)]
        if action == "definition":
            self.change(path, "Sense 0 of", f"Sense 0 (a {value}) of")
        elif action == "label":
            self.change(path, "label: ", f"label: {value}\nx_label: ")
        elif action == "id":
            self.change(path, "id: ", "id: renamed-")
        elif action == "reference":
            field = {"terms": "uses", "arguments": "supports", "sources": "references"}[folder]
            text = path.read_text("utf-8")
            if f"{field}: [" in text:
                self.change(path, f"{field}: [", f"{field}: [{value}, ")
            else:
                self.write(path, text + f"{field}: [{value}]\n")
        elif action == "unreference":
            text = path.read_text("utf-8")
            self.write(
                path, re.sub(r"(uses|supports|objects_to|about): \[[^\]]*\]", r"\1: []", text)
            )
        elif action == "waiver":
            rule, reason = value
            self.write(path, path.read_text("utf-8") + WAIVER.format(rule=rule, reason=reason))
        elif action == "unwaive":
            text = path.read_text("utf-8")
            self.write(path, text.split("waivers:")[0])
        elif action == "status":
            self.change(path, "status: established", f"status: {value}")
        elif action == "attribution":
            text = path.read_text("utf-8")
            self.write(path, re.sub(r"source: source-\d+", f"source: {value}", text, count=1))
        elif action == "unlocate":
            self.change(path, "locator: ", "x_locator: ")
        elif action == "comment":
            self.write(path, path.read_text("utf-8") + f"# {value}\n")
        elif action == "yaml-error":
            self.change(path, "title: ", "title: [unclosed ")
            self.change(path, "label: ", "label: [unclosed ")
        elif action == "add":
            text = path.read_text("utf-8")
            new = path.with_name(f"copy-{which}{path.suffix}")
            self.write(new, text.replace("id: ", f"id: copy-{which}\nx_id: ", 1))
        elif action == "delete":
            path.unlink()


TARGETS = st.sampled_from(
    ["term-3", "term-3#s0", "claim-2", "source-1", "no-such-entry", "term-3#s9", "claim-5"]
)
WORDS = st.sampled_from(
    ["generated term 4", "gt7", "generated term 1", "Generated Term 5", "word", "gt20"]
)
RULE_NAMES = st.sampled_from(
    ["dangling-reference", "unlisted-use", "unlisted-use", "schema", "no-such-rule"]
)
FOLDERS = st.sampled_from(["terms", "arguments", "sources"])
INDEXES = st.integers(0, 6)


def _step(action: str, folders, values) -> st.SearchStrategy:
    return st.tuples(st.just(action), folders, INDEXES, values)


STEPS = st.one_of(
    _step("definition", st.just("terms"), WORDS),
    _step("label", st.just("terms"), WORDS),
    _step("id", FOLDERS, st.none()),
    _step("reference", FOLDERS, TARGETS),
    _step("unreference", FOLDERS, st.none()),
    _step("waiver", FOLDERS, st.tuples(RULE_NAMES, st.sampled_from(["Accepted.", "''"]))),
    _step("unwaive", FOLDERS, st.none()),
    _step("status", st.just("terms"), st.sampled_from(["deprecated", "contested"])),
    _step("attribution", FOLDERS, st.sampled_from(["source-1", "no-such-source"])),
    _step("unlocate", FOLDERS, st.none()),
    _step("comment", FOLDERS, WORDS),
    _step("yaml-error", FOLDERS, st.none()),
    _step("add", FOLDERS, st.none()),
    _step("delete", FOLDERS, st.none()),
)


def check_output(root: Path, use_cache: bool) -> list:
    env = {"KB_NO_CACHE": "" if use_cache else "1"}
    args = ["check", str(root), "--format", "json", "--show-waived"]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEPS, min_size=1, max_size=6))
def test_random_edits_give_the_findings_of_a_fresh_run(steps):
    with tempfile.TemporaryDirectory() as folder, mock.patch.object(cache, "SETTLED", 0):
        root = generate_kb(Path(folder) / "kb", 24)
        editor = Editor(root)
        for i in range(3):  # findings for waivers to accept, and a waiver with none
            editor.apply(("definition", "terms", i, "generated term 0"))
            editor.apply(("reference", "arguments", i, "no-such-entry"))
        editor.apply(("waiver", "terms", 1, ("unlisted-use", "Accepted.")))
        assert check_output(root, use_cache=True) == check_output(root, use_cache=False)
        for step in steps:
            editor.apply(step)
            assert check_output(root, use_cache=True) == check_output(root, use_cache=False), step
