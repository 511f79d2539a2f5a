"""Class 3 of issue 11: commands that write files never leave a file half written.

Every writer goes through :func:`kb.atomic.write_atomic`; a write that fails (or is killed)
at any step leaves the old file whole, keeps its mode, and leaves no temporary file; one
file that cannot be written or formatted never stops the others.
"""

from __future__ import annotations

import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb import atomic
from kb.atomic import SymlinkRefused, write_atomic
from kb.cli import cli
from tests.helpers import term_yaml, write_kb

UNFORMATTED = "label: alpha\nid: alpha\nsenses:\n  - source: paper\n    id: main\n    definition: The alpha notion.\n    uses: []\n"


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_write_replaces_the_file_and_keeps_its_mode(tmp_path):
    path = tmp_path / "entry.yaml"
    path.write_text("old\n")
    path.chmod(0o640)
    write_atomic(path, "new\n")
    assert path.read_text() == "new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("step", ["write", "fsync", "chmod", "replace"])
def test_a_write_that_fails_at_any_step_leaves_the_old_file(tmp_path, monkeypatch, step):
    path = tmp_path / "entry.yaml"
    path.write_text("old text\n")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if step == "write":
        monkeypatch.setattr(atomic.tempfile, "NamedTemporaryFile", _failing_file_factory())
    else:
        monkeypatch.setattr(atomic.os, step, fail)
    with pytest.raises(OSError):
        write_atomic(path, "new text that never lands\n")
    assert path.read_text() == "old text\n"
    assert _leftovers(tmp_path) == []


def _failing_file_factory():
    import tempfile

    real = tempfile.NamedTemporaryFile

    def factory(*args, **kwargs):
        handle = real(*args, **kwargs)

        def write(data):
            handle.file.write(data[: len(data) // 2])  # half of it, then the disk is full
            raise OSError(28, "No space left on device")

        handle.write = write
        return handle

    return factory


def test_an_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "entry.yaml"
    path.write_text("old text\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "new\n")
    assert path.read_text() == "old text\n"
    assert _leftovers(tmp_path) == []


def test_exclusive_write_never_replaces_a_file(tmp_path):
    path = tmp_path / "entry.yaml"
    path.write_text("someone else's\n")
    with pytest.raises(FileExistsError):
        write_atomic(path, "template\n", exclusive=True)
    assert path.read_text() == "someone else's\n"
    assert _leftovers(tmp_path) == []


def test_writes_never_go_through_a_symbolic_link(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("precious\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(outside)
    with pytest.raises(SymlinkRefused):
        write_atomic(link, "overwritten\n")
    assert outside.read_text() == "precious\n"


def test_fmt_rewrites_through_a_temporary_file_and_keeps_the_mode(tmp_path):
    root = write_kb(tmp_path, {"terms/alpha.yaml": UNFORMATTED})
    path = root / "terms" / "alpha.yaml"
    path.chmod(0o600)
    inode = path.stat().st_ino
    result = CliRunner().invoke(cli, ["fmt", str(root / "terms")])
    assert result.exit_code == 0, result.output
    assert path.read_text().startswith("id: alpha\nlabel: alpha\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.stat().st_ino != inode  # a new file renamed over the old one
    assert _leftovers(path.parent) == []


def test_fmt_goes_on_when_one_file_cannot_be_written(tmp_path, monkeypatch):
    root = write_kb(
        tmp_path,
        {"terms/alpha.yaml": UNFORMATTED, "terms/beta.yaml": UNFORMATTED.replace("alpha", "beta")},
    )
    real = atomic.write_atomic

    def refuse_alpha(path, text, **kwargs):
        if Path(path).name == "alpha.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, text, **kwargs)

    monkeypatch.setattr("kb.fmt.write_atomic", refuse_alpha)
    result = CliRunner().invoke(cli, ["fmt", str(root / "terms")])
    assert result.exit_code == 1
    assert "alpha.yaml:1:1: the file could not be written: Permission denied" in result.output
    assert (root / "terms" / "alpha.yaml").read_text() == UNFORMATTED
    assert (root / "terms" / "beta.yaml").read_text().startswith("id: beta\nlabel: beta\n")
    assert "1 file reformatted" in result.output and "1 could not be formatted" in result.output


def test_fmt_goes_on_after_a_file_it_cannot_format(tmp_path):
    root = write_kb(
        tmp_path,
        {
            "terms/alpha.yaml": "id: alpha\nlabel: !!int\n",
            "terms/beta.yaml": UNFORMATTED.replace("alpha", "beta"),
        },
    )
    result = CliRunner().invoke(cli, ["fmt", str(root / "terms")])
    assert result.exit_code == 1
    assert "alpha.yaml:2:8: KB006 yaml-syntax the YAML tag '!!int' is not allowed" in result.output
    assert (root / "terms" / "alpha.yaml").read_text() == "id: alpha\nlabel: !!int\n"
    assert (root / "terms" / "beta.yaml").read_text().startswith("id: beta\nlabel: beta\n")


def test_a_killed_fmt_run_leaves_every_file_old_or_new(tmp_path):
    """Kill ``kb fmt`` at several moments while it rewrites 300 files: each file is then
    either exactly as it was or exactly formatted, never empty or cut short (a stray
    ``.<name>.<random>.tmp`` beside it is the most a kill can leave)."""
    from kb.fmt import format_text

    files = {f"terms/t{i:03}.yaml": UNFORMATTED.replace("alpha", f"t{i:03}") for i in range(300)}
    new = {rel: format_text(old, "term") for rel, old in files.items()}
    changed = 0
    for watched in ("terms/t000.yaml", "terms/t150.yaml"):
        root = write_kb(tmp_path / watched[6:10], files)
        process = subprocess.Popen(
            [sys.executable, "-m", "kb", "fmt", "terms"],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while (root / watched).read_text() == files[watched] and time.monotonic() < deadline:
            time.sleep(0.001)
        process.send_signal(signal.SIGKILL)  # mid-run: it is rewriting the files now
        process.wait()
        for rel, old in files.items():
            text = (root / rel).read_text()
            assert text in (old, new[rel]), rel
            changed += text == new[rel]
        strays = [p.name for p in (root / "terms").iterdir() if not p.name.endswith(".yaml")]
        assert all(name.startswith(".t") and name.endswith(".tmp") for name in strays), strays
    assert changed, "no run got as far as rewriting a file: the test proves nothing"


def test_new_writes_atomically_and_never_overwrites(tmp_path):
    write_kb(tmp_path, {"terms/alpha.yaml": term_yaml("alpha")})
    runner = CliRunner()
    result = runner.invoke(cli, ["new", "term", "beta", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "terms" / "beta.yaml").read_text().count("id: beta") == 1
    again = runner.invoke(cli, ["new", "term", "alpha", "--root", str(tmp_path)])
    assert again.exit_code == 2
    assert "exists already; kb new never overwrites a file" in again.output
    assert (tmp_path / "terms" / "alpha.yaml").read_text() == term_yaml("alpha")
    assert _leftovers(tmp_path / "terms") == []


def test_export_to_a_file_replaces_it_whole_and_keeps_its_mode(tmp_path):
    root = write_kb(tmp_path / "kb", {"terms/alpha.yaml": term_yaml("alpha")})
    out = tmp_path / "atlas.graphml"
    out.write_text("old export\n")
    out.chmod(0o644)
    result = CliRunner().invoke(cli, ["export", "--format", "graphml", "-o", str(out), str(root)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<graphml")
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert _leftovers(tmp_path) == []


def test_export_that_cannot_be_written_exits_2_and_keeps_the_old_file(tmp_path, monkeypatch):
    root = write_kb(tmp_path / "kb", {"terms/alpha.yaml": term_yaml("alpha")})
    out = tmp_path / "atlas.dot"
    out.write_text("old export\n")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full)
    result = CliRunner().invoke(cli, ["export", "--format", "dot", "-o", str(out), str(root)])
    assert result.exit_code == 2
    assert f"cannot write {out}: No space left on device" in result.output
    assert out.read_text() == "old export\n"
    assert _leftovers(tmp_path) == []


def test_bytes_with_a_mode_and_no_sync_for_caches(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(atomic.os, "fsync", synced.append)
    path = write_atomic(tmp_path / "cache.bin", b"\x00\x01", mode=0o600, sync=False)
    assert path.read_bytes() == b"\x00\x01"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert synced == []
    write_atomic(tmp_path / "entry.yaml", "text\n")
    assert synced  # text for people is flushed to disk before the rename
