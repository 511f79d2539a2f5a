"""Mentions looked up aside, in a forked process, give the findings of looking them up here.

A first ``kb check`` of a big tree starts :func:`kb.mentions.search_aside` once every file is
parsed; ``unlisted-use`` then takes the answers from that process. Whatever the process
answers must be what the search here answers, and a process that fails, or answers for other
names, must change nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kb
from kb import mentions
from kb.rules import definitions
from tests.helpers import term_yaml, write_kb

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh_memo(monkeypatch):
    memo = mentions._Memo()
    monkeypatch.setattr(mentions, "MEMO", memo)
    yield memo
    for aside in memo.aside.values():
        aside.end()


def unlisted(base) -> list:
    return [(f.location, f.message) for f in definitions.unlisted_use(base)]


def no_search_here(monkeypatch):
    def refuse(self, text):
        raise AssertionError(f"searched here: {text!r}")

    monkeypatch.setattr(mentions.MentionIndex, "_search", refuse)


def alpha_built_on_beta(root) -> kb.KnowledgeBase:
    """Two terms; alpha's definition mentions beta, which its uses leave out."""
    write_kb(
        root,
        {
            "terms/alpha.yaml": term_yaml("alpha", definition="Built on beta."),
            "terms/beta.yaml": term_yaml("beta"),
        },
    )
    return kb.load(root)


def test_the_answers_found_aside_are_those_found_here(fresh_memo, monkeypatch):
    base = kb.load(ROOT)
    index = mentions.MentionIndex.for_terms(base.terms)
    texts = [sense.definition for sense in base.senses()]
    expected = [index._search(text) for text in texts]
    assert sum(map(len, expected)) > 100  # the definitions do mention terms
    mentions.search_aside(base.entries())
    no_search_here(monkeypatch)  # in this process only: the forked one searches as before
    assert [index.find(text) for text in texts] == expected
    assert fresh_memo.added == len(set(texts))


def test_the_first_of_two_terms_with_one_id_is_indexed_as_the_loader_keeps_it(
    tmp_path, fresh_memo, monkeypatch
):
    write_kb(
        tmp_path,
        {
            "terms/alpha.yaml": term_yaml("alpha", definition="Built on beta and gamma."),
            "terms/beta.yaml": term_yaml("beta"),
            "terms/gamma.yaml": term_yaml("gamma"),
            "terms/other.yaml": term_yaml("beta").replace("label: beta", "label: gamma"),
        },
    )
    base = kb.load(tmp_path)
    parsed = [kb.loader.load_entry_file(p, "", "term")[0] for p in sorted(tmp_path.glob("terms/*"))]
    expected = unlisted(base)
    assert len(expected) == 2
    fresh_memo.restore(b"", {})
    mentions.search_aside(parsed)
    no_search_here(monkeypatch)
    assert unlisted(base) == expected


def test_answers_for_other_names_are_not_used(tmp_path, fresh_memo):
    base = alpha_built_on_beta(tmp_path)
    mentions.search_aside([base.terms["alpha"]])  # beta is not among the names
    assert [m for _, m in unlisted(base)] == [
        "the definition of 'alpha#main' mentions \"beta\" (term 'beta') but its uses list "
        "leaves it out"
    ]


def test_a_failed_search_aside_is_done_here(tmp_path, fresh_memo, monkeypatch):
    base = alpha_built_on_beta(tmp_path)
    expected = unlisted(base)
    search = mentions.MentionIndex._search

    def broken(self, text):
        raise RuntimeError("broken")

    monkeypatch.setattr(mentions.MentionIndex, "_search", broken)
    fresh_memo.restore(b"", {})
    mentions.search_aside(base.entries())  # the forked process fails at once
    monkeypatch.setattr(mentions.MentionIndex, "_search", search)
    assert unlisted(base) == expected and len(expected) == 1


def test_a_new_search_aside_ends_the_one_before(tmp_path, fresh_memo):
    write_kb(tmp_path, {"terms/alpha.yaml": term_yaml("alpha")})
    base = kb.load(tmp_path)
    mentions.search_aside(base.entries())
    (first,) = fresh_memo.aside.values()
    mentions.search_aside(base.entries())
    assert first.answers == {}
    with pytest.raises(ChildProcessError):
        mentions.os.waitpid(first.pid, 0)  # ended and reaped


def test_without_fork_the_texts_are_searched_here(tmp_path, fresh_memo, monkeypatch):
    base = alpha_built_on_beta(tmp_path)
    monkeypatch.delattr(mentions.os, "fork")
    mentions.search_aside(base.entries())
    assert fresh_memo.aside == {}
    assert len(unlisted(base)) == 1
