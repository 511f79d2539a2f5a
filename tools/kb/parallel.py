"""Work split over two processes, for the long runs (a first check, a large export) on a
machine with a second core; each caller falls back to doing everything here."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def cpus() -> int:
    """How many CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def in_two_processes(work: Callable[[T], bytes], here: T, there: T) -> tuple[bytes, bytes]:
    """``(work(here), work(there))``, ``work(there)`` in a forked process (which shares
    what this one built, so nothing is copied to it; its bytes come back through a pipe).
    Where no process can be forked, or the child dies, its part is done here."""
    import multiprocessing  # only long work needs it

    try:
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_send, args=(sender, work, there), daemon=True)
        child.start()
    except (OSError, ValueError):  # no fork on this platform, or no process to spare
        return work(here), work(there)
    sender.close()
    try:
        mine = work(here)
        try:
            theirs = receiver.recv_bytes()
        except EOFError:  # the child died before sending (out of memory …)
            theirs = work(there)
    finally:
        receiver.close()
        child.join()
    return mine, theirs


def _send(sender, work: Callable[[T], bytes], job: T) -> None:
    """In the forked process: send ``work(job)`` back; quietly give up when the parent
    stopped waiting (it failed, or was interrupted: Ctrl-C reaches both processes)."""
    try:
        sender.send_bytes(work(job))
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        sender.close()
