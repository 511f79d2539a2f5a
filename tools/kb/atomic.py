"""Atomic file writes: a file is either its old self or completely new, never half written.

Every command that writes files (``kb fmt``, ``kb new``, ``kb export -o``, the cache) goes
through :func:`write_atomic`: the data goes to a temporary file in the target's folder, is flushed
to disk, takes the target's permission bits, and is renamed over the target with
:func:`os.replace` (atomic on POSIX and Windows when both are on one file system). A run
killed at any moment leaves at worst a stray ``.<name>.<random>.tmp`` beside the target,
never a truncated entry.

A symbolic link is never written through: :func:`write_atomic` refuses a target that is a
link, so a link in the data folders cannot make ``kb fmt`` rewrite a file elsewhere.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class SymlinkRefused(OSError):
    """The target is a symbolic link; writes never follow links."""


def _read_umask() -> int:
    """The process's umask (reading it means setting it, so this is done once, at import)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def _mode_for(path: Path, exclusive: bool) -> int:
    """The permission bits the written file gets: the old file's, or the umask default."""
    if not exclusive:
        try:
            return stat.S_IMODE(path.lstat().st_mode)
        except FileNotFoundError:
            pass
    return 0o666 & ~_UMASK


def write_atomic(
    path: str | Path,
    data: str | bytes,
    *,
    exclusive: bool = False,
    mode: int | None = None,
    sync: bool = True,
) -> Path:
    """Write ``data`` (text is written as UTF-8, line ends as given) to ``path`` atomically.

    ``exclusive`` refuses to replace an existing file (:class:`FileExistsError`), for
    commands that never overwrite (``kb new``). ``mode`` sets the permission bits (default:
    the old file's, or the umask's for a new file). ``sync=False`` skips flushing to disk,
    for files that may be lost but never half written (caches). Raises
    :class:`SymlinkRefused` when ``path`` is a symbolic link, and :class:`OSError` when the
    folder cannot be written; the target is then untouched.
    """
    path = Path(path)
    if path.is_symlink():
        raise SymlinkRefused(
            0, f"{path} is a symbolic link; kb never writes through links", str(path)
        )
    mode = _mode_for(path, exclusive) if mode is None else mode
    content = data.encode("utf-8") if isinstance(data, str) else data
    with tempfile.NamedTemporaryFile(
        "wb", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    ) as handle:
        temporary = Path(handle.name)
        try:
            handle.write(content)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        except BaseException:
            handle.close()
            temporary.unlink()
            raise
    try:
        os.chmod(temporary, mode)
        if exclusive:
            _link_new(temporary, path)
        else:
            os.replace(temporary, path)
    except BaseException:
        if os.path.lexists(temporary):
            temporary.unlink()
        raise
    if sync:
        _sync_folder(path.parent)
    return path


def _link_new(temporary: Path, path: Path) -> None:
    """Give ``temporary`` the name ``path`` unless that exists (FileExistsError)."""
    try:
        os.link(temporary, path)  # atomic, and never replaces an existing file
    except FileExistsError:
        raise
    except OSError:  # pragma: no cover - a file system without hard links
        if os.path.lexists(path):
            raise FileExistsError(17, "File exists", str(path)) from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def _sync_folder(folder: Path) -> None:
    """Flush the folder entry of the rename to disk, where the platform allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open folders
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(descriptor)
