"""Mentions of term names in free text (shared by the unlisted-use rule and the site's links)."""

from __future__ import annotations

import pytest

from kb.mentions import MentionIndex

INDEX = MentionIndex(
    [
        ("optimizer", "optimizer"),
        ("mesa-optimizer", "mesa-optimizer"),
        ("base-optimizer", "base optimizer"),
        ("optimization", "optimization"),
        ("goodharts-law", "Goodhart's law"),
        ("search", "search"),
    ]
)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "A mesa-optimizer is an optimizer.",
            [("mesa-optimizer", "mesa-optimizer"), ("optimizer", "optimizer")],
        ),
        (
            "two mesa optimizers and a base optimizer",
            [("mesa-optimizer", "mesa optimizers"), ("base-optimizer", "base optimizer")],
        ),
        ("Mesa-optimizers search.", [("mesa-optimizer", "Mesa-optimizers"), ("search", "search")]),
        ("Risks from Learned Optimization is a paper.", []),
        ("In the paper: Optimization is hard.", [("optimization", "Optimization")]),
        ("By Goodhart's law, proxies fail.", [("goodharts-law", "Goodhart's law")]),
        ("base. optimizer", [("optimizer", "optimizer")]),
        ("researchers", []),
    ],
)
def test_mentions_longest_first_whole_words(text, expected):
    assert [(m.term_id, m.text) for m in INDEX.find(text)] == expected


def test_positions_point_into_the_text():
    text = "The base optimizer selects."
    (mention,) = INDEX.find(text)
    assert text[mention.start : mention.end] == "base optimizer"
