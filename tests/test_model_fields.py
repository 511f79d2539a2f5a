"""Sense labels, borrowed words (``quoted_in``), archived texts and undercuts: loaded with
their positions, and refused with a clear finding when written wrongly."""

from __future__ import annotations

import kb
from tests.helpers import write_kb

TERM = """\
id: mesa-optimizer
label: mesa-optimizer
senses:
  - id: rlo
    label: Hubinger et al.'s definition
    definition: A learned model that is itself an optimizer.
    source: paper
    quoted_in: post
    locator: section 1
    quote: a learned model that is itself an optimizer
"""

POST = "id: post\ntitle: A post\nkind: post\nauthors: [Bo]\ntext: post.txt\n"
COMMENT = "id: comment\ntitle: A comment\nkind: comment\nauthors: [Cy]\npart_of: post\n"

CLAIMS = {
    "arguments/a.yaml": "id: a\nclaim: A holds.\nsource: post\nsupports: [b]\n",
    "arguments/b.yaml": "id: b\nclaim: B holds.\nsource: post\n",
    "arguments/c.yaml": (
        "id: c\nclaim: A holds, but it does not bear on B.\nsource: comment\n"
        "quoted_in: post\nundercuts:\n  - claim: a\n    supports: b\n"
        "  - {claim: a, objects_to: mesa-optimizer#rlo}\n"
    ),
}


def loaded(tmp_path, files):
    return kb.load(write_kb(tmp_path, files))


def test_sense_label_and_quoted_in_are_read_with_positions(tmp_path):
    base = loaded(tmp_path, {"terms/mesa-optimizer.yaml": TERM, "sources/post.yaml": POST})
    assert base.load_findings == []
    sense = base.sense("mesa-optimizer#rlo")
    assert sense.label == "Hubinger et al.'s definition"
    assert sense.display_label == "Hubinger et al.'s definition"
    assert (sense.quoted_in.target, sense.quoted_in.location.line) == ("post", 8)
    assert (sense.quote_location.line, sense.quote_location.column) == (10, 12)
    node = base.graph.nodes["sense:mesa-optimizer#rlo"]
    assert node["label"] == "mesa-optimizer (Hubinger et al.'s definition)"
    assert (node["sense_label"], node["quoted_in"]) == ("Hubinger et al.'s definition", "post")


def test_a_sense_without_label_is_named_by_its_id(tmp_path):
    unlabelled = TERM.replace("    label: Hubinger et al.'s definition\n", "")
    base = loaded(tmp_path, {"terms/mesa-optimizer.yaml": unlabelled})
    sense = base.sense("mesa-optimizer#rlo")
    assert (sense.label, sense.display_label) == (None, "rlo")
    assert "sense_label" not in base.graph.nodes["sense:mesa-optimizer#rlo"]


def test_undercuts_are_read_item_by_item_with_positions(tmp_path):
    files = {"terms/mesa-optimizer.yaml": TERM, "sources/post.yaml": POST}
    files |= {"sources/comment.yaml": COMMENT, **CLAIMS}
    base = loaded(tmp_path, files)
    assert base.load_findings == []
    claim = base.claims["c"]
    assert claim.quoted_in.target == "post"
    first, second = claim.undercuts
    assert (first.claim.target, first.relation, first.target.target) == ("a", "supports", "b")
    assert (first.location.line, first.location.column) == (6, 5)
    assert (first.target.location.line, first.target.location.column) == (7, 15)
    assert first.key == "a supports b"
    assert (second.relation, second.target.target, second.location.line) == (
        "objects_to",
        "mesa-optimizer#rlo",
        8,
    )


def test_an_undercut_names_exactly_one_relation(tmp_path):
    bad = (
        "id: c\nclaim: C.\nsource: paper\nundercuts:\n  - claim: a\n"
        "  - claim: a\n    supports: b\n    objects_to: b\n"
    )
    base = loaded(tmp_path, {"arguments/c.yaml": bad})
    found = [(f.code, f.location.line, f.location.column, f.message) for f in base.load_findings]
    assert found == [
        ("KB001", 5, 5, "undercuts[0] needs exactly one of: supports, objects_to"),
        ("KB001", 6, 5, "undercuts[1] needs exactly one of: supports, objects_to"),
    ]
    assert base.load_findings[0].hint.startswith("write one item per relation")
    assert base.claims["c"].undercuts == ()


def test_text_is_read_and_inherited_through_part_of(tmp_path):
    outside = "id: book\ntitle: A book\nkind: book\nauthors: [Di]\n"
    files = {"sources/post.yaml": POST, "sources/comment.yaml": COMMENT}
    base = loaded(tmp_path, {**files, "sources/book.yaml": outside})
    assert base.load_findings == []
    post = base.sources["post"]
    assert (post.text, post.text_location.line, post.text_location.column) == ("post.txt", 5, 7)
    assert base.text_holder("comment") is post
    assert base.is_archived("comment") and not base.is_archived("book")
    assert base.graph.nodes["source:book"]["archived"] is False
    assert base.graph.nodes["source:post"]["text"] == "post.txt"


def test_the_old_seed_key_says_it_was_renamed(tmp_path):
    old = POST.replace("text: post.txt", "seed: post.txt")
    (finding,) = loaded(tmp_path, {"sources/post.yaml": old}).load_findings
    assert (finding.code, finding.location.line, finding.location.column) == ("KB001", 5, 1)
    assert finding.message == "unknown field 'seed' in the entry"
    assert finding.hint == "'seed' was renamed to 'text': write `text:`"


def test_a_text_path_may_not_leave_the_texts_folder(tmp_path):
    escaping = POST.replace("text: post.txt", "text: ../secrets.txt")
    (finding,) = loaded(tmp_path, {"sources/post.yaml": escaping}).load_findings
    assert (finding.code, finding.location.line) == ("KB001", 5)
    assert "has the wrong form" in finding.message
    assert finding.hint.startswith("write a path inside the texts folder")


def test_an_undercut_written_as_a_list_or_a_bare_id_says_how_to_write_one(tmp_path):
    bad = "id: c\nclaim: C.\nsource: paper\nundercuts:\n  - claim: a\n    supports: [b, d]\n  - a\n"
    found = loaded(tmp_path, {"arguments/c.yaml": bad}).load_findings
    assert [(f.location.line, f.location.column, f.message) for f in found] == [
        (6, 15, "undercuts[0].supports should be text, not a list"),
        (7, 5, "undercuts[1] should be a mapping, not text"),
    ]
    assert all(f.hint.startswith("an undercut names one link: write each item as") for f in found)
