"""The export and API pages say what the code does: their examples run against the code."""

from __future__ import annotations

import doctest
import re

import pytest
from rdflib import Graph

from kb.exporters import FORMATS
from kb.exporters.rdf import build_rdf
from kb.query import named_queries, prologue
from tests.test_export_support import REPO, fixture

EXPORT_PAGE = REPO / "docs" / "export.md"


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", EXPORT_PAGE.read_text("utf-8"), re.S)


def test_api_page_runs(monkeypatch):
    monkeypatch.chdir(REPO)
    failures, tried = doctest.testfile(
        str(REPO / "docs" / "api.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert tried >= 15
    assert failures == 0


def test_worked_example_triples_are_in_the_real_export():
    (block,) = code_blocks("turtle")
    prefixes = prologue().replace("PREFIX ", "@prefix ").replace(">\n", "> .\n")
    example = Graph().parse(data=prefixes + block, format="turtle")
    export = build_rdf(fixture("complete"))
    assert len(example) > 30
    missing = [triple for triple in example if triple not in export]
    assert missing == []


def test_argdown_examples_are_in_the_real_export():
    blocks = code_blocks("argdown")
    assert len(blocks) == 2  # a statement with an undercut, and the argument it undercuts
    export = FORMATS["argdown"].generate(fixture("complete"))
    assert [block for block in blocks if block not in export] == []


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_has_a_row_and_a_section(name):
    text = EXPORT_PAGE.read_text("utf-8")
    assert f"| `{name}` |" in text
    assert re.search(rf"^## .*\b{name}\b", text, re.M)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_is_documented(name):
    assert f"| `{name}` |" in EXPORT_PAGE.read_text("utf-8")
