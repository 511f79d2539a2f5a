"""Quotes checked against archived texts (rules misquote and unverified-quote), and
``kb check --texts`` / ``[tool.kb] texts``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import kb
from kb.cli import cli
from kb.rules import run_rules
from kb.rules.quotes import comment_blocks, normalise
from tests.helpers import write_kb

PAGE = """\
A post title

post by Ann · 2019-06-01T20:52:19.461Z

The post says that “search generalizes” — and it explains why.

comment by Bob · 2019-06-03T06:07:02.080Z · score: 1

Bob’s first comment.

comment by Bob · 2019-06-03T09:00:00.000Z · score: 1

Bob’s second comment, on    the same day.

comment by Cy · 2019-06-04T10:41:23.373Z · score: 1

Cy answers: search generalizes only sometimes.
"""

SOURCES = {
    "sources/post.yaml": "id: post\ntitle: P\nkind: post\nauthors: [Ann]\ntext: page.txt\n",
    "sources/bob.yaml": (
        "id: bob\ntitle: B\nkind: comment\nauthors: [Bob]\ndate: 2019-06-03\npart_of: post\n"
    ),
    "sources/cy.yaml": (
        "id: cy\ntitle: C\nkind: comment\nauthors: [Cy]\ndate: 2019-06-04\npart_of: post\n"
    ),
}


def claim(quote: str, source: str = "post", extra: str = "") -> str:
    return (
        f"id: c\nclaim: Something.\nsource: {source}\n{extra}locator: here\n"
        f"quote: {json.dumps(quote, ensure_ascii=False)}\n"
    )


def checked(tmp_path, files, texts: bool = True, select=("misquote", "unverified-quote")):
    root = write_kb(tmp_path / "kb", {**SOURCES, **files})
    (tmp_path / "texts").mkdir(exist_ok=True)
    (tmp_path / "texts" / "page.txt").write_text(PAGE, encoding="utf-8")
    base = kb.load(root)
    if texts:
        base.texts = tmp_path / "texts"
    return run_rules(base, select=list(select))


def test_normalising_folds_whitespace_quotes_dashes_and_ellipses():
    assert normalise("“a”  ‘b’\n— c…") == "\"a\" 'b' - c..."


def test_comment_blocks_run_from_header_to_header():
    blocks = comment_blocks(PAGE)
    assert [(a, d) for a, d, _ in blocks] == [
        ("Bob", "2019-06-03"),
        ("Bob", "2019-06-03"),
        ("Cy", "2019-06-04"),
    ]
    assert blocks[0][2].endswith("Bob’s first comment.\n\n")


@pytest.mark.parametrize(
    "quote, source",
    [
        ('search generalizes" - and it explains', "post"),  # plain quotes and dash
        ("Bob's second comment, on the same day.", "bob"),  # either comment of that day
        ("search generalizes only sometimes", "cy"),
    ],
)
def test_a_quote_in_its_place_passes(tmp_path, quote, source):
    assert checked(tmp_path, {"arguments/c.yaml": claim(quote, source)}) == []


def test_a_misquote_is_an_error_at_the_quote_with_the_closest_passage(tmp_path):
    (found,) = checked(tmp_path, {"arguments/c.yaml": claim("The post says that search works")})
    assert (found.code, found.severity, found.location.path) == (
        "KB054",
        "error",
        "arguments/c.yaml",
    )
    assert (found.location.line, found.location.column) == (5, 8)
    assert found.message == "the quote of claim 'c' is not in the archived text of post 'post'"
    assert found.hint.startswith('closest passage: "…The post says that "search generalizes" - and')


def test_words_of_another_comment_are_misattributed(tmp_path):
    (found,) = checked(tmp_path, {"arguments/c.yaml": claim("search generalizes only", "bob")})
    assert found.message == (
        "the quote of claim 'c' is not in the archived text of comment 'bob' in page.txt"
    )
    assert found.hint.startswith("these words are in the comment by Cy of 2019-06-04 of page.txt")


def test_a_post_quote_must_come_before_the_comments(tmp_path):
    (found,) = checked(tmp_path, {"arguments/c.yaml": claim("Bob's first comment.")})
    assert "comment by Bob of 2019-06-03" in found.hint


def test_borrowed_words_are_checked_in_the_document_that_quotes_them(tmp_path):
    paper = "id: paper\ntitle: A paper\nkind: paper\nauthors: [Di]\n"
    files = {"sources/paper.yaml": paper}
    good = claim("search generalizes", "paper", "quoted_in: post\n")
    assert checked(tmp_path / "1", {**files, "arguments/c.yaml": good}) == []
    (unverified,) = checked(tmp_path / "2", {**files, "arguments/c.yaml": claim("x", "paper")})
    assert (unverified.code, unverified.severity) == ("KB055", "info")
    assert unverified.message == (
        "the quote of claim 'c' cannot be verified: paper 'paper' is not in the archived documents"
    )


def test_without_texts_one_info_finding_says_how_to_enable(tmp_path):
    files = {"arguments/c.yaml": claim("anything at all")}
    files["terms/t.yaml"] = (
        "id: t\nlabel: t\nsenses:\n  - id: s\n    definition: D.\n    source: post\n"
        "    locator: here\n    quote: something else\n"
    )
    (found,) = checked(tmp_path, files, texts=False)
    assert (found.name, found.severity) == ("unverified-quote", "info")
    assert found.message == "2 quotes not verified: no folder of archived texts was given"
    assert "kb check --texts DIR" in found.hint and "[tool.kb]" in found.hint


def test_a_missing_text_file_and_an_unknown_comment_are_reported(tmp_path):
    files = {
        "sources/lost.yaml": "id: lost\ntitle: L\nkind: post\nauthors: [E]\ntext: lost.txt\n",
        "sources/bob.yaml": SOURCES["sources/bob.yaml"].replace("2019-06-03", "2019-07-01"),
    }
    found = {(f.location.path, f.location.line): f.message for f in checked(tmp_path, files)}
    assert found[("sources/lost.yaml", 5)].startswith(
        "source 'lost' names the archived text 'lost.txt', which is not a readable UTF-8 file"
    )
    assert found[("sources/bob.yaml", 1)] == (
        "source 'bob' is a comment by Bob on 2019-07-01, but its archived page page.txt has no "
        "such comment"
    )


def kb_check(root: Path, *args: str):
    return CliRunner().invoke(cli, ["check", str(root), "--no-cache", *args])


def test_kb_check_texts_reports_a_misquote_at_its_file_and_line(tmp_path):
    checked(tmp_path, {"arguments/c.yaml": claim("search works")}, texts=False)
    result = kb_check(tmp_path / "kb", "--texts", str(tmp_path / "texts"))
    assert result.exit_code == 1
    assert "arguments/c.yaml:5:8: KB054 misquote [error] the quote of claim 'c'" in result.output


def test_kb_check_reads_texts_from_pyproject_and_sees_an_edited_text(tmp_path):
    checked(tmp_path, {"arguments/c.yaml": claim("search generalizes")}, texts=False)
    root = tmp_path / "kb"
    (root / "pyproject.toml").write_text('[tool.kb]\ntexts = "../texts"\n', encoding="utf-8")
    first = CliRunner().invoke(cli, ["check", str(root)])
    assert first.exit_code == 0 and "quotes not verified" not in first.output
    (tmp_path / "texts" / "page.txt").write_text(PAGE.replace("generalizes", "wins"), "utf-8")
    second = CliRunner().invoke(cli, ["check", str(root)])  # the cache must not answer
    assert second.exit_code == 1 and "KB054 misquote" in second.output


def test_kb_check_refuses_a_texts_folder_that_does_not_exist(tmp_path):
    checked(tmp_path, {}, texts=False)
    result = kb_check(tmp_path / "kb", "--texts", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "does not exist" in result.output
