"""Progress on stderr: drawn only at a terminal, never with --quiet, erased when work ends."""

from __future__ import annotations

import io
import time

import pytest
from click.testing import CliRunner

from kb import progress
from kb.cli import cli

ROOT_FIXTURE = "tests/fixtures/export/complete"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def immediate(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    progress.set_quiet(False)
    yield
    progress.set_quiet(False)


def test_counted_progress_is_drawn_at_a_terminal_and_erased():
    stream = Terminal()
    with progress.task("reading entries", total=4, stream=stream) as step:
        assert [step(n) for n in range(4)] == [0, 1, 2, 3]
    text = stream.getvalue()
    assert "\r\x1b[Kkb: reading entries 2/4 (50 %)" in text
    assert "kb: reading entries 4/4 (100 %)" in text
    assert text.endswith("\r\x1b[K")  # the line is gone when the work ends


def test_uncounted_progress_shows_elapsed_time():
    stream = Terminal()
    with progress.task("writing the turtle export", stream=stream):
        time.sleep(0.05)
    assert "kb: writing the turtle export… 0 s" in stream.getvalue()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_silent_when_not_a_terminal():
    stream = io.StringIO()
    with progress.task("reading entries", total=2, stream=stream) as step:
        step()
        step()
    assert stream.getvalue() == ""


def test_silent_when_quiet():
    stream = Terminal()
    progress.set_quiet()
    with progress.task("reading entries", total=2, stream=stream) as step:
        step()
    with progress.task("writing", stream=stream):
        time.sleep(0.02)
    assert stream.getvalue() == ""


def test_quick_work_stays_silent(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 60.0)
    stream = Terminal()
    with progress.task("reading entries", total=2, stream=stream) as step:
        step()
    assert stream.getvalue() == ""


def test_kb_quiet_option_turns_progress_off(tmp_path):
    result = CliRunner().invoke(cli, ["--quiet", "check", ROOT_FIXTURE, "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    assert progress.shown(Terminal()) is False
    assert "\r" not in result.output
