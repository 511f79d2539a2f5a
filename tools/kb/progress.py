"""Progress of long work on standard error: shown to a person at a terminal, to nobody else.

``kb check`` on a big tree, the exports, ``kb fmt`` over many files and the site's generation
step report what they are doing on one line of stderr, redrawn in place::

    kb: reading entries 12,345/50,000 (24 %)

The line appears only when stderr is a terminal, only once the work has lasted longer than
:data:`DELAY` seconds (quick runs stay silent), and never after :func:`set_quiet` (the
``--quiet`` option). It is erased when the work ends, so the command's own output and
messages are never mixed with it. Output to a pipe, a file or CI logs carries no progress.

>>> with task("reading entries", total=3) as step:
...     for name in ("a", "b", "c"):
...         _ = step(name)
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

DELAY = 0.5
"""Seconds of work before the progress line first appears."""
INTERVAL = 0.1
"""Seconds between two redraws of the line."""

_quiet = False


def set_quiet(quiet: bool = True) -> None:
    """Turn progress off (or back on) for the rest of the process."""
    global _quiet
    _quiet = quiet


def shown(stream: TextIO | None = None) -> bool:
    """True when progress would be drawn on ``stream`` (stderr by default)."""
    stream = stream or sys.stderr
    try:
        return not _quiet and stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False


class _Line:
    """One progress line: a label, a count and, when known, a total."""

    def __init__(self, label: str, total: int | None, stream: TextIO):
        self.label, self.total, self.stream = label, total, stream
        self.done = 0
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.visible = False
        self.lock = threading.Lock()

    def text(self) -> str:
        if self.total:
            share = 100 * self.done // self.total
            return f"kb: {self.label} {self.done:,}/{self.total:,} ({share} %)"
        return f"kb: {self.label}… {time.monotonic() - self.started:.0f} s"

    def draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and (now - self.started < DELAY or now - self.drawn_at < INTERVAL):
            return
        with self.lock:
            self.stream.write("\r\033[K" + self.text())
            self.stream.flush()
            self.drawn_at, self.visible = now, True

    def erase(self) -> None:
        with self.lock:
            if self.visible:
                self.stream.write("\r\033[K")
                self.stream.flush()
                self.visible = False


def _no_op(value: Any = None) -> Any:
    return value


@contextmanager
def task(
    label: str, total: int | None = None, stream: TextIO | None = None
) -> Iterator[Callable[..., Any]]:
    """Report progress of the work in the ``with`` block; yields ``step(value) -> value``.

    Call ``step`` once per unit of work (it returns its argument, so it can wrap a value in
    a comprehension). With ``total=None`` the line shows the elapsed time instead of a count,
    redrawn by a background thread, for work that cannot count its steps.
    """
    stream = stream or sys.stderr
    if not shown(stream):
        yield _no_op
        return
    line = _Line(label, total, stream)
    stop = threading.Event()
    ticker = None
    if total is None:
        ticker = threading.Thread(target=_tick, args=(line, stop), daemon=True)
        ticker.start()

    def step(value: Any = None) -> Any:
        line.done += 1
        line.draw()
        return value

    try:
        yield step
    finally:
        stop.set()
        if ticker:
            ticker.join()
        line.erase()


def _tick(line: _Line, stop: threading.Event) -> None:
    while not stop.wait(INTERVAL):
        line.draw()
