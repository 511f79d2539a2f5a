"""The one-pass mention search (Aho–Corasick) finds exactly what the word-by-word search found.

The oracle below is the previous implementation: at each word, try every word count from the
longest name's down to one and look the words up in the index. The one-pass search must give
the same mentions (term, start, end, text) for any names and any text, and so the same
``unlisted-use`` findings on the real knowledge base.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

import kb
from kb.mentions import _CLOSE_GAPS, MentionIndex, _joined_plainly, _norm, _words

ROOT = Path(__file__).resolve().parent.parent


def oracle_find(index: MentionIndex, text: str) -> list[tuple[str, int, int, str]]:
    """The word-by-word search: longest name first at each word, left to right."""
    longest = max((len(key) for key in index._index), default=1)
    words = _words(text)
    tokens = [_norm(m.group()) for m in words]
    found, i = [], 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            key = tuple(tokens[i : i + n])
            term_id = index._index.get(key)
            if (
                term_id is not None
                and _joined_plainly(text, words[i : i + n])
                and not index._inside_a_proper_name(text, words[i], key)
            ):
                start, end = words[i].start(), words[i + n - 1].end()
                found.append((term_id, start, end, text[start:end]))
                i += n
                break
        else:
            i += 1
    return found


def one_pass(index: MentionIndex, text: str) -> list[tuple[str, int, int, str]]:
    return [(m.term_id, m.start, m.end, m.text) for m in index.find(text)]


WORDS = ["mesa", "optimizer", "base", "Goodhart's", "law", "ÉTÉ"]
SEPARATORS = [" ", "-", "  ", " - ", ". ", ", ", "\n", "\t", ": ", "’s ", "s ", "es ", "ies ", ""]

names = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d"]),
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join),
    ),
    max_size=8,
)
texts = st.lists(
    st.tuples(
        st.sampled_from(WORDS + [w.upper() for w in WORDS] + [w.capitalize() for w in WORDS]),
        st.sampled_from(SEPARATORS),
    ),
    max_size=25,
).map(lambda parts: "".join(word + sep for word, sep in parts))


@settings(max_examples=400, deadline=None)
@given(names, texts)
@example([("a", "mesa"), ("b", "mesa optimizer")], "two mesa optimizers")
def test_one_pass_matches_word_by_word_search(pairs, text):
    index = MentionIndex(pairs)
    assert one_pass(index, text) == oracle_find(index, text)


def test_same_mentions_in_every_text_of_the_knowledge_base():
    base = kb.load(ROOT)
    index = MentionIndex.for_terms(base.terms)
    texts = [sense.definition for sense in base.senses()]
    texts += [claim.claim for claim in base.claims.values()]
    texts += [term.note for term in base.terms.values() if term.note]
    mentions = [one_pass(index, text) for text in texts]
    assert sum(map(len, mentions)) > 100  # the knowledge base does mention its terms
    assert mentions == [oracle_find(index, text) for text in texts]


def test_an_empty_index_finds_nothing():
    assert MentionIndex([]).find("mesa optimizer") == []


ASCII_WORDS = [
    "mesa",
    "Mesa",
    "optimizer",
    "optimizers",
    "base",
    "law",
    "Law",
    "policy",
    "policies",
]
ASCII_SEPARATORS = [" ", "-", "\n", "\t", ". ", ", ", "(", ")", "/", "\r", ": ", "? ", '"', "*"]
ascii_texts = st.lists(
    st.tuples(st.sampled_from(ASCII_WORDS), st.sampled_from(ASCII_SEPARATORS)), max_size=25
).map(lambda parts: "".join(word + sep for word, sep in parts))
ascii_names = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d"]),
        st.lists(st.sampled_from(ASCII_WORDS), min_size=1, max_size=3).map(" ".join),
    ),
    max_size=8,
)


@settings(max_examples=600, deadline=None)
@given(ascii_names, ascii_texts)
@example([("a", "mesa optimizer"), ("b", "Law")], "The Mesa-optimizer, law. Law\tmesa\noptimizers")
def test_the_spaced_search_of_plain_ascii_text_matches_word_by_word_search(pairs, text):
    """ASCII text without apostrophes or doubled gaps is searched without splitting it into
    words (MentionIndex._search_spaced); the mentions are those of the word-by-word search."""
    index = MentionIndex(pairs)
    if not index._index or _CLOSE_GAPS.search(text):
        return
    found = [(m.term_id, m.start, m.end, m.text) for m in index._search_spaced(text)]
    assert found == oracle_find(index, text)
