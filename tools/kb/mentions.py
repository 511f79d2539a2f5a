"""Finding mentions of known terms (labels and aliases) in free text.

Used by the rule ``unlisted-use`` and by the site's auto-linking, so both agree on what
counts as a mention. Matching is by words, case-insensitive, with hyphens and spaces
equivalent ("mesa optimizer" = "mesa-optimizer") and a plain English plural accepted
("mesa-optimizers"). Overlapping candidates resolve to the longest match first, scanning left
to right.

All names are found in one pass: the text's words, lower-cased and joined by single spaces,
are scanned by one Aho–Corasick automaton (pyahocorasick) holding every name and plural, so
the cost is linear in the text's length whatever the number of terms; only the candidates it
reports are then checked for punctuation between their words and for proper names. An ASCII
text without apostrophes or doubled gaps (nearly every definition) is not split into words:
the automaton runs over the text with every character but letters and digits turned into a
space, which keeps the text's positions (:meth:`MentionIndex._search_spaced`).

A first ``kb check`` of a big tree looks the mentions in every definition up in a forked
process once every file is parsed (:func:`search_aside`), so that the search runs beside
the rest of the loading and the first rules.

A capitalised word in mid-sentence is taken as part of a proper name ("Risks from Learned
Optimization" is a title, not a use of "optimization") unless the term's own name is
capitalised ("Goodhart's law").
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import re
import signal
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

import ahocorasick

from kb.model import Entry, Term

_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['’][A-Za-z]+)?")


@dataclass(frozen=True)
class Mention:
    term_id: str
    start: int
    end: int
    text: str


_ALL_GAPS = bytes(c if chr(c).isalnum() else 0x20 for c in range(256))
"""Every ASCII character but letters and digits, to a space (the words are what is left)."""
_PLAIN_GAPS = bytes.maketrans(b"-\n\t", b"   ")
"""The characters that may join the words of a mention (with the space), to a space."""
_CLOSE_GAPS = re.compile(r"[ \t\n-]{2}")
"""Two joining characters in a row: a name may span them, which the spaced search cannot see."""


def _words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


def _tokens(text: str, words: list[re.Match]) -> list[str]:
    """Each word of ``text`` normalised; for ASCII text (nearly all) in one pass over the
    lower-cased text, whose words are the same as the text's."""
    if text.isascii():
        return _WORD.findall(text.lower())
    return [_norm(m.group()) for m in words]


def _variants(tokens: tuple[str, ...]) -> set[tuple[str, ...]]:
    last = tokens[-1]
    plurals = {last + "s", last + "es"}
    if last.endswith("y") and len(last) > 2:
        plurals.add(last[:-1] + "ies")
    return {tokens} | {(*tokens[:-1], p) for p in plurals}


class MentionIndex:
    """An index of names → term ids, built once and used for many texts.

    The tables are built on the first search. Every search's answer is kept in a memo for the
    same names (see :class:`_Memo`), which :mod:`kb.cache` keeps between runs: a second
    ``kb check`` looks no text up twice.
    """

    def __init__(self, names: Iterable[tuple[str, str]]):
        """``names`` yields ``(term_id, name)`` pairs (labels and aliases)."""
        self._names = list(names)
        listed = "\n".join(f"{term_id}\t{name}" for term_id, name in self._names)
        self.digest = hashlib.blake2b(listed.encode(), digest_size=16).digest()

    @cached_property
    def _tables(self) -> tuple[dict[tuple[str, ...], str], set[tuple[str, ...]], object]:
        index: dict[tuple[str, ...], str] = {}
        capitalised: set[tuple[str, ...]] = set()
        for term_id, name in self._names:
            tokens = tuple(_norm(m.group()) for m in _words(name))
            if not tokens:
                continue
            for variant in _variants(tokens):
                index.setdefault(variant, term_id)
                if name[:1].isupper():
                    capitalised.add(variant)
        automaton = ahocorasick.Automaton()
        for key, term_id in index.items():
            wrapped = f" {' '.join(key)} "  # the spaces make only whole words match
            automaton.add_word(wrapped, (len(key), term_id, key, len(wrapped)))
        if index:
            automaton.make_automaton()
        return index, capitalised, automaton

    @property
    def _index(self) -> dict[tuple[str, ...], str]:
        return self._tables[0]

    @property
    def _capitalised(self) -> set[tuple[str, ...]]:
        return self._tables[1]

    @property
    def _automaton(self):
        return self._tables[2]

    @classmethod
    def for_terms(cls, terms) -> MentionIndex:
        """Index every term's label and aliases (``terms`` maps id → :class:`kb.model.Term`)."""
        return cls((t.id, name) for t in terms.values() for name in t.names)

    def _candidates(self, tokens: list[str]) -> dict[int, list[tuple[int, str, tuple]]]:
        """Word index → ``(word count, term id, key)`` of every name found there, longest first."""
        joined = " " + " ".join(tokens) + " "
        found: dict[int, list[tuple[int, str, tuple]]] = {}
        for end, (count, term_id, key, width) in self._automaton.iter(joined):
            # words hold no spaces: the spaces before a match's own count its words
            first = joined.count(" ", 0, end - width + 1)
            found.setdefault(first, []).append((count, term_id, key))
        for options in found.values():
            options.sort(key=lambda option: -option[0])
        return found

    def find(self, text: str) -> list[Mention]:
        """Every mention in ``text``, longest first at each position, non-overlapping."""
        return list(MEMO.answer(self.digest, text, self._search))

    def _search(self, text: str) -> list[Mention]:
        if not self._index:
            return []
        if text.isascii() and "'" not in text and not _CLOSE_GAPS.search(text):
            return self._search_spaced(text)
        words = _words(text)
        candidates = self._candidates(_tokens(text, words))
        found = []
        free = 0  # the first word not yet inside a mention
        for i in sorted(candidates):
            if i < free:
                continue
            for count, term_id, key in candidates[i]:
                if _joined_plainly(text, words[i : i + count]) and not self._inside_a_proper_name(
                    text, words[i], key
                ):
                    start, end = words[i].start(), words[i + count - 1].end()
                    found.append(Mention(term_id, start, end, text[start:end]))
                    free = i + count
                    break
        return found

    def _search_spaced(self, text: str) -> list[Mention]:
        """:meth:`_search` of an ASCII text without apostrophes in which no two spaces,
        hyphens or line breaks follow each other (nearly every definition), without
        splitting it into words: the automaton runs over the lower-cased text with every
        character but letters and digits turned into a space, so that its positions are the
        text's, and a name it finds there is a mention when the characters between its
        words are spaces, hyphens or line breaks (:func:`_joined_plainly`)."""
        lowered = text.encode("ascii").lower()
        words = lowered.translate(_ALL_GAPS)
        spaced = f" {words.decode('ascii')} "
        candidates: dict[int, list[tuple[int, str, tuple, int]]] = {}
        for end, (count, term_id, key, width) in self._automaton.iter(spaced):
            start = end - width + 1  # spaced[i + 1] is text[i]: the words are text[start:end - 1]
            candidates.setdefault(start, []).append((count, term_id, key, end - 1))
        if not candidates:
            return []
        plain = lowered.translate(_PLAIN_GAPS)
        found = []
        free = 0  # the first character not yet inside a mention
        for start in sorted(candidates):
            if start < free:
                continue
            options = candidates[start]
            options.sort(key=lambda option: -option[0])
            for _, term_id, key, stop in options:
                if plain[start:stop] == words[start:stop] and not (
                    text[start].isupper()
                    and key not in self._capitalised
                    and not _starts_a_sentence(text, start)
                ):
                    found.append(Mention(term_id, start, stop, text[start:stop]))
                    free = stop
                    break
        return found

    def _inside_a_proper_name(self, text: str, word: re.Match, key: tuple[str, ...]) -> bool:
        return (
            word.group()[:1].isupper()
            and key not in self._capitalised
            and not _starts_a_sentence(text, word.start())
        )


class _Memo:
    """Answers of :meth:`MentionIndex.find` for one set of names (the latest index used):
    the same names and text always give the same mentions.

    Answers may also be looked up ahead, in a forked process (:func:`search_aside`); the
    first search they could answer waits for them."""

    def __init__(self) -> None:
        self.restore(b"", {})
        self.aside: dict[bytes, _Aside] = {}

    def restore(self, digest: bytes, found: dict[str, tuple[Mention, ...]]) -> None:
        """Start from answers kept earlier for the names whose digest is ``digest``."""
        self.digest = digest
        self.found: dict[str, tuple[Mention, ...]] = dict(found)
        self.used: set[str] = set()
        self.added = 0

    def answer(self, digest: bytes, text: str, search) -> tuple[Mention, ...]:
        if digest != self.digest:
            self.restore(digest, {})
        found = self.found.get(text)
        if found is None:
            aside = self.aside.get(digest)
            found = aside.answer(text) if aside else None
            if found is None:
                found = tuple(search(text))
            self.found[text] = found
            self.added += 1
        self.used.add(text)
        return found

    def search_aside(self, index: MentionIndex, texts: list[str]) -> None:
        """Look ``texts`` up in ``index`` in a forked process, whose answers :meth:`answer`
        takes when it first needs one (any earlier such search is ended). Where no process
        can be forked, nothing is started: the texts are searched here when asked for."""
        for earlier in self.aside.values():
            earlier.end()
        self.aside = {}
        if hasattr(os, "fork"):
            with contextlib.suppress(OSError):
                self.aside[index.digest] = _Aside(index, texts)

    def in_use(self) -> tuple[bytes, dict[str, tuple[Mention, ...]]]:
        """The digest and the answers looked up since :meth:`restore`, to keep."""
        return self.digest, {text: self.found[text] for text in self.used}


class _Aside:
    """:meth:`MentionIndex.find` of many texts, running in a forked process that sends the
    answers back through a pipe: pickled, in the order of the texts, each mention as a plain
    ``(term id, start, end)`` (pickling tens of thousands of dataclasses took as long as the
    search)."""

    def __init__(self, index: MentionIndex, texts: list[str]):
        self.texts = list(dict.fromkeys(texts))
        self.answers: dict[str, tuple[tuple[str, int, int], ...]] | None = None
        read, write = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if self.pid == 0:  # the child: search, send, leave at once (no exit handlers)
            os.close(read)
            code = 0
            try:
                gc.disable()  # it frees nothing before exiting
                found = [
                    tuple((m.term_id, m.start, m.end) for m in index._search(text))
                    for text in self.texts
                ]
                with os.fdopen(write, "wb") as out:
                    pickle.dump(found, out, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                code = 1
            os._exit(code)
        os.close(write)
        self.read = read

    def answer(self, text: str) -> tuple[Mention, ...] | None:
        """The answer found aside for ``text`` (waiting for the process the first time), or
        None when it has none: the text was not given, or the process failed."""
        if self.answers is None:
            self.answers = self._receive()
        found = self.answers.get(text)
        if found is None:
            return None
        return tuple(Mention(term_id, start, end, text[start:end]) for term_id, start, end in found)

    def _receive(self) -> dict[str, tuple[tuple[str, int, int], ...]]:
        try:
            with os.fdopen(self.read, "rb") as received:
                found = pickle.load(received)
        except Exception:  # the process failed or was ended: search here instead
            found = []
        finally:
            self._reap()
        if not isinstance(found, list) or len(found) != len(self.texts):
            return {}
        return dict(zip(self.texts, found, strict=True))

    def end(self) -> None:
        """Stop the process if it still runs (its answers are no longer wanted)."""
        if self.answers is None:
            self.answers = {}
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.close(self.read)
            self._reap()

    def _reap(self) -> None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


MEMO = _Memo()


def search_aside(entries: Iterable[Entry | None]) -> None:
    """Start looking up the mentions in every definition of the terms among ``entries``
    (what is being loaded, in the order of loading: the first of two terms with one id is
    kept, as the loader keeps it) in a forked process.

    A first ``kb check`` of a big tree calls this once every file is parsed: the search
    (a fifth of the rules' time) then runs on the second CPU while the knowledge base is
    assembled and the first rules run, and ``unlisted-use`` finds the answers ready. They
    are used only for the very same names (:attr:`MentionIndex.digest`) and texts, so
    whatever differs is searched as usual.
    """
    terms: dict[str, Term] = {}
    for entry in entries:
        if isinstance(entry, Term):
            terms.setdefault(entry.id, entry)
    index = MentionIndex.for_terms(terms)
    MEMO.search_aside(index, [s.definition for t in terms.values() for s in t.senses])


def _starts_a_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘([*_")
    return not before or before[-1] in ".!?:\n"


def _joined_plainly(text: str, words: list[re.Match]) -> bool:
    """True when the words are separated only by spaces or hyphens (not by punctuation)."""
    for left, right in pairwise(words):
        gap = text[left.end() : right.start()]
        if gap.strip(" -\n\t") or len(gap) > 3:
            return False
    return True
