"""The cache of parsed entries and findings (kb.cache) never changes what kb check reports.

Every test compares the cached path with a fresh read of the same files: first run, nothing
changed, one file touched, files added and removed, a cache file corrupted or forged, runs at
the same time. Speed is measured by benchmarks/speed.py, not here.
"""

from __future__ import annotations

import os
import pickle
import shutil
import threading
from pathlib import Path

import pytest

from kb import cache
from kb.cache import CACHE_FOLDER, cached_check, load_tree
from kb.cli import main as kb_main
from kb.loader import load_kb
from kb.rules import run_rules

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def atlas(tmp_path) -> Path:
    """A copy of the repository's knowledge base (the three data folders)."""
    for folder in ("terms", "arguments", "sources"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def fresh(root: Path) -> list:
    return run_rules(load_kb(root))


def cached(root: Path, options: tuple = ()) -> list:
    return cached_check(
        root, lambda base, memo: run_rules(base, *options, memo=memo), options
    ).findings


def snapshot_of(base) -> tuple:
    return (base.terms, base.claims, base.sources, base.load_findings, base.files_read)


def touch_with(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_first_and_second_runs_give_the_fresh_findings(atlas):
    expected = fresh(atlas)
    assert cached(atlas) == expected
    assert (atlas / CACHE_FOLDER / cache.FINDINGS_FILE).is_file()
    assert cached(atlas) == expected
    assert snapshot_of(load_tree(atlas)) == snapshot_of(load_kb(atlas))


def test_one_file_touched(atlas):
    cached(atlas)
    claim = next((atlas / "arguments").glob("*.yaml"))
    touch_with(claim, "source: ", "source: no-such-source-")
    expected = fresh(atlas)
    assert any(f.name == "dangling-reference" for f in expected)
    assert cached(atlas) == expected
    assert snapshot_of(load_tree(atlas)) == snapshot_of(load_kb(atlas))


def test_files_added_removed_and_renamed(atlas):
    cached(atlas)
    terms = sorted((atlas / "terms").glob("*.yaml"))
    terms[0].unlink()
    terms[1].rename(atlas / "terms" / "renamed-term.yaml")
    (atlas / "terms" / "notes.txt").write_text("not an entry", "utf-8")
    (atlas / "sources" / "empty.yaml").write_text("", "utf-8")
    expected = fresh(atlas)
    assert cached(atlas) == expected
    assert snapshot_of(load_tree(atlas)) == snapshot_of(load_kb(atlas))


def test_an_edit_that_keeps_size_and_modification_time_is_seen(atlas, monkeypatch):
    monkeypatch.setattr(cache, "SETTLED", 0)  # trust recorded statuses at once
    path = next((atlas / "terms").glob("*.yaml"))
    cached(atlas)
    cached(atlas)  # the second run takes its hashes from the recorded statuses
    before = path.stat()
    touch_with(path, "label: ", "label: X")
    text = path.read_text("utf-8")
    path.write_text(text.replace("label: X", "label:", 1)[:-1] + "X\n", "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert cached(atlas) == fresh(atlas)
    assert snapshot_of(load_tree(atlas)) == snapshot_of(load_kb(atlas))


def test_options_are_part_of_the_key(atlas):
    everything = cached(atlas)
    only = cached(atlas, (["uncited-source"], [], {}))
    assert only == fresh_selected(atlas, ["uncited-source"])
    assert only != everything
    assert cached(atlas) == everything


def fresh_selected(root: Path, select: list[str]) -> list:
    return run_rules(load_kb(root), select)


def test_a_new_tool_version_does_not_reuse_results(atlas, monkeypatch):
    cached(atlas)
    seen = []
    monkeypatch.setattr(cache, "tool_fingerprint", lambda: b"another version")
    result = cached_check(atlas, lambda base, memo: seen.append(1) or run_rules(base, memo=memo))
    assert seen == [1]
    assert result.findings == fresh(atlas)


def cache_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / CACHE_FOLDER).rglob("*.bin"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],
        lambda data: b"garbage" * 10,
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit of the payload
        lambda data: data[:10] + bytes([data[10] ^ 1]) + data[11:],  # one bit of the digest
    ],
    ids=["empty", "truncated", "garbage", "payload-bit", "digest-bit"],
)
def test_corrupt_cache_files_are_rebuilt_never_trusted(atlas, damage):
    expected = fresh(atlas)
    cached(atlas)
    for path in cache_files(atlas):
        path.write_bytes(damage(path.read_bytes()))
    claim = next((atlas / "arguments").glob("*.yaml"))
    touch_with(claim, "source: ", "source: missing-")
    expected = fresh(atlas)
    assert cached(atlas) == expected
    assert snapshot_of(load_tree(atlas)) == snapshot_of(load_kb(atlas))
    assert all(cache.read_cache_file(path) is not None for path in cache_files(atlas))


class Exploit:
    """Unpickling this runs code: a forged cache file must never be unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "pwned"))


def test_a_forged_cache_file_runs_no_code(atlas, tmp_path):
    marker = tmp_path / "marker"
    folder = atlas / CACHE_FOLDER
    folder.mkdir()
    forged = pickle.dumps({b"key": Exploit(marker)})
    for name in (cache.FINDINGS_FILE, cache.FILES_FILE):
        (folder / name).write_bytes(cache.MAGIC + b"\0" * cache.DIGEST_SIZE + forged)
    assert cached(atlas) == fresh(atlas)
    assert not marker.exists()


def test_runs_at_the_same_time_agree(atlas):
    expected = fresh(atlas)
    results, errors = [], []

    def run():
        try:
            results.append(cached(atlas))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert results == [expected] * 4
    assert not list((atlas / CACHE_FOLDER).rglob("*.tmp"))
    assert cached(atlas) == expected


def test_kb_no_cache_writes_nothing(atlas, monkeypatch):
    monkeypatch.setenv("KB_NO_CACHE", "1")
    assert cached(atlas) == fresh(atlas)
    assert not (atlas / CACHE_FOLDER).exists()


def test_cli_check_same_output_with_and_without_cache(atlas, capsys):
    claim = next((atlas / "arguments").glob("*.yaml"))
    touch_with(claim, "source: ", "source: missing-")
    outputs = []
    for args in (["--no-cache"], [], [], ["--no-cache"]):
        with pytest.raises(SystemExit) as exit_info:
            kb_main(["check", str(atlas), "--format", "json", *args])
        outputs.append((exit_info.value.code, capsys.readouterr().out))
    assert outputs[0][0] == 1
    assert outputs == [outputs[0]] * 4


def test_parsing_in_two_processes_gives_the_same_entries(atlas, monkeypatch):
    monkeypatch.setattr(cache, "PARALLEL_FROM", 1)
    monkeypatch.setattr(cache, "_cpus", lambda: 2)
    parsed_in_two = []
    real = cache._parse_in_two_processes
    monkeypatch.setattr(
        cache,
        "_parse_in_two_processes",
        lambda jobs, *rest: parsed_in_two.append(len(jobs)) or real(jobs, *rest),
    )
    assert snapshot_of(load_tree(atlas)) == snapshot_of(load_kb(atlas))
    assert parsed_in_two and parsed_in_two[0] > 100
    shutil.rmtree(atlas / CACHE_FOLDER)
    assert cached(atlas) == fresh(atlas)  # entries written aside by a forked process
    files = [p.relative_to(atlas).as_posix() for p in atlas.rglob("*.yaml")]
    written = (atlas / CACHE_FOLDER / cache.ENTRIES_FOLDER).glob("*.bin")
    assert {p.name for p in written} == {f"{cache._shard(rel)}.bin" for rel in files}
    assert snapshot_of(load_tree(atlas)) == snapshot_of(load_kb(atlas))
    claim = next((atlas / "arguments").glob("*.yaml"))
    touch_with(claim, "source: ", "source: missing-")
    assert cached(atlas) == fresh(atlas)


def test_only_a_check_looks_mentions_up_aside(atlas, monkeypatch):
    """The mention search started beside a first run's loading serves the rules; an export
    or a site build, which load the same way, would only spend a core on it."""
    monkeypatch.setattr(cache, "PARALLEL_FROM", 1)
    monkeypatch.setattr(cache, "_cpus", lambda: 2)
    searched = []
    monkeypatch.setattr(cache.mentions, "search_aside", lambda entries: searched.append(1))
    load_tree(atlas)
    assert searched == []
    shutil.rmtree(atlas / CACHE_FOLDER)
    cached(atlas)
    assert searched == [1]


def test_entries_put_in_the_wrong_place_are_seen(atlas):
    cached(atlas)
    entry = next((atlas / "terms").glob("*.yaml")).read_text("utf-8")
    (atlas / "stray-entry.yaml").write_text(entry, "utf-8")
    assert cached(atlas) == fresh(atlas)
    (atlas / "term").mkdir()
    (atlas / "term" / "lost.yaml").write_text(entry, "utf-8")
    expected = fresh(atlas)
    assert sum(f.location.path.startswith(("term/", "stray")) for f in expected) == 2
    assert cached(atlas) == expected


def test_a_cache_folder_that_is_a_link_is_never_written_through(atlas, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (atlas / CACHE_FOLDER).symlink_to(elsewhere, target_is_directory=True)
    assert cached(atlas) == fresh(atlas)
    assert list(elsewhere.iterdir()) == []
    (atlas / CACHE_FOLDER).unlink()
    (atlas / CACHE_FOLDER / "entries").parent.mkdir()
    (atlas / CACHE_FOLDER / "entries").symlink_to(elsewhere, target_is_directory=True)
    assert cached(atlas) == fresh(atlas)
    assert list(elsewhere.iterdir()) == []


def test_mentions_kept_between_runs_give_the_same_findings(atlas):
    cached(atlas)
    term = next(
        p
        for p in sorted((atlas / "terms").glob("*.yaml"))
        if "definition: >-" in p.read_text("utf-8")
    )
    touch_with(
        term,
        "definition: >-\n",
        "definition: >-\n      An optimizer and a mesa-optimizer and a base objective, restated.\n",
    )
    expected = fresh(atlas)
    assert any(f.name == "unlisted-use" and f.location.path.endswith(term.name) for f in expected)
    assert cached(atlas) == expected
    found = cache.mentions.MEMO.in_use()[1]
    assert len(found) > 50
    touch_with(term, "restated", "restated again")
    assert cached(atlas) == fresh(atlas)
