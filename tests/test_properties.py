"""Property-based tests: planted definitional loops are found exactly; random YAML never crashes."""

from __future__ import annotations

import itertools
import re
import shutil
import tempfile
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kb
from kb.rules import run_rules
from tests.helpers import term_yaml, write_kb

LOOP = re.compile(r"^\d+ terms are defined through one another \(([^)]*)\): (.*)$")


@st.composite
def term_graphs(draw):
    """A random acyclic dependency graph over t0..tn, plus a few planted loops."""
    n = draw(st.integers(min_value=2, max_value=24))
    names = [f"t{i}" for i in range(n)]
    deps = nx.DiGraph()
    deps.add_nodes_from(names)
    for i in range(n):  # acyclic part: only point at higher indices
        for j in (
            draw(st.sets(st.integers(min_value=i + 1, max_value=n - 1), max_size=3))
            if i < n - 1
            else ()
        ):
            deps.add_edge(names[i], names[j])
    loops = draw(
        st.lists(st.lists(st.sampled_from(names), min_size=2, max_size=5, unique=True), max_size=3)
    )
    for loop in loops:
        for a, b in zip(loop, [*loop[1:], *loop[:1]], strict=True):
            deps.add_edge(a, b)
    return deps


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(deps=term_graphs())
def test_planted_loops_are_reported_exactly(deps):
    root = Path(tempfile.mkdtemp())
    try:
        write_kb(
            root, {f"terms/{t}.yaml": term_yaml(t, uses=sorted(deps.successors(t))) for t in deps}
        )
        findings = run_rules(kb.load(root), select=["circular-definition"])
        expected = sorted(sorted(c) for c in nx.strongly_connected_components(deps) if len(c) > 1)
        reported = []
        for f in findings:
            match = LOOP.match(f.message)
            assert match, f.message
            members = match.group(1).split(", ")
            reported.append(members)
            steps = [s.split("#")[0] for s in match.group(2).split(" → ")]
            assert steps[0] == steps[-1] == members[0]
            assert set(steps) <= set(members)
            assert all(deps.has_edge(a, b) for a, b in itertools.pairwise(steps)), steps
            # shortest: no shorter loop through the first member exists
            shortest = min(
                len(nx.shortest_path(deps.subgraph(members), s, members[0]))
                for s in deps.subgraph(members).successors(members[0])
            )
            assert len(steps) - 1 == shortest
        assert sorted(reported) == expected
    finally:
        shutil.rmtree(root)


yaml_ish = st.text(
    alphabet=st.sampled_from(list("abc:-[]{}#&*!|>'\"\t\n ,?%@`\\0123\u00e9\x00")), max_size=120
)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(yaml_ish, min_size=1, max_size=3), raw=st.binary(max_size=60))
def test_random_yaml_never_raises(texts, raw):
    root = Path(tempfile.mkdtemp())
    try:
        files = {f"terms/t{i}.yaml": text for i, text in enumerate(texts)}
        files["arguments/c.yaml"] = raw
        files["sources/s.yaml"] = "id: s\n" + texts[0]
        write_kb(root, files, with_source=False)
        base = kb.load(root)
        findings = run_rules(base)
        for f in findings:
            assert f.location.line >= 1 and f.location.column >= 1
            assert f.message
    finally:
        shutil.rmtree(root)


@settings(max_examples=60, deadline=None)
@given(
    data=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "id",
                        "label",
                        "senses",
                        "uses",
                        "definition",
                        "source",
                        "aliases",
                        "supports",
                        "x",
                    ]
                ),
                children,
                max_size=4,
            )
        ),
        max_leaves=12,
    )
)
def test_wrongly_shaped_entries_never_raise(data):
    import yaml

    root = Path(tempfile.mkdtemp())
    try:
        text = yaml.safe_dump(data)
        write_kb(root, {"terms/t.yaml": text, "arguments/a.yaml": text, "sources/s.yaml": text})
        run_rules(kb.load(root))
    finally:
        shutil.rmtree(root)


values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 3000)
    | st.floats(allow_nan=False)
    | st.sampled_from(
        [
            "a",
            "alpha-beta",
            "a#b",
            "A",
            "",
            " ",
            "2019-06-01",
            "2019",
            "https://x.org/a",
            "paper",
            "contested",
            "x y",
            "a--b",
            "term#sense",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "label",
                    "senses",
                    "uses",
                    "definition",
                    "source",
                    "aliases",
                    "kind",
                    "date",
                    "url",
                    "rule",
                    "reason",
                    "members",
                    "status",
                    "primitive",
                    "supports",
                    "claim",
                    "title",
                    "waivers",
                    "authors",
                    "conflicts_with",
                    "x",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=14,
)


@settings(max_examples=400, deadline=None)
@given(data=values, kind=st.sampled_from(["term", "claim", "source"]))
def test_fast_schema_check_agrees_with_jsonschema(data, kind):
    """The compiled fast path must accept exactly what jsonschema accepts."""
    from kb.loader import _is_valid, _validator

    assert _is_valid(data, kind) == _validator(kind).is_valid(data)


def _real_entries():
    import yaml

    root = Path(__file__).resolve().parent.parent
    for kind, folder in (("term", "terms"), ("claim", "arguments"), ("source", "sources")):
        for path in sorted((root / folder).glob("*.yaml"))[:15]:
            yield kind, yaml.safe_load(path.read_text("utf-8"))


REAL_ENTRIES = list(_real_entries())


@settings(max_examples=400, deadline=None)
@given(
    pick=st.integers(0, len(REAL_ENTRIES) - 1),
    key=st.sampled_from(
        [
            "id",
            "label",
            "aliases",
            "status",
            "primitive",
            "claim",
            "kind",
            "date",
            "url",
            "supports",
            "waivers",
            "x",
        ]
    ),
    value=values,
)
def test_fast_schema_check_agrees_on_mutated_real_entries(pick, key, value):
    from kb.loader import _is_valid, _validator

    kind, entry = REAL_ENTRIES[pick]
    mutated = {**entry, key: value}
    assert _is_valid(entry, kind) and _validator(kind).is_valid(entry)
    assert _is_valid(mutated, kind) == _validator(kind).is_valid(mutated)
