"""What the ``kb`` commands share: one way to name the knowledge base (``--root DIR``, which
``kb check``, ``kb stats`` and ``kb export`` also take as their argument ROOT) and loading it
with a one-line reason instead of a traceback.

:mod:`kb.cli` and the modules that define other commands (:mod:`kb.export_commands`) import
this module; none of them imports another, so the command modules form no import cycle.
"""

from __future__ import annotations

from pathlib import Path

import click

from kb.cache import load_tree
from kb.model import NotAKnowledgeBase

ROOT_HELP = "The knowledge-base folder, holding terms/, arguments/ and sources/"


def root_option(command=None, *, default: str = "."):
    """``--root DIR``: the knowledge-base folder, the same option on every command
    (``default`` only says in the help what the command uses when it is not given)."""

    def add(command):
        return click.option(
            "--root",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help=f"{ROOT_HELP}  [default: {default}]",
        )(command)

    return add(command) if command is not None else add


def root_argument(command):
    """``[ROOT]``: the knowledge-base folder as an optional argument, the same as ``--root``."""
    return click.argument(
        "path", required=False, metavar="[ROOT]", type=click.Path(file_okay=False, path_type=Path)
    )(command)


def knowledge_base_root(path: Path | None, root: Path | None) -> Path:
    """The folder named by the argument ROOT or by ``--root`` (default: the current folder)."""
    if path is not None and root is not None and path != root:
        raise click.UsageError(
            f"two knowledge-base folders given ({path} and --root {root}): name it once"
        )
    return path or root or Path(".")


def open_kb(path: str | Path, load=load_tree):
    """``load(path)`` (by default: the knowledge base, through the cache in .kb-cache/), or
    exit 2 with a one-line reason."""
    try:
        return load(path)
    except NotAKnowledgeBase as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:
        raise click.FileError(str(path), hint=exc.strerror) from None
