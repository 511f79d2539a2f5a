"""``kb fmt``: canonical layout, comments kept, YAML errors refused, --check and --diff."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.fmt import comments, fold_positions, format_text, key_orders, plain_data
from kb.templates import render_template
from kb.yamlread import parse_yaml

ROOT = Path(__file__).resolve().parents[1]

MESSY_TERM = """\
# yaml-language-server: $schema=../tools/kb/schemas/term.schema.json
senses:
- source: "risks-from-learned-optimization"
  id: rlo   # the paper's sense
  uses:
  - base-objective
  - mesa-optimizer
  definition: "An optimizer that is itself the product of an optimization process, such as a learned model that searches."
label: 'mesa-optimizer'
# the id is the file name
id: mesa-optimizer
aliases: ["mesa optimiser"]
"""

CANONICAL_TERM = """\
# yaml-language-server: $schema=../tools/kb/schemas/term.schema.json
# the id is the file name
id: mesa-optimizer
label: mesa-optimizer
aliases: [mesa optimiser]
senses:
  - id: rlo  # the paper's sense
    definition: >-
      An optimizer that is itself the product of an optimization process, such as a learned model
      that searches.
    uses: [base-objective, mesa-optimizer]
    source: risks-from-learned-optimization
"""


def test_key_order_is_the_order_of_docs_data_model():
    """The documented examples list every field: kb fmt must use exactly their order."""
    doc = (ROOT / "docs" / "data-model.md").read_text("utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    top_level = [re.findall(r"^([a-z_]+):", block, re.M) for block in blocks]
    assert top_level == [list(key_orders(kind)[None]) for kind in ("term", "claim", "source")]
    sense_keys = re.findall(r"^  (?:- |  )([a-z_]+):", blocks[0].split("waivers:")[0], re.M)
    assert sense_keys == list(key_orders("term")["senses"])
    assert key_orders("term")["waivers"][:2] == ("rule", "reason")


def test_a_messy_term_gets_the_canonical_layout():
    assert format_text(MESSY_TERM, "term") == CANONICAL_TERM


def test_formatting_is_idempotent_and_keeps_data_and_comments():
    once = format_text(MESSY_TERM, "term")
    assert format_text(once, "term") == once
    assert plain_data(parse_yaml(once.encode())[0]) == plain_data(
        parse_yaml(MESSY_TERM.encode())[0]
    )
    assert sorted(comments(once)) == sorted(comments(MESSY_TERM))


def test_comment_on_a_list_item_keeps_the_list_in_block_style():
    text = "id: x\nclaim: c\nsource: s\nabout:\n  - mesa-optimizer  # the main one\n  - search\n"
    assert format_text(text, "claim") == (
        "id: x\nclaim: >-\n  c\nsource: s\nabout:\n  - mesa-optimizer  # the main one\n  - search\n"
    )


def test_comment_after_a_block_scalar_header_is_kept():
    text = "id: x\nclaim: >-  # paraphrased\n  c\nsource: s\n"
    assert format_text(text, "claim") == text


def test_comments_at_the_end_of_the_file_stay_there():
    text = "id: x\nclaim: >-\n  c\nsource: s\n# about: [todo]\n"
    assert format_text(text, "claim") == text


def test_unknown_keys_are_kept_after_the_known_ones():
    text = "defintion: typo kept\nid: x\nclaim: c\nsource: s\n"
    assert format_text(text, "claim") == "id: x\nclaim: >-\n  c\nsource: s\ndefintion: typo kept\n"


def test_long_lists_of_ids_are_written_one_per_line():
    ids = [f"a-rather-long-claim-identifier-{i}" for i in range(4)]
    text = f"id: x\nclaim: c\nsource: s\nsupports: [{', '.join(ids)}]\n"
    assert format_text(text, "claim").endswith("supports:\n" + "".join(f"  - {i}\n" for i in ids))


def test_long_text_is_folded_within_100_columns():
    words = " ".join(["optimization"] * 40)
    out = format_text(f"id: x\ntitle: {words}\nclaim: c\nsource: s\n", "claim")
    assert out.startswith("id: x\ntitle: >-\n  optimization")
    assert max(len(line) for line in out.splitlines()) <= 100


def test_fold_positions_break_only_at_single_spaces_within_the_width():
    assert fold_positions("aaa bbb ccc ddd", 7) == [7]  # "aaa bbb" / "ccc ddd"
    assert fold_positions("a  b c", 1) == [4]  # never inside a double space
    assert fold_positions("short", 80) == []


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "on",
        "null",
        "2019-06-01",
        "a: b",
        "#hash",
        "- dash",
        "it's",
        "12",
        "'quoted'",
        "“curly”",
        "[x]",
        "trailing space ",
    ],
)
def test_text_that_needs_quotes_reads_back_as_the_same_text(value):
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    out = format_text(f'id: x\nlabel: "{escaped}"\nsenses: []\n', "term")
    assert parse_yaml(out.encode())[0]["label"] == value


def test_unquoted_dates_become_quoted_text():
    out = format_text("id: s\ntitle: t\nkind: post\ndate: 2019-06-01\n", "source")
    assert "date: '2019-06-01'\n" in out


@pytest.mark.parametrize("kind", ["term", "claim", "source"])
def test_templates_of_kb_new_are_already_canonical(kind):
    template = render_template(kind, "reward-hacking")
    assert format_text(template, kind) == template


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(root: Path, *args):
    """``kb ARGS`` in ``root`` (the tests chdir there with monkeypatch)."""
    assert Path.cwd() == root
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_check_lists_files_that_would_change_and_fmt_fixes_them(tmp_path):
    write(tmp_path, "terms/mesa-optimizer.yaml", MESSY_TERM)
    write(tmp_path, "terms/clean.yaml", CANONICAL_TERM.replace("mesa-optimizer\n", "clean\n", 1))
    result = run(tmp_path, "fmt", "--check")
    assert result.exit_code == 1
    assert result.stdout == "would reformat terms/mesa-optimizer.yaml\n"
    assert result.stderr == "1 file would be reformatted, 1 already formatted.\n"
    assert (tmp_path / "terms/mesa-optimizer.yaml").read_text() == MESSY_TERM

    result = run(tmp_path, "fmt")
    assert (result.exit_code, result.stdout) == (0, "reformatted terms/mesa-optimizer.yaml\n")
    assert (tmp_path / "terms/mesa-optimizer.yaml").read_text() == CANONICAL_TERM
    assert run(tmp_path, "fmt", "--check").exit_code == 0


def test_diff_shows_the_change_without_writing(tmp_path):
    write(tmp_path, "arguments/x.yaml", "source: s\nid: x\nclaim: c\n")
    result = run(tmp_path, "fmt", "--diff", "arguments")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "--- arguments/x.yaml (as written)",
        "+++ arguments/x.yaml (kb fmt)",
    ]
    assert "+id: x\n+claim: >-\n+  c\n source: s\n-id: x\n-claim: c\n" in result.stdout
    assert (tmp_path / "arguments/x.yaml").read_text() == "source: s\nid: x\nclaim: c\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "id: t\nlabel: t\nsenses:\n  - id: a\n\tdefinition: x\n",
            "terms/t.yaml:5:1: KB006 yaml-syntax YAML syntax error: while scanning a plain scalar found a tab character "
            "that violates indentation (not formatted)\n"
            "    hint: YAML does not allow tab characters for indentation: indent with spaces",
        ),
        (
            "id: t\nlabel: t\nlabel: u\nsenses: []\n",
            "terms/t.yaml:3:1: KB002 duplicate-key duplicate key 'label' (first given at line 2, column 1); "
            "YAML would silently keep only the last value (not formatted)\n"
            "    hint: remove one of the two 'label' keys, or merge their values",
        ),
    ],
)
def test_files_with_yaml_errors_are_refused_with_their_position_and_left_untouched(
    tmp_path, text, expected
):
    path = write(tmp_path, "terms/t.yaml", text)
    result = run(tmp_path, "fmt")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == expected.splitlines()
    assert result.stderr.splitlines()[-1] == (
        "0 files reformatted, 0 already formatted, 1 could not be formatted "
        "(fix the problem shown, then run kb fmt again)."
    )
    assert path.read_text() == text


def test_without_paths_outside_a_knowledge_base_is_a_usage_error(tmp_path):
    result = run(tmp_path, "fmt")
    assert result.exit_code == 2
    assert "no PATHS given and no terms/, arguments/ or sources/ folder here" in result.stderr


def test_every_entry_of_the_repository_formats_safely():
    """Smoke check on the real data (content in flux): formatting never has to refuse."""
    from kb.fmt import entry_files, format_file

    files = entry_files(
        [ROOT / folder for folder in ("terms", "arguments", "sources") if (ROOT / folder).is_dir()]
    )
    refused = [
        (r.path, r.error.message)
        for r in map(format_file, files)
        if r.error and r.error.rule is None
    ]
    assert refused == []


def test_a_knowledge_base_root_means_its_data_folders_only(tmp_path):
    from kb.fmt import entry_files

    for rel in (
        "terms/a.yaml",
        "arguments/b.yaml",
        "sources/c.yaml",
        "node_modules/x/d.yaml",
        ".github/e.yaml",
        "mkdocs.yaml",
        "tests/f.yaml",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("id: x\n")
    assert [p.relative_to(tmp_path).as_posix() for p in entry_files([tmp_path])] == [
        "arguments/b.yaml",
        "sources/c.yaml",
        "terms/a.yaml",
    ]
    assert [p.relative_to(tmp_path).as_posix() for p in entry_files([tmp_path / "tests"])] == [
        "tests/f.yaml"
    ]
