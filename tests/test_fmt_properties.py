"""Property test of ``kb fmt``: random valid entries with comments keep their data and comments.

The entries are written out by hand with random styles (plain or double-quoted scalars,
flow or block lists, keys in random order, full-line and end-of-line comments anywhere a
comment can go), so the formatter meets layouts it did not produce itself.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.fmt import comments, format_text, key_orders, plain_data
from kb.yamlread import parse_yaml

IDS = st.from_regex(r"\A[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,2}\Z")
# Letters plus every character with a meaning somewhere in YAML, and some non-ASCII text.
ALPHABET = st.sampled_from(
    [*"abcxyzAZ019 -:#'\"[]{},&*!|>%@`?~=.\\", "é", "—", "“", "’", "中", "🙂", "\u00a0"]
)
WORDS = st.text(ALPHABET, min_size=1, max_size=12)
TEXT = st.lists(WORDS, min_size=1, max_size=25).map(" ".join).filter(lambda t: t.strip())
COMMENT = st.text(ALPHABET, max_size=20).map(lambda t: ("# " + t).rstrip())


IDS_RE = re.compile(r"^[a-z][a-z0-9-]*$")


def scalar(draw, value: str) -> str:
    """``value`` as a YAML scalar: plain when it is a plain id, else double-quoted."""
    if IDS_RE.match(value) and draw(st.booleans()):
        return value
    return json.dumps(value, ensure_ascii=False)


def maybe_comment(draw) -> str:
    return f"  {draw(COMMENT)}" if draw(st.integers(0, 3)) == 0 else ""


def comment_lines(draw, indent: str) -> list[str]:
    return [
        f"{indent}{c}" for c in draw(st.lists(COMMENT, max_size=1 if draw(st.booleans()) else 0))
    ]


def id_list(draw, indent: str, values: list[str]) -> list[str]:
    """A list of ids as a flow list on the key's line, or as a block list with comments."""
    if not values or draw(st.booleans()):
        return [" [" + ", ".join(scalar(draw, v) for v in values) + "]" + maybe_comment(draw)]
    lines = [maybe_comment(draw)]
    for value in values:
        lines += comment_lines(draw, indent + "  ")
        lines.append(f"{indent}  - {scalar(draw, value)}{maybe_comment(draw)}")
    return lines


def mapping(draw, fields: dict, indent: str, first_prefix: str | None = None) -> list[str]:
    """Lines of a block mapping of ``fields`` in random order; values are str, list or nested."""
    keys = draw(st.permutations(list(fields)))
    lines = []
    for i, key in enumerate(keys):
        value = fields[key]
        lead = first_prefix if (i == 0 and first_prefix is not None) else indent
        if i or first_prefix is None:
            lines += comment_lines(draw, indent)
        if isinstance(value, str):
            lines.append(f"{lead}{key}: {scalar(draw, value)}{maybe_comment(draw)}")
        elif value and isinstance(value[0], dict):
            lines.append(f"{lead}{key}:{maybe_comment(draw)}")
            for item in value:
                lines += mapping(draw, item, indent + "    ", indent + "  - ")
        else:
            head, *rest = id_list(draw, indent, value)
            lines.append(f"{lead}{key}:{head}")
            lines += rest
    return lines


@st.composite
def senses(draw):
    fields = {"id": draw(IDS), "definition": draw(TEXT), "source": draw(IDS)}
    optional = {
        "uses": st.lists(IDS, max_size=4, unique=True),
        "locator": TEXT,
        "quote": TEXT,
        "conflicts_with": st.lists(st.tuples(IDS, IDS).map("#".join), max_size=2, unique=True),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            fields[key] = draw(strategy)
    return fields


@st.composite
def term_entries(draw):
    fields = {
        "id": draw(IDS),
        "label": draw(TEXT),
        "senses": draw(st.lists(senses(), min_size=1, max_size=3)),
    }
    optional = {
        "aliases": st.lists(TEXT, max_size=3, unique=True),
        "note": TEXT,
        "status": st.sampled_from(["established", "contested", "deprecated", "proposed"]),
        "broader": st.lists(IDS, max_size=3, unique=True),
        "waivers": st.lists(
            st.fixed_dictionaries({"rule": IDS, "reason": TEXT}), min_size=1, max_size=2
        ),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            fields[key] = draw(strategy)
    header = comment_lines(draw, "")
    return "\n".join(header + mapping(draw, fields, "")) + "\n"


@st.composite
def claim_entries(draw):
    fields = {"id": draw(IDS), "claim": draw(TEXT), "source": draw(IDS)}
    optional = {
        "title": TEXT,
        "locator": TEXT,
        "quote": TEXT,
        "about": st.lists(IDS, max_size=3, unique=True),
        "objects_to": st.lists(IDS, min_size=1, max_size=2, unique=True),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            fields[key] = draw(strategy)
    return "\n".join(comment_lines(draw, "") + mapping(draw, fields, "")) + "\n"


def assert_formatting_keeps_everything(text: str, kind: str) -> None:
    before, problems = parse_yaml(text.encode("utf-8"))
    assert problems == [], (problems, text)
    formatted = format_text(text, kind)
    after, problems = parse_yaml(formatted.encode("utf-8"))
    assert problems == []
    assert plain_data(after) == plain_data(before)
    assert Counter(comments(formatted)) == Counter(comments(text))
    assert format_text(formatted, kind) == formatted
    assert list(plain_data(after))[: len(before)] == [
        k for k in key_orders(kind)[None] if k in before
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(term_entries())
def test_formatting_a_term_keeps_its_data_and_comments_and_is_idempotent(text):
    assert_formatting_keeps_everything(text, "term")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claim_entries())
def test_formatting_a_claim_keeps_its_data_and_comments_and_is_idempotent(text):
    assert_formatting_keeps_everything(text, "claim")
