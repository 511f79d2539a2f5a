"""Finding mentions of known terms (labels and aliases) in free text.

Used by the rule ``unlisted-use`` and by the site's auto-linking, so both agree on what
counts as a mention. Matching is by words, case-insensitive, with hyphens and spaces
equivalent ("mesa optimizer" = "mesa-optimizer") and a plain English plural accepted
("mesa-optimizers"). Overlapping candidates resolve to the longest match first, scanning left
to right; the cost is linear in the text's length times the longest name's word count.

A capitalised word in mid-sentence is taken as part of a proper name ("Risks from Learned
Optimization" is a title, not a use of "optimization") unless the term's own name is
capitalised ("Goodhart's law").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['’][A-Za-z]+)?")


@dataclass(frozen=True)
class Mention:
    term_id: str
    start: int
    end: int
    text: str


def _words(text: str) -> list[re.Match]:
    return list(_WORD.finditer(text))


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


def _variants(tokens: tuple[str, ...]) -> set[tuple[str, ...]]:
    last = tokens[-1]
    plurals = {last + "s", last + "es"}
    if last.endswith("y") and len(last) > 2:
        plurals.add(last[:-1] + "ies")
    return {tokens} | {tokens[:-1] + (p,) for p in plurals}


class MentionIndex:
    """An index of names → term ids, built once and used for many texts."""

    def __init__(self, names: Iterable[tuple[str, str]]):
        """``names`` yields ``(term_id, name)`` pairs (labels and aliases)."""
        self._index: dict[tuple[str, ...], str] = {}
        self._capitalised: set[tuple[str, ...]] = set()
        self.longest = 1
        for term_id, name in names:
            tokens = tuple(_norm(m.group()) for m in _words(name))
            if not tokens:
                continue
            for variant in _variants(tokens):
                self._index.setdefault(variant, term_id)
                if name[:1].isupper():
                    self._capitalised.add(variant)
            self.longest = max(self.longest, len(tokens))

    @classmethod
    def for_terms(cls, terms) -> MentionIndex:
        """Index every term's label and aliases (``terms`` maps id → :class:`kb.model.Term`)."""
        return cls((t.id, name) for t in terms.values() for name in t.names)

    def find(self, text: str) -> list[Mention]:
        """Every mention in ``text``, longest first at each position, non-overlapping."""
        words = _words(text)
        tokens = [_norm(m.group()) for m in words]
        found = []
        i = 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                key = tuple(tokens[i : i + n])
                term_id = self._index.get(key)
                if (
                    term_id is not None
                    and _joined_plainly(text, words[i : i + n])
                    and not self._inside_a_proper_name(text, words[i], key)
                ):
                    start, end = words[i].start(), words[i + n - 1].end()
                    found.append(Mention(term_id, start, end, text[start:end]))
                    i += n
                    break
            else:
                i += 1
        return found

    def _inside_a_proper_name(self, text: str, word: re.Match, key: tuple[str, ...]) -> bool:
        return (
            word.group()[:1].isupper()
            and key not in self._capitalised
            and not _starts_a_sentence(text, word.start())
        )


def _starts_a_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘([*_")
    return not before or before[-1] in ".!?:\n"


def _joined_plainly(text: str, words: list[re.Match]) -> bool:
    """True when the words are separated only by spaces or hyphens (not by punctuation)."""
    for left, right in zip(words, words[1:]):
        gap = text[left.end() : right.start()]
        if gap.strip(" -\n\t") or len(gap) > 3:
            return False
    return True
