"""The fast paths of parse_yaml give exactly what PyYAML's constructors give.

Two fast paths: ``kb.yamlread._read_plain`` builds a plain document (mappings with distinct
text keys, lists, untagged scalars) straight from the parser's events, and hands anything
else to the node reader; there ``kb.yamlread._build_document`` builds plain text, mappings
and lists itself and hands every other node (tags, numbers, dates, aliases) to the loader's
constructors. Whatever the input, the data (values and every position) and the problems
must be those of the constructors' path, ``loader.construct_document``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kb import yamlread

ROOT = Path(__file__).resolve().parent.parent


def slow_parse(raw: bytes, events: bool = False) -> tuple:
    """parse_yaml with PyYAML's constructors building the whole document (with ``events``:
    the node reader with its own builder, the event reader left out)."""
    fast, plain = yamlread._build_document, yamlread._plain_document
    if not events:
        yamlread._build_document = lambda loader, node: loader.construct_document(node)
    yamlread._plain_document = lambda text: yamlread._NOT_PLAIN
    try:
        return yamlread.parse_yaml(raw)
    finally:
        yamlread._build_document, yamlread._plain_document = fast, plain


def shape(value):
    """Values with their positions, comparable with ==."""
    if isinstance(value, yamlread.PosDict):
        return (
            "map",
            value.mark,
            [(k, value.key_marks[k], value.value_marks[k], shape(v)) for k, v in value.items()],
        )
    if isinstance(value, yamlread.PosList):
        return (
            "seq",
            value.mark,
            [(m, shape(v)) for v, m in zip(value, value.item_marks, strict=True)],
        )
    return (type(value).__name__, value)


def same_as_constructors(raw: bytes) -> None:
    fast_data, fast_problems = yamlread.parse_yaml(raw)
    for events in (False, True):
        slow_data, slow_problems = slow_parse(raw, events)
        assert shape(fast_data) == shape(slow_data)
        assert fast_problems == slow_problems


SNIPPETS = [
    "id: a\nlabel: A\n",
    "a: 1\nb: true\nc: ~\nd: 2019-06-01\ne: 1.5\nf: '1'\ng: !!str 3\n",
    "a: &x {b: [1, 2]}\nc: *x\nd: *x\n",
    "a: &s text\nb: *s\n",
    "a: &r [*r]\n",
    "a: 1\na: 2\n[1]: x\n<<: {b: 1}\n",
    "a: !!omap [{b: 1}]\nb: !!set {c: null}\nc: !custom x\nd: !!int 'x'\n",
    "- a\n- {b: c, b: d}\n- [e, [f, {g: h}]]\n",
    "plain text\n",
    "a: =\n",
    "? [a, b]\n: c\n",
    "a: 1\n---\nb: 2\n",
    "--- x\n...\n",
    "---\n",
    "a:\nb: ''\nc: \"\"\n'': d\n",
    "a: {b: [c, {d: e}], f: []}\ng: [{}]\n",
    "a: |\n  one\n  two\nb: >-\n  three\n  four\n",
    "null: a\n",
    "~: a\n",
    "1: a\n",
    "yes: a\nno: b\non: c\n",
    "a: [0x1F, 0o7, 1_000, 1e3, .inf, -.NaN, +1, yes, No, off, NULL, '']\n",
    "a: 2019-06-01 10:00:00\nb: 2019-06-01t10:00:00Z\n",
    "a: <<\nb: =\n",
    "%YAML 1.1\n---\na: b\n",
    "a: b\n  c: d\n",
    "a: [b\n",
    "a: !!binary aGk=\n",
    "\ufeffa: b\n",
    "a:\n  - b\n  -\n  - - c\n    - d\n",
]


@pytest.mark.parametrize("snippet", SNIPPETS)
def test_snippets(snippet):
    same_as_constructors(snippet.encode())


keys = st.sampled_from(["id", "label", "a", "b", "1", "true", "<<", "? x", "'q'"])
scalars = st.sampled_from(
    [
        "x",
        "'y'",
        '"z"',
        "1",
        "2.5",
        "true",
        "~",
        "2019-06-01",
        "!!str 3",
        "!!int x",
        "&a v",
        "*a",
        "!t s",
        "",
        "yes",
        "0x1F",
        ".inf",
        "=",
        "<<",
        "2019-06-01 10:00:00",
        "[a, 1]",
        "{b: c}",
        ">-\n  folded",
    ]
)


def _render(node, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(node, dict):
        if not node:
            return "{}"
        return "\n" + "".join(
            f"{pad}{k}: {_render(v, indent + 2)}\n" for k, v in node.items()
        ).rstrip("\n")
    if isinstance(node, list):
        if not node:
            return "[]"
        return "\n" + "".join(f"{pad}- {_render(v, indent + 2)}\n" for v in node).rstrip("\n")
    return node


trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(keys, children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, trees, min_size=1, max_size=4))
@example({"a": "&a v", "b": "*a"})
def test_generated_documents(tree):
    text = _render(tree).lstrip("\n") + "\n"
    same_as_constructors(text.encode())


def test_every_entry_of_the_knowledge_base():
    files = sorted((ROOT / "terms").glob("*.yaml")) + sorted((ROOT / "sources").glob("*.yaml"))
    files += sorted((ROOT / "arguments").glob("*.yaml"))
    assert len(files) > 100
    for path in files:
        same_as_constructors(path.read_bytes())


def test_the_event_reader_reads_every_entry_of_the_knowledge_base():
    """Every entry of the knowledge base is plain: no file pays for the node reader."""
    files = [
        path
        for folder in ("terms", "arguments", "sources")
        for path in (ROOT / folder).glob("*.yaml")
    ]
    assert len(files) > 100
    for path in files:
        text = path.read_bytes().decode("utf-8-sig")
        assert yamlread._plain_document(text) is not yamlread._NOT_PLAIN, path


def test_the_event_reader_leaves_what_is_not_plain_to_the_node_reader():
    for text in (
        "a: &x b\n",
        "a: !!str b\n",
        "a: 1\na: 2\n",
        "1: a\n",
        "a: 1\n---\nb\n",
        "a: [b\n",
    ):
        assert yamlread._plain_document(text) is yamlread._NOT_PLAIN, text
    deep = "a:\n" + "".join("  " * i + "-\n" for i in range(1, yamlread.MAX_DEPTH + 1))
    assert yamlread._plain_document(deep) is yamlread._NOT_PLAIN
    assert yamlread._plain_document("a: [1, true, ~, 2019-06-01, b]\n") == {
        "a": [1, True, None, "2019-06-01", "b"]
    }


def test_the_fast_path_is_the_one_in_use():
    loader = yamlread._PositionLoader("a: b\n")
    node = loader.get_single_node()
    assert isinstance(node, yaml.MappingNode)
    assert yamlread._build_document(loader, node) == {"a": "b"}


def test_nesting_deeper_than_the_limit_is_refused_at_any_depth():
    for levels in (yamlread.MAX_DEPTH + 1, 400):
        text = "id: a\nsenses:\n" + "".join("  " * i + "-\n" for i in range(1, levels + 1))
        data, problems = yamlread.parse_yaml(text.encode())
        assert data is None
        assert [p.message for p in problems] == [
            "the file nests lists and mappings too deeply to be read"
        ]
    data, problems = yamlread.parse_yaml(
        ("a:\n" + "".join("  " * i + "-\n" for i in range(1, 50))).encode()
    )
    assert problems == [] and isinstance(data["a"], list)


fragments = st.sampled_from(
    [
        "a",
        "é",
        " ",
        "\\x07",
        "\\0",
        "\\u0085",
        "\\ud800",
        "\\t",
        "\\\\",
        '\\"',
        "\\ufffe",
        "\u00a0",
        "\u0085",
        "€",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(fragments, max_size=8).map("".join), st.sampled_from(['"', "'", ""]))
def test_skipping_the_control_character_search_loses_no_finding(text, quote):
    """The loader skips looking for control characters in the values of a file whose bytes
    cannot produce one; the findings are those of always looking."""
    from kb.loader import _value_findings

    if quote != '"':
        text = text.replace("\\", "")
    raw = f"id: x\nlabel: {quote}{text}{quote}\nnote: [{quote}{text}{quote}]\n".encode()
    data, _ = yamlread.parse_yaml(raw)
    if not isinstance(data, yamlread.PosDict):
        return
    assert _value_findings(data, "terms/x.yaml", ("term", "x"), raw) == _value_findings(
        data, "terms/x.yaml", ("term", "x")
    )


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list(" \t\n\r#ab-:\x0b\x0c\x1c\x85\u2028\u3000")), max_size=12)
)
def test_the_quick_empty_file_test_agrees_with_looking_at_every_line(text):
    every_line = not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    )
    assert yamlread._holds_nothing(text) == every_line


resolver_alphabet = st.sampled_from(
    [*"0123456789+-._:eExXoObB~<=!&*TtFfYyNnulrsaLR ", "inf", "nan", "true", "null", "2019-06-01"]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(resolver_alphabet, max_size=8).map("".join))
@example("2019-06-01 10:00:00")
@example("0x1F")
@example("<<")
def test_a_plain_scalar_the_one_pattern_passes_over_is_text(value):
    """_plain_tag skips the resolver when the union of its patterns does not match: it must
    give the resolver's tag for every plain scalar."""
    loader = yamlread._PositionLoader("")
    expected = loader.resolve(yaml.ScalarNode, value, (True, False))
    assert yamlread._plain_tag(loader, value) == expected
