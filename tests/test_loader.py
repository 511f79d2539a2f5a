"""The loader: every problem collected, each with its exact position."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kb
from tests.helpers import term_yaml, write_kb


def problems(root):
    base = kb.load(root)
    return [
        (f.name, f.location.path, f.location.line, f.location.column, f.message)
        for f in base.load_findings
    ]


def test_clean_file_loads_with_positions(tmp_path):
    write_kb(tmp_path, {"terms/alpha.yaml": term_yaml("alpha", uses=["alpha"])})
    base = kb.load(tmp_path)
    term = base.terms["alpha"]
    assert base.load_findings == []
    assert (term.location.line, term.location.column) == (1, 1)
    assert term.label_location.line == 2
    sense = term.senses[0]
    assert sense.key == "alpha#main"
    assert (sense.location.line, sense.location.column) == (4, 5)
    assert (sense.uses[0].location.line, sense.uses[0].location.column) == (6, 12)
    assert sense.source.target == "paper"


def test_duplicate_keys_are_refused_and_the_first_value_kept(tmp_path):
    text = "id: alpha\nlabel: first\nlabel: second\nsenses:\n  - id: main\n    definition: x\n    definition: y\n    source: paper\n"
    write_kb(tmp_path, {"terms/alpha.yaml": text})
    found = problems(tmp_path)
    assert [(p[0], p[2], p[3]) for p in found] == [("duplicate-key", 3, 1), ("duplicate-key", 7, 5)]
    assert "duplicate key 'label' (first given at line 2, column 1)" in found[0][4]
    base = kb.load(tmp_path)
    assert base.terms["alpha"].label == "first"
    assert base.terms["alpha"].senses[0].definition == "x"


def test_unknown_key_suggests_the_nearest_field(tmp_path):
    write_kb(tmp_path, {"terms/alpha.yaml": term_yaml("alpha", extra="aliasses: [a]\n")})
    (finding,) = kb.load(tmp_path).load_findings
    assert (finding.code, finding.location.line, finding.location.column) == ("KB001", 3, 1)
    assert finding.message == "unknown field 'aliasses' in the entry"
    assert finding.hint == "did you mean 'aliases'?"


def test_wrong_type_names_the_field_and_both_types(tmp_path):
    write_kb(tmp_path, {"terms/alpha.yaml": term_yaml("alpha", extra="aliases: just-one\n")})
    (finding,) = kb.load(tmp_path).load_findings
    assert (finding.location.line, finding.location.column) == (3, 10)
    assert finding.message == "aliases should be a list, not text"


def test_wrong_indentation_is_explained(tmp_path):
    # `source` slipped out of the sense: it lands at the top level of the term.
    text = "id: alpha\nlabel: alpha\nsenses:\n  - id: main\n    definition: x\nsource: paper\n"
    write_kb(tmp_path, {"terms/alpha.yaml": text})
    messages = [
        (f.location.line, f.location.column, f.message, f.hint)
        for f in kb.load(tmp_path).load_findings
    ]
    assert messages == [
        (
            6,
            1,
            "unknown field 'source' in the entry",
            "allowed fields: id, label, aliases, status, "
            "primitive, broader, related, replaced_by, note, senses, waivers",
        )
    ]


def test_bad_enum_value_suggests(tmp_path):
    write_kb(tmp_path, {"terms/alpha.yaml": term_yaml("alpha", extra="status: contestd\n")})
    (finding,) = kb.load(tmp_path).load_findings
    assert finding.location.line == 3 and finding.hint == "did you mean 'contested'?"


def test_id_must_equal_file_name(tmp_path):
    write_kb(tmp_path, {"terms/alpha.yaml": term_yaml("alfa")})
    (finding,) = kb.load(tmp_path).load_findings
    assert (finding.name, finding.location.line, finding.location.column) == ("file-name", 1, 5)
    assert finding.hint == "rename the file to alfa.yaml or set `id: alpha`"


def test_duplicate_ids_across_subfolders(tmp_path):
    write_kb(
        tmp_path,
        {"terms/a/alpha.yaml": term_yaml("alpha"), "terms/b/alpha.yaml": term_yaml("alpha")},
    )
    (finding,) = kb.load(tmp_path).load_findings
    assert finding.name == "duplicate-id"
    assert finding.location.path == "terms/b/alpha.yaml"
    assert finding.message == "term id 'alpha' is already used by terms/a/alpha.yaml"


@pytest.mark.parametrize(
    "content, line, column, message",
    [
        ("", 1, 1, "the file is empty"),
        ("# only a comment\n", 1, 1, "the file is empty"),
        ("id: a\n---\nid: b\n", 3, 1, "the file holds several YAML documents"),
        ("id: alpha\n\tlabel: alpha\n", 2, 1, "YAML syntax error"),
        ("id: alpha\nlabel: [unclosed\n", 3, 1, "YAML syntax error"),
        ("id: &x alpha\nlabel: *x\n", 1, 5, "YAML anchors and aliases"),
        ("id: !!python/object:os.system alpha\n", 1, 5, "the YAML tag '!!python/object:os.system'"),
        (b"id: alpha\nlabel: caf\xe9\n", 2, 11, "the file is not valid UTF-8 (byte 0xe9"),
    ],
)
def test_unreadable_files_get_a_positioned_error(tmp_path, content, line, column, message):
    write_kb(tmp_path, {"terms/alpha.yaml": content})
    found = [f for f in kb.load(tmp_path).load_findings if f.name == "yaml-syntax"]
    assert found, kb.load(tmp_path).load_findings
    assert (found[0].location.line, found[0].location.column) == (line, column)
    assert found[0].message.startswith(message)


def test_tab_indentation_gets_a_hint(tmp_path):
    write_kb(tmp_path, {"terms/alpha.yaml": "id: alpha\nsenses:\n\t- id: main\n"})
    (finding,) = kb.load(tmp_path).load_findings
    assert "tab" in finding.hint


def test_top_level_list_is_a_schema_error(tmp_path):
    write_kb(tmp_path, {"terms/alpha.yaml": "- id: alpha\n"})
    (finding,) = kb.load(tmp_path).load_findings
    assert finding.message == "the file should hold one term as a mapping of fields, not a list"


def test_all_problems_are_collected_in_one_run(tmp_path):
    write_kb(
        tmp_path,
        {
            "terms/a.yaml": "id: a\nlabel: a\nlabel: b\nsenses: []\n",
            "terms/b.yaml": "",
            "arguments/c.yaml": "id: c\nclaim: x\nsupport: [d]\n",
            "sources/d.yaml": b"\xff\xfe",
        },
    )
    names = sorted(f.name for f in kb.load(tmp_path).load_findings)
    assert names == ["duplicate-key", "schema", "schema", "yaml-syntax", "yaml-syntax"]


def test_a_folder_without_data_folders_is_refused(tmp_path):
    with pytest.raises(kb.NotAKnowledgeBase, match="has no terms/, arguments/ or sources/ folder"):
        kb.load(tmp_path)


def test_dates_stay_text(tmp_path):
    write_kb(
        tmp_path,
        {"sources/s.yaml": "id: s\ntitle: S\nkind: post\nauthors: [A]\ndate: 2019-06-01\n"},
    )
    assert kb.load(tmp_path).sources["s"].date == "2019-06-01"


@pytest.mark.parametrize(
    "content, hint_start",
    [
        ("id: alpha\nlabel: a: b\n", "a value containing ': ' must be quoted"),
        (
            "id: alpha\n label: alpha\n",
            "check the indentation: this key is indented more than the line above it",
        ),
        (
            "id: alpha\nsenses:\n  - id: x\n    definition: y\n  source: z\n",
            "check the indentation of this line",
        ),
    ],
)
def test_syntax_hints_tell_indentation_from_unquoted_colons(tmp_path, content, hint_start):
    write_kb(tmp_path, {"terms/alpha.yaml": content})
    (finding,) = kb.load(tmp_path).load_findings
    assert finding.hint.startswith(hint_start)


def test_references_to_an_unreadable_file_are_not_reported_as_dangling(tmp_path):
    from kb.rules import run_rules

    write_kb(
        tmp_path,
        {
            "terms/alpha.yaml": "id: alpha\n\tlabel: alpha\n",
            "terms/beta.yaml": term_yaml("beta", uses=["alpha"]),
            "arguments/c.yaml": "id: c\nclaim: C.\nsource: paper\nobjects_to: [alpha#main]\nabout: [alpha]\n",
        },
    )
    assert [f.name for f in run_rules(kb.load(tmp_path))] == ["yaml-syntax"]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=4),
            st.sampled_from(
                [b"\\", b"\t", b"\r\n", b"\x7f", b"\xc2\x85", b"\xef\xbf\xbe", b"a: b"]
            ),
            st.text(max_size=3).map(str.encode),
        ),
        max_size=8,
    ).map(b"".join)
)
def test_the_quick_control_character_test_agrees_with_the_pattern(raw):
    """The ASCII shortcut of _may_hold_control_characters says what the byte pattern says."""
    from kb.loader import _CONTROL_BYTES, _may_hold_control_characters

    assert _may_hold_control_characters(raw) == (_CONTROL_BYTES.search(raw) is not None)


@pytest.mark.parametrize("relative_root", [False, True])
def test_entry_paths_are_relative_to_the_root_in_posix_form(tmp_path, monkeypatch, relative_root):
    """The loader's quick relative paths are what pathlib's relative_to and as_posix give."""
    from kb.loader import _yaml_files

    names = ["terms/a.yaml", "terms/sub/b c.yaml", "terms/sub/deeper/ü.yml", "terms/.x.yaml"]
    write_kb(tmp_path, dict.fromkeys(names, "id: x\n"))
    root = tmp_path
    if relative_root:
        monkeypatch.chdir(tmp_path.parent)
        root = Path(tmp_path.name)
    files, _ = _yaml_files(root / "terms", root)
    assert [rel for _, rel in files] == [path.relative_to(root).as_posix() for path, _ in files]
    assert [path for path, _ in files] == [root / rel for _, rel in files]
    assert sorted(rel for _, rel in files) == sorted(names)
