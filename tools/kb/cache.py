"""A cache of parsed entries and of ``kb check`` findings, kept in ``<root>/.kb-cache/``.

``kb check`` runs on every commit, and most runs follow a change to one file or to none.
Four things are kept between runs:

- **parsed entries**: what :func:`kb.loader.load_entry_file` returns for each file (the built
  entry and the file's own findings), with the hash of the bytes it was parsed from and a
  *parse id* that names the result: an edit that leaves the result equal (a comment, quoting
  style, blank lines after the last value) keeps the id of the previous version;
- **findings**: the result of a whole check, keyed by the layout of the data folders (every
  name and type; what the loader checks for misplaced entries at the root), the parse id of
  every file, the options of the check and any further inputs it reads (such as a folder of
  archived texts). So a run after an edit that changed no parsed value answers from here
  without building the knowledge base;
- **rule records**: the findings of the last check rule by rule, waivers applied, with the
  waivers each rule used (:class:`kb.rules.RuleRecord`), its options and inputs, every
  file's parse id and the files the loader read (see *Incremental checks* below);
- **mentions** of term names found in each definition (:data:`kb.mentions.MEMO`), keyed by
  the names indexed and the text.

All keys include :func:`tool_fingerprint` — the package version and the bytes of the ``kb``
package's own code and schemas — so a new version of the tool never reuses an old result.

Incremental checks
------------------
A check whose findings key is new, with the options and inputs of the last check, does only
what the edits since require (:func:`cached_check`):

1. *What changed.* The files whose parse id differs from the rule records' are compared with
   the version those records were computed on, facet by facet
   (:data:`kb.rules.registry.FACETS`: ``ids``, ``names``, ``links``, ``attribution``,
   ``status``, ``text``, ``waivers``; ``load`` for the loader's own findings of the file).
   Every field of an entry is in exactly one facet, so unchanged facets mean unchanged
   values. Files added, removed or renamed (the layout), or a version no longer kept, count
   as a change of everything. So that a run in between (a check answered from the
   findings, ``kb export``) does not lose it, a file's record keeps the version the rule
   records were computed on beside its newer one (:meth:`_Store._base`).
2. *Which rules run* (:class:`kb.rules.RuleMemo`). A rule declares the facets it
   ``reads``; when none of them changed (nor, for a waivable rule, ``ids`` and
   ``waivers``, which applying waivers reads), its findings are those of its record, waived
   as they were; ``unused-waiver`` is recomputed unless the waivers and the waivers used
   are as before. A rule declaring nothing always runs. Findings are a function of the
   facets their rule reads, so the result is exactly a fresh run's; tests change one facet
   at a time to hold every declaration to that (tests/test_incremental_facets.py).
3. *What is built.* The rules get a :class:`_LazyKnowledgeBase`: the table a rule first
   touches (terms, claims or sources) is assembled alone from the kept results, in the
   loader's order; the whole knowledge base is loaded only for what needs it (the loader's
   findings, unreadable files). A reworded definition runs ``unlisted-use`` over the terms
   only; a comment, or quoting, changes no parse id and is answered from the findings.

Which files are YAML is learnt from one directory walk; a file is read and hashed unless its
status (times, size, inode) is the one recorded with its hash and parse id at least two
seconds after its last change, as git's index does (:func:`snapshot`). A file read again is
parsed only when the cache holds no result for its bytes.

A cache file is never trusted: it carries a keyed BLAKE2 digest of its content under a
secret kept outside the repository (``$XDG_CACHE_HOME/alignment-atlas-kb/secret``, mode
0600), and a file whose digest, header or content does not check out is ignored and
rebuilt. So a ``.kb-cache/`` committed by someone else, or corrupted on disk, can neither
change the findings nor run code. Files are written to a temporary file and renamed over,
so concurrent runs each see a whole file (the last writer wins).

Set ``KB_NO_CACHE=1`` (or pass ``use_cache=False``) to read everything afresh.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import os
import pickle
import stat
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kb import mentions, progress
from kb.atomic import write_atomic
from kb.findings import Finding
from kb.model import KIND_FOLDERS, KnowledgeBase, misplaced_folder
from kb.parallel import cpus as _cpus

CACHE_FOLDER = ".kb-cache"
FILES_FILE = "files.bin"
MENTIONS_FILE = "mentions.bin"
ENTRIES_FOLDER = "entries"
SHARDS = 64
FINDINGS_FILE = "findings.bin"
RULES_FILE = "rules.bin"
MAGIC = b"KBCACHE2"
DIGEST_SIZE = 32
SETTLED = 2_000_000_000
"""Nanoseconds: a file's recorded status is trusted only if it was this old when recorded."""
REREAD_ALLOWED = 20
"""Files read again (not recognised by their recorded status) before the record is rewritten."""
KEPT_RESULTS = 8
"""How many results (one per set of check options) the findings file keeps."""

YAML_SUFFIXES = (".yaml", ".yml")
FOLDER_KINDS = {folder: kind for kind, folder in KIND_FOLDERS.items()}
PARALLEL_FROM = 2_000
"""Files to parse from which a second process pays for its start and for sending results back."""


def cache_enabled(use_cache: bool = True) -> bool:
    """False when the caller or the ``KB_NO_CACHE`` environment variable turns the cache off."""
    return use_cache and os.environ.get("KB_NO_CACHE", "") in ("", "0")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while many small acyclic objects are built.

    Loading builds hundreds of thousands of tree-shaped objects (no reference cycles, so
    reference counting frees them); the collector would otherwise re-scan them again and
    again, which costs a fifth of a load and most of an unpickling.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # Hand what was built to the oldest generation without scanning it: re-enabled
            # as it was, the collector would walk every new object at the next allocation.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


# -- what a result depends on -------------------------------------------------------------


def _hash(*parts: bytes) -> bytes:
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()


@cache
def tool_fingerprint() -> bytes:
    """The version of Python, the distributions installed (with their versions) where the
    libraries whose output the cache keeps live (the YAML parser, the schema validators, the
    mention search, this package), and the bytes of the package's files.

    Hashing the package's own code means an edited rule or loader (an upgrade, or a change
    by a developer) never reuses a result computed by the old code. Installed distributions
    are read from the names of their ``*.dist-info`` folders (one listing, where asking
    :mod:`importlib.metadata` costs a tenth of a check that reuses everything).
    """
    package = os.path.dirname(os.path.abspath(__file__))
    parts = [sys.version.encode(), *_installed()]
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json", ".rq", ".ttl")):
                path = os.path.join(folder, name)
                parts += [os.path.relpath(path, package).encode(), _read(path) or b"?"]
    return _hash(*parts)


def _installed() -> list[bytes]:
    """The ``NAME-VERSION.dist-info`` folders of every site-packages folder on the path."""
    names = []
    for folder in sys.path:
        if os.path.basename(folder) in ("site-packages", "dist-packages"):
            with contextlib.suppress(OSError):
                names += sorted(n for n in os.listdir(folder) if n.endswith(".dist-info"))
    return [name.encode() for name in names]


@dataclass
class Snapshot:
    """Every file and folder under the data folders, with a hash of each YAML file's bytes.

    ``layout`` changes when any name, type or link target changes (a file added, removed or
    renamed, a stray file, a folder); ``content`` holds the hash of each YAML file's bytes.
    ``raw`` keeps the bytes read, so the loader does not read a file twice; ``statuses`` and
    ``pids`` (known from the record for files unchanged since it was made, given by
    :meth:`_Store.identify` to the others) make the record of the next run.
    """

    layout: bytes = b""
    content: dict[str, bytes] = field(default_factory=dict)
    """Relative path → hash of the bytes, for each regular YAML file."""
    raw: dict[str, bytes] = field(default_factory=dict)
    statuses: dict[str, tuple] = field(default_factory=dict)
    pids: dict[str, bytes] = field(default_factory=dict)
    """Relative path → parse id: the same id for bytes that parse to equal results."""
    taken_at: int = 0

    def digest(self) -> bytes:
        """What the findings depend on: the layout and what each file parsed to."""
        pids = self.pids  # a path holds no NUL, and every id has the same length
        return _hash(
            self.layout, b"".join(rel.encode() + b"\0" + pids[rel] for rel in self.content)
        )

    def record(self) -> dict[str, tuple]:
        """``rel → (status, content hash, parse id)``, for :func:`snapshot` of the next run."""
        return {
            rel: (self.statuses[rel], content, self.pids[rel])
            for rel, content in self.content.items()
        }


def _walk(folder: str, rel: str) -> Iterator[tuple[str, os.DirEntry]]:
    """``(relative path, entry)`` for everything under ``folder``, never following links."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        path = f"{rel}/{entry.name}"
        yield path, entry
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, path)


def _status(entry: os.DirEntry) -> tuple | None:
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)


def snapshot(root: Path, previous: dict[str, tuple] | None = None, taken: int = 0) -> Snapshot:
    """Walk the data folders of ``root``: names, types, and the hash of every YAML file.

    A YAML file is read and hashed unless ``previous`` (the record of an earlier run, made at
    ``taken``) holds the very same status for it — modification and change times, size,
    inode — and that status was already at least :data:`SETTLED` old when recorded; its hash
    and parse id are then taken from the record. This is how git's index avoids rereading
    files: the change time cannot be set back, so an edit since then shows.
    """
    snap = Snapshot(taken_at=time.time_ns())
    known = previous or {}
    settled_before = taken - SETTLED
    parts: list[bytes] = []
    for folder in KIND_FOLDERS.values():
        parts.append(f"{folder}:{(root / folder).is_dir()}".encode())
        for rel, entry in _walk(os.path.join(root, folder), folder):
            if entry.is_symlink():
                parts.append(f"L {rel} -> {_readlink(entry.path)}".encode())
            elif entry.is_dir(follow_symlinks=False):
                parts.append(f"D {rel}".encode())
            elif rel.endswith(YAML_SUFFIXES) and entry.is_file(follow_symlinks=False):
                status = _status(entry)
                parts.append(b"F " + rel.encode())
                record = known.get(rel)
                if status and record and record[0] == status and max(status[:2]) < settled_before:
                    content = record[1]
                    snap.pids[rel] = record[2]
                else:
                    raw = _read(entry.path)
                    if raw is None or status is None:
                        parts[-1] = b"U " + rel.encode()
                        continue
                    snap.raw[rel] = raw
                    content = hashlib.blake2b(raw, digest_size=DIGEST_SIZE).digest()
                snap.content[rel] = content
                snap.statuses[rel] = status
            else:
                parts.append(f"O {rel} {_mode(entry)}".encode())
    # No name, link target or mode holds a NUL: joined by one, the parts stay distinct.
    snap.layout = _hash(b"\0".join(parts), *_root_parts(root))
    return snap


def _root_parts(root: Path) -> list[bytes]:
    """What the loader looks at beside the data folders, for entries put in the wrong place:
    the names at the root, the bytes of YAML files there, and the names inside folders named
    almost like a data folder (:func:`kb.model.misplaced_folder`)."""
    parts = []
    try:
        items = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return [b"R ?"]
    for item in items:
        if item.name.startswith(".") or item.name in KIND_FOLDERS.values():
            continue
        if item.is_symlink():
            parts.append(f"R L {item.name}".encode())
        elif item.is_dir(follow_symlinks=False):
            parts.append(f"R D {item.name}".encode())
            if misplaced_folder(item.name):
                parts += [f"R {rel}".encode() for rel, _ in _walk(item.path, item.name)]
        elif item.name.endswith(YAML_SUFFIXES):
            parts.append(f"R F {item.name} ".encode() + _hash(_read(item.path) or b"?"))
        else:
            parts.append(f"R O {item.name}".encode())
    return parts


def _readlink(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _mode(entry: os.DirEntry) -> str:
    try:
        return oct(stat.S_IFMT(entry.stat(follow_symlinks=False).st_mode))
    except OSError:
        return "?"


def inputs_digest(paths: Iterable[Path]) -> bytes:
    """A digest of further files a check reads (e.g. archived texts): names and bytes."""
    parts = []
    for base in paths:
        base = Path(base)
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for path in files:
            if path.is_file():
                parts += [str(path).encode(), _read(str(path)) or b"?"]
            else:
                parts.append(f"{path}:{path.exists()}".encode())
    return _hash(*parts)


# -- signed cache files -------------------------------------------------------------------


def _secret_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "alignment-atlas-kb" / "secret"


@cache
def _secret() -> bytes | None:
    """The key that signs cache files, created on first use; None if it cannot be kept."""
    path = _secret_path()
    try:
        key = path.read_bytes()
        if len(key) == DIGEST_SIZE:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(path, os.urandom(DIGEST_SIZE), mode=0o600, sync=False)
        return path.read_bytes()
    except OSError:
        return None


def _sign(payload: bytes, key: bytes) -> bytes:
    return hashlib.blake2b(payload, key=key, digest_size=DIGEST_SIZE).digest()


def read_cache_file(path: Path) -> object | None:
    """The object stored in ``path``, or None when it is missing, unsigned, altered or corrupt."""
    key = _secret()
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = len(MAGIC) + DIGEST_SIZE
    if key is None or len(data) < header or not data.startswith(MAGIC):
        return None
    payload = data[header:]
    if not hmac.compare_digest(data[len(MAGIC) : header], _sign(payload, key)):
        return None
    try:
        with gc_paused():
            return pickle.loads(payload)
    except Exception:  # a payload signed by us but unreadable (e.g. an older Python)
        return None


def write_cache_file(path: Path, value: object) -> None:
    """Store ``value`` in ``path``, signed; a cache that cannot be written is skipped."""
    key = _secret()
    if key is None:
        return
    if path.parent.is_symlink():  # the entries folder replaced by a link: never written through
        return
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, MAGIC + _sign(payload, key) + payload, mode=0o644, sync=False)
    except OSError:
        pass


# -- cached loading and checking ----------------------------------------------------------


def _parse(jobs: list[tuple[str, str, str, bytes]]) -> list[tuple]:
    """:func:`kb.loader.load_entry_file` of each ``(path, rel, kind, raw)``."""
    from kb.loader import load_entry_file

    with gc_paused():
        return [load_entry_file(Path(path), rel, kind, raw=raw) for path, rel, kind, raw in jobs]


def _parse_in_two_processes(
    jobs: list[tuple[str, str, str, bytes]], for_rules: bool = False
) -> list[tuple]:
    """:func:`_parse` of ``jobs``, four of every nine in a forked process, which also pickles
    its results to send them back (a quarter of the time parsing them takes), the others
    here; files of every kind go to both (a term costs twice a claim). Where a process
    cannot be forked, everything is parsed here. Once all are parsed, and ``for_rules``
    (a check will run the rules, not an export or a site build, which use no mentions), the
    mentions in the terms' definitions are looked up aside (:func:`kb.mentions.search_aside`)."""
    import multiprocessing  # only a first run over many files needs it

    from kb.loader import compile_validators

    compile_validators()  # once, before the fork
    results: list = [None] * len(jobs)
    here = [i for i in range(len(jobs)) if i % 9 % 2 == 0]
    there = [i for i in range(len(jobs)) if i % 9 % 2 == 1]
    try:
        context = multiprocessing.get_context("fork")
        # paused until the second half is unpickled too (in the pool's thread)
        with gc_paused(), context.Pool(1) as pool:
            pending = pool.apply_async(_parse, ([jobs[i] for i in there],))
            for i, result in zip(here, _parse([jobs[i] for i in here]), strict=True):
                results[i] = result
            for i, result in zip(there, pending.get(), strict=True):
                results[i] = result
    except (OSError, ValueError):  # no fork on this platform, or no process to spare
        return _parse(jobs)
    if for_rules:
        mentions.search_aside(entry for entry, _ in results)
    return results


def _parse_all(
    jobs: list[tuple[str, str, str, bytes]], step: Callable[..., object], for_rules: bool
) -> list:
    """:func:`_parse` of ``jobs``: in two processes when there are many and a second CPU (a
    first run on a big tree then takes little more than half as long), else here."""
    if len(jobs) >= PARALLEL_FROM and _cpus() > 1:
        return _parse_in_two_processes(jobs, for_rules)
    return [step(result) for result in _parse(jobs)]


def _kind(rel: str) -> str:
    return FOLDER_KINDS[rel.split("/", 1)[0]]


def _shard(rel: str) -> str:
    """Which entries file holds ``rel``: one of :data:`SHARDS` per data folder, so that
    touching one entry rewrites one small file."""
    return f"{rel.split('/', 1)[0]}-{zlib.crc32(rel.encode()) % SHARDS:02x}"


class _Store:
    """The parsed files kept in ``.kb-cache/entries/``: for each file, ``(hash of its bytes,
    parse id, what load_entry_file returned)``. Also stands in for
    :func:`kb.loader.load_entry_file`, answering from what it keeps.

    A file's *parse id* names what it parsed to. A file parsed for the first time gets the
    hash of its bytes as id; a new version of a file whose result equals the one kept for its
    previous version inherits that version's id, so an edit that changes no parsed value (a
    comment, quoting style, blank lines after the last value) leaves every id, and so the key
    of the findings, as it was. Ids are only compared under one tool fingerprint (every file
    holding them says which), so one id always names one result of one file.
    """

    def __init__(self, snap: Snapshot, cache_dir: Path | None, root: Path):
        self.snap, self.cache_dir, self.root = snap, cache_dir, root
        self.shards: dict[str, dict[str, tuple]] = {}
        self.dirty: set[str] = set()
        self.previous: dict[str, tuple | None] = {}
        """The records replaced in this run, as they were."""
        self.new = 0
        """How many files were parsed rather than taken from the cache."""
        self.raced = False
        """True when a file changed between the snapshot and its reading."""
        self.on_file: Callable[[], object] = lambda: None
        self.order: dict[str, list[str]] = {}
        """Kind → the files the loader read, in its order (see :class:`_LazyKnowledgeBase`)."""
        self._shards: dict[str, str] = {}
        self.checked: _RulesState | None = None
        self.checked_read = False

    def _shard(self, rel: str) -> str:
        shard = self._shards.get(rel)
        if shard is None:
            shard = self._shards[rel] = _shard(rel)
        return shard

    def _path(self, shard: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / ENTRIES_FOLDER / f"{shard}.bin"

    def _records(self, shard: str) -> dict[str, tuple]:
        if shard not in self.shards:
            stored = read_cache_file(self._path(shard)) if self.cache_dir else None
            self.shards[shard] = {}
            if (
                isinstance(stored, tuple)
                and len(stored) == 2
                and stored[0] == tool_fingerprint()
                and isinstance(stored[1], dict)
            ):
                self.shards[shard] = stored[1]
        return self.shards[shard]

    def kept(self, rel: str) -> tuple | None:
        """The record kept for ``rel``, if its bytes are those of the snapshot."""
        record = self._records(self._shard(rel)).get(rel)
        return record if record is not None and record[0] == self.snap.content.get(rel) else None

    def keep(self, rel: str, result: tuple, pid: bytes | None = None) -> bytes:
        """Record ``result`` as what ``rel`` holds now; returns its parse id (``pid`` when the
        caller knows it, else inherited from the previous version or new)."""
        shard = self._shard(rel)
        records = self._records(shard)
        old = records.get(rel)
        content = self.snap.content[rel]
        if pid is None:
            pid = old[1] if old is not None and old[2] == result else content
        self.previous.setdefault(rel, old)
        records[rel] = (content, pid, result, self._base(rel, old, pid))
        self.dirty.add(shard)
        return pid

    def _base(self, rel: str, old: tuple | None, pid: bytes) -> tuple | None:
        """``(parse id, result)`` of the version of ``rel`` that the last check's rule records
        were computed on, while it differs from the new one: kept beside it, so that the next
        check can tell which facets changed even when a run in between (a check answered from
        the findings, ``kb export``…) read the file."""
        if old is None:
            return None
        if old[1] == pid:  # the same result: the same version last checked, if any
            return old[3] if len(old) > 3 else None
        state = self.last_check()
        wanted = state.pids.get(rel) if state else None
        return None if wanted in (None, pid) else version_with(old, wanted)

    def last_check(self) -> _RulesState | None:
        """The rule records of the last check (read once, when first needed)."""
        if not self.checked_read:
            state = read_cache_file(self.cache_dir / RULES_FILE) if self.cache_dir else None
            self.checked = state if isinstance(state, _RulesState) else None
            self.checked_read = True
        return self.checked

    def identify(self, for_rules: bool = False) -> None:
        """Give every YAML file of the snapshot its parse id, parsing those whose bytes the
        cache does not hold (all of them on a first run)."""
        snap = self.snap
        jobs = []
        for rel in snap.content:
            if rel in snap.pids:
                continue
            record = self.kept(rel)
            if record is not None:
                snap.pids[rel] = record[1]
            else:
                jobs.append((os.path.join(self.root, rel), rel, _kind(rel), snap.raw[rel]))
        if not jobs:
            return
        with progress.task("reading entries", len(jobs)) as step:
            results = _parse_all(jobs, step, for_rules)
        for (_, rel, _, _), result in zip(jobs, results, strict=True):
            snap.pids[rel] = self.keep(rel, result)
        self.new = len(jobs)

    def __call__(self, path: Path, rel: str, kind: str):
        from kb.loader import load_entry_file  # the loader (and YAML) only once entries are read

        self.on_file()
        self.order.setdefault(kind, []).append(rel)
        if rel not in self.snap.content:
            return load_entry_file(path, rel, kind)  # not in the snapshot: read, do not keep
        record = self.kept(rel)
        if record is not None:
            return record[2]
        raw = _read(str(path))
        if (
            raw is None
            or hashlib.blake2b(raw, digest_size=DIGEST_SIZE).digest() != (self.snap.content[rel])
        ):
            self.raced = True
            return load_entry_file(path, rel, kind)  # changed since the snapshot: not kept
        result = load_entry_file(path, rel, kind, raw=raw)
        self.keep(rel, result, self.snap.pids[rel])  # lost from the cache: parsed again
        return result

    def save(self) -> None:
        """Rewrite the entries files that changed, leaving out files that are gone."""
        if not self.cache_dir:
            return
        for shard, records in self.shards.items():
            gone = [rel for rel in records if rel not in self.snap.content]
            for rel in gone:
                del records[rel]
            if shard in self.dirty or gone:
                write_cache_file(self._path(shard), (tool_fingerprint(), records))


def version_with(record: tuple | None, pid: bytes) -> tuple | None:
    """``(pid, result)`` from a kept ``record`` or the base kept beside it, or None."""
    if record is None:
        return None
    if record[1] == pid:
        return record[1:3]
    base = record[3] if len(record) > 3 else None
    return base if base is not None and base[0] == pid else None


def _survey(root: Path, cache_dir: Path | None, for_rules: bool = False) -> tuple[Snapshot, _Store]:
    """The snapshot of ``root`` with every file's parse id, helped by the record of the last
    run (and recording it again when many files had to be read). ``for_rules``: the rules
    will run (see :func:`_parse_in_two_processes`).

    The cycle collector is paused throughout: a first run builds every entry here, and a
    collection over them (one full one at 50,000 entries took 2 s) frees nothing."""
    stored = read_cache_file(cache_dir / FILES_FILE) if cache_dir else None
    previous, taken = None, 0
    if (
        isinstance(stored, tuple)
        and len(stored) == 3
        and stored[0] == tool_fingerprint()
        and isinstance(stored[2], dict)
    ):
        taken, previous = stored[1], stored[2]
    with gc_paused():
        snap = snapshot(root, previous, taken)
        store = _Store(snap, cache_dir, root)
        store.identify(for_rules)
        # Recorded again when many files had to be read; a few edited files are cheaper to
        # read again next time than rewriting the record of every file.
        if cache_dir and len(snap.raw) > max(REREAD_ALLOWED, len(snap.content) // 100):
            write_cache_file(
                cache_dir / FILES_FILE, (tool_fingerprint(), snap.taken_at, snap.record())
            )
    return snap, store


def _load(root: Path, store: _Store) -> tuple[KnowledgeBase, Callable[[], None]]:
    """The knowledge base, and a function to call before exiting, which waits until the
    cache has been written (see :func:`_save_aside`)."""
    from kb.loader import load_kb

    with progress.task("loading entries", len(store.snap.content)) as step:
        store.on_file = step
        store.order = {kind: [] for kind in KIND_FOLDERS}
        with gc_paused():
            base = load_kb(root, read_entry=store)
    return base, _save_aside(store)


def _save_aside(store: _Store) -> Callable[[], None]:
    """Write the entries the store parsed; after a first run over many files, in a forked
    process, so that pickling thousands of entries overlaps the rules (on a second CPU).
    Returns the function that waits for the writing to end."""
    if not store.cache_dir:
        return lambda: None
    if store.new < PARALLEL_FROM or _cpus() < 2 or not hasattr(os, "fork"):
        store.save()
        return lambda: None
    try:
        pid = os.fork()
    except OSError:
        store.save()
        return lambda: None
    if pid == 0:  # the child writes and leaves at once (no exit handlers, no stdio flush)
        gc.disable()  # it frees nothing before exiting: no need to walk the whole heap
        code = 0
        try:
            store.save()
        except BaseException:
            code = 1
        os._exit(code)
    return lambda: _wait(pid)


def _wait(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):  # already reaped
        os.waitpid(pid, 0)


def _cache_dir(root: Path, use_cache: bool) -> Path | None:
    """``<root>/.kb-cache``, or None when the cache is off or that name is taken by anything
    but a plain folder (a committed link must not make kb write elsewhere)."""
    folder = Path(root) / CACHE_FOLDER
    if not cache_enabled(use_cache) or folder.is_symlink():
        return None
    if folder.exists() and not folder.is_dir():
        return None
    return folder


def load_tree(root: str | Path, use_cache: bool = True) -> KnowledgeBase:
    """:func:`kb.loader.load_kb` with parsed entries taken from the cache where unchanged.

    Progress is shown at a terminal (:mod:`kb.progress`). Raises what ``load_kb`` raises.
    """
    root = Path(root)
    cache_dir = _cache_dir(root, use_cache)
    _, store = _survey(root, cache_dir)
    base, saved = _load(root, store)
    saved()
    return base


def _restore_mentions(cache_dir: Path | None) -> int:
    """Give :data:`kb.mentions.MEMO` the mentions found by earlier runs; how many there are.

    Looking every definition up for term names is the largest part of the rules: with the
    answers kept, only new or changed texts are searched.
    """
    stored = read_cache_file(cache_dir / MENTIONS_FILE) if cache_dir else None
    if (
        isinstance(stored, tuple)
        and len(stored) == 3
        and stored[0] == tool_fingerprint()  # the search that found them is unchanged
        and isinstance(stored[2], dict)
    ):
        mentions.MEMO.restore(stored[1], stored[2])
        return len(stored[2])
    mentions.MEMO.restore(b"", {})
    return 0


def _keep_mentions(cache_dir: Path | None, restored: int) -> None:
    """Keep the answers looked up in this run when many were new (a first run, other names):
    the few texts of an edit are cheaper to look up again than all the answers to rewrite."""
    digest, found = mentions.MEMO.in_use()
    if cache_dir and found and mentions.MEMO.added > max(REREAD_ALLOWED, restored // 100):
        write_cache_file(cache_dir / MENTIONS_FILE, (tool_fingerprint(), digest, found))


@dataclass(frozen=True)
class CheckResult:
    findings: list[Finding]
    files_read: int


@dataclass(frozen=True)
class _RulesState:
    """The last check's findings rule by rule (:class:`kb.rules.RuleRecord`), with what they
    were computed on: the options and inputs (``context``), the layout and each file's parse
    id, and the files the loader read (kind → paths, in its order). The next check with the
    same context compares and reuses (see :func:`_changes`)."""

    context: bytes
    layout: bytes
    pids: dict[str, bytes]
    files_read: int
    order: dict[str, list[str]] | None
    pickled_records: bytes
    """The records, pickled apart: reading the parse ids does not import the rules."""

    def records(self) -> dict:
        try:
            records = pickle.loads(self.pickled_records)  # signed with the rest of the file
        except Exception:  # a class no longer there (the rules' code changed)
            return {}
        return records if isinstance(records, dict) else {}


def _changes(state: _RulesState | None, snap: Snapshot, store: _Store) -> frozenset[str] | None:
    """The facets (:data:`kb.rules.registry.FACETS`) in which the files differ from those
    ``state`` was computed on; None when that cannot be told (no state, files added, removed
    or renamed, or a file whose earlier version is no longer kept)."""
    from kb.rules.registry import changed_facets

    if state is None or state.layout != snap.layout or state.pids.keys() != snap.pids.keys():
        return None
    changed: set[str] = set()
    for rel, pid in snap.pids.items():
        was = state.pids[rel]
        if pid == was:
            continue
        new = store.kept(rel)
        old = version_with(store.previous.get(rel), was) or version_with(new, was)
        if old is None or new is None:
            return None
        changed |= changed_facets(old[1], new[2])
    return frozenset(changed)


TABLES = {"term": "terms", "claim": "claims", "source": "sources"}


class _LazyKnowledgeBase(KnowledgeBase):
    """The knowledge base, built from the store when a rule first looks into it: a check
    whose rules all reuse their findings never builds it.

    ``order`` (kind → the files the loader read, in its order; known when the files are
    those of the last check) lets a table be built alone: a rule that reads only the terms
    costs the terms. Anything else (the loader's findings, unreadable files…) builds the
    whole knowledge base with :func:`kb.loader.load_kb`.
    """

    def __init__(self, root: Path, store: _Store, order: dict[str, list[str]] | None):
        self.root = root
        self._store, self._order = store, order
        self._wait: Callable[[], None] | None = None

    def __getattr__(self, name: str):
        if name.startswith("__") or "_store" not in self.__dict__:
            raise AttributeError(name)
        kind = next((k for k, table in TABLES.items() if table == name), None)
        table = self._table(kind) if kind and not self.built else None
        if table is not None:
            setattr(self, name, table)
            return table
        if self.built:
            raise AttributeError(name)
        loaded, self._wait = _load(self.root, self._store)
        for key, value in vars(loaded).items():
            self.__dict__.setdefault(key, value)  # keeps what the caller set (``texts``)
        return getattr(self, name)

    def _table(self, kind: str) -> dict | None:
        """The table of ``kind`` as the loader builds it (the first of two entries with one
        id is kept); None when the files the loader reads are not known."""
        if self._order is None or kind not in self._order:
            return None
        table: dict = {}
        for rel in self._order[kind]:
            record = self._store.kept(rel)
            if record is None:
                return None  # lost from the cache: the loader reads it
            entry = record[2][0]
            if entry is not None:
                table.setdefault(entry.id, entry)
        return table

    @property
    def built(self) -> bool:
        """True once the whole knowledge base was loaded."""
        return "load_findings" in self.__dict__

    def loaded(self) -> KnowledgeBase:
        """This knowledge base, wholly loaded if it was not yet."""
        _ = self.load_findings
        return self

    def entry(self, kind: str, entry_id: str):
        return getattr(self, TABLES[kind]).get(entry_id)

    def finish(self) -> None:
        """Write what the store holds that is new (waiting for the writer, if aside)."""
        if self._wait is not None:
            self._wait()
        else:
            self._store.save()


def cached_check(
    root: str | Path,
    run: Callable[..., list[Finding]],
    options: tuple = (),
    inputs: Iterable[Path] = (),
    use_cache: bool = True,
) -> CheckResult:
    """The findings of ``run(base, memo)`` over the knowledge base at ``root``, from the
    cache if possible; ``memo`` is a :class:`kb.rules.RuleMemo` for
    :func:`kb.rules.run_rules`.

    ``options`` (any picklable, comparable value: the rule selection, severity overrides…)
    and the files under ``inputs`` are part of the key, so that the same data checked
    differently is never answered with another check's result. When the key is new, the
    rules whose facets no edit changed since the last check with the same options reuse
    their findings, and the knowledge base is built only as far as the others need. Raises
    what :func:`kb.loader.load_kb` raises.
    """
    root = Path(root)
    cache_dir = _cache_dir(root, use_cache)
    snap, store = _survey(root, cache_dir, for_rules=True)
    context = _hash(tool_fingerprint(), repr(options).encode(), inputs_digest(inputs))
    key = _hash(context, snap.digest())
    stored = read_cache_file(cache_dir / FINDINGS_FILE) if cache_dir else None
    results = stored if isinstance(stored, dict) else {}
    if isinstance(results.get(key), CheckResult):
        store.save()  # files edited without a change to what they hold: their new bytes
        return results[key]
    from kb.rules import RuleMemo

    state = store.last_check()
    state = state if state is not None and state.context == context else None
    memo = RuleMemo(_changes(state, snap, store), state.records() if state else {})
    same = state if memo.changed is not None else None  # the files of the last check
    base = _LazyKnowledgeBase(root, store, same.order if same else None)
    try:
        restored = _restore_mentions(cache_dir)
        with progress.task("running the rules"), gc_paused():
            findings = run(base, memo)
        _keep_mentions(cache_dir, restored)
        files_read = same.files_read if same and not base.built else base.loaded().files_read
    finally:
        base.finish()
    result = CheckResult(findings, files_read)
    if cache_dir and not store.raced:
        results.pop(key, None)
        kept = [*list(results.items())[-(KEPT_RESULTS - 1) :], (key, result)]
        write_cache_file(cache_dir / FINDINGS_FILE, dict(kept))
        pids = {rel: snap.pids[rel] for rel in snap.content}
        order = same.order if same and not store.order else store.order
        records = pickle.dumps(memo.current, protocol=pickle.HIGHEST_PROTOCOL)
        checked = _RulesState(context, snap.layout, pids, files_read, order, records)
        write_cache_file(cache_dir / RULES_FILE, checked)
    return result
