"""Unit tests of the site's render functions, on the fixture knowledge base (no site build)."""

from __future__ import annotations

import html
import json
import re
import shutil
import textwrap
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import kb
from kb.site.claim_page import render_claim
from kb.site.context import (
    AbbreviationsError,
    SiteData,
    discussions,
    display_date,
    in_sentence,
    load_abbreviations,
    participant,
    participant_where,
    source_title,
)
from kb.site.generator import GeneratedSite, SiteError, load_checked
from kb.site.graph_data import graph_json, node_url
from kb.site.home import counts, fill_markers, most_contested, render_contested, render_counts
from kb.site.indexes import (
    conflicting_pairs,
    cross_document_disputes,
    glossary_rows,
    render_disputes,
    render_glossary,
    unanswered_objections,
)
from kb.site.markup import (
    Linker,
    abbreviate_html,
    abbreviation_definitions,
    autolink,
    bullet_list,
    escape,
    external_link,
    first_sentence,
    json_for_html,
    page_start,
    safe_id,
    safe_url,
    sense_anchor,
)
from kb.site.pages import contributing_page
from kb.site.source_page import render_source
from kb.site.term_page import render_term
from kb.site.thread_page import render_thread

FIXTURE = Path(__file__).parent / "fixtures" / "site"
EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "pymdownx.superfences"]


@pytest.fixture(scope="module")
def data() -> SiteData:
    return SiteData(kb.load(FIXTURE))


def render(md: str) -> str:
    return markdown.markdown(md, extensions=EXTENSIONS)


# -- escaping ----------------------------------------------------------------------------------

HOSTILE = [
    '<script>alert("xss")</script>',
    "<img src=x onerror=alert(1)>",
    "[a link](javascript:alert(2))",
    "**bold** _em_ `code` ~~del~~",
    "# not a heading",
    "- not a list",
    "1. not a list",
    "> not a quote",
    "a | b | c",
    "{ #id .class }",
    "&amp; &lt; &#60;",
    "\\*backslash\\*",
    "<http://example.org>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_exactly_that_text(text):
    out = render(escape(text))
    assert out.startswith("<p>") and out.endswith("</p>")
    inner = out[3:-4]
    assert "<" not in inner, inner  # no element of any kind formed
    assert html.unescape(inner) == text


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1))
def test_any_text_renders_literally(text):
    collapsed = " ".join(text.split())
    if not collapsed:
        return
    out = render(escape(collapsed))
    inner = re.fullmatch(r"<p>(.*)</p>", out, re.S)
    assert inner, out
    assert "<" not in inner.group(1)
    assert html.unescape(inner.group(1)) == collapsed


def test_hostile_definition_appears_as_text_on_the_term_page(data):
    page = render(render_term(data, data.base.terms["hostile-term"]))
    assert "<script" not in page and "<img" not in page and "<iframe" not in page
    assert "<b>" not in page and "<strong>bold" not in page and "<code>code" not in page
    assert 'href="javascript' not in page
    assert '&lt;script&gt;alert&#40;"xss"&#41;&lt;/script&gt;' in page
    assert "&lt;img src=x onerror=alert&#40;1&#41;&gt;" in page
    assert "<h1>&lt;b&gt;hostile&lt;/b&gt; term</h1>" in page


def test_safe_url_keeps_http_only():
    assert safe_url("https://arxiv.org/abs/1906.01820") == "https://arxiv.org/abs/1906.01820"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://x.org/a b") is None
    assert safe_url('https://x.org/"onmouseover="x') is None
    assert (
        external_link("t", "https://x.org/?a=1&b=2")
        == '<a href="https://x.org/?a=1&amp;b=2" rel="nofollow noopener">t</a>'
    )
    assert external_link("<t>", "data:text/html,x") == "&lt;t&gt;"


# -- links and auto-linking ----------------------------------------------------------------------


def test_linker_writes_relative_md_links():
    linker = Linker("terms/a.md")
    assert linker.href("sources/b.md") == "../sources/b.md"
    assert linker.href("terms/c.md", "sense-x") == "c.md#sense-x"
    assert Linker("glossary.md").href("terms/c.md") == "terms/c.md"


def test_autolink_links_longest_mentions_and_escapes_the_rest(data):
    linker = Linker("arguments/x.md")
    out = autolink("A mesa-optimizer, its base objective <b>is</b> here.", data.mentions, linker)
    assert out == (
        "A [mesa&#45;optimizer](../terms/mesa-optimizer.md){ .kb-term }, its "
        "[base objective](../terms/base-objective.md){ .kb-term } &lt;b&gt;is&lt;/b&gt; here&#46;"
    )


def test_autolink_prefers_the_longer_name(data):
    out = autolink("robust alignment and mesa optimisers", data.mentions, Linker("x.md"))
    assert "[robust alignment](terms/robust-alignment.md)" in out
    assert "[mesa optimisers](terms/mesa-optimizer.md)" in out


def test_autolink_skips_the_page_own_term(data):
    out = autolink(
        "a mesa-optimizer and an optimizer",
        data.mentions,
        Linker("terms/optimizer.md"),
        skip="optimizer",
    )
    assert out == "a [mesa&#45;optimizer](mesa-optimizer.md){ .kb-term } and an optimizer"


def test_headings_and_link_texts_are_never_autolinked(data):
    page = render_claim(data, data.base.claims["the-rlo-sense-is-too-narrow"])
    heading = next(line for line in page.splitlines() if line.startswith("# "))
    assert heading == "# The paper's sense of pseudo&#45;alignment is too narrow"
    for text in re.findall(r"\[([^\]]*)\]\(", page):
        assert "](" not in text and "{ .kb-term }" not in text


def test_autolinks_render_as_term_links_with_the_preview_class(data):
    page = render(render_claim(data, data.base.claims["the-rlo-sense-is-too-narrow"]))
    # the claim is finished HTML (kb.site.aside): the links are at the built pages' addresses
    assert (
        '<a class="kb-term" href="../../terms/pseudo-alignment/">pseudo&#45;alignment</a>' in page
    )
    assert '<a class="kb-term" href="../../terms/mesa-optimizer/">mesa&#45;optimizers</a>' in page


# -- term pages: senses and links in both directions ---------------------------------------------


def test_term_page_shows_every_sense_as_a_position(data):
    page = render_term(data, data.base.terms["pseudo-alignment"])
    assert "### the paper's definition { #sense-rlo }" in page
    assert "### loose usage { #sense-loose }" in page
    rlo, loose = page.split("### loose usage")
    # the card below its heading is finished HTML (kb.site.aside), links at built addresses
    # loose declares the conflict; rlo shows it too, from the other side
    assert (
        '<strong>Conflicts with:</strong> <a href="./#sense-loose">'
        "pseudo&#45;alignment &#40;loose usage&#41;</a>" in rlo
    )
    assert (
        '<strong>Conflicts with:</strong> <a href="./#sense-rlo">'
        "pseudo&#45;alignment &#40;the paper's definition&#41;</a>" in loose
    )
    # who holds each: the authors of the paper; the commenter its author note names
    assert (
        '<strong>Held by:</strong> <a href="../../sources/risks-from-learned-optimization/">'
        'Evan Hubinger</a>, <a href="../../sources/risks-from-learned-optimization/">'
        "Chris van Merwijk</a>" in rlo
    )
    # a writer the documents do not name is placed: which discussion they wrote in
    assert (
        '<strong>Held by:</strong> <a href="../../threads/a-post-on-the-paper/'
        '#comment-a-comment-on-the-post">A commenter on “A post discussing the paper”</a>' in loose
    )
    # who disputes it: the objecting claim and who made it
    assert (
        '<strong>Disputed by:</strong> <a href="../../arguments/the-rlo-sense-is-too-narrow/">'
        "The paper's sense of pseudo&#45;alignment is too narrow</a> (" in rlo
    )
    assert (
        '<p><strong>Source:</strong> <a href="../../sources/risks-from-learned-optimization/">'
        "Risks from Learned Optimization in Advanced Machine Learning Systems</a>, "
        "section 3&#46;1</p>" in rlo
    )
    assert (
        "<blockquote>\n<p>“the term pseudo&#45;aligned to refer to mesa&#45;optimizers”</p>" in rlo
    )
    assert '<div class="kb-sense kb-disputed" markdown>' in page
    assert '<span class="kb-badge kb-status-contested">contested</span>' in page
    assert "<li><strong>Also called:</strong> pseudo&#45;aligned</li>" in page


def test_every_sense_card_names_who_holds_it(data):
    for term in data.base.terms.values():
        page = render_term(data, term)
        cards = page.split('<div class="kb-sense')[1:]
        assert len(cards) == len(term.senses)
        for card in cards:
            held = re.search(r"<strong>Held by:</strong> (.+)", card)
            assert held and "<a href=" in held.group(1), (term.id, card[:200])


def test_a_sense_without_a_label_is_named_by_its_place_and_holder(data):
    page = render_term(data, data.base.terms["inner-misalignment"])
    assert "### sense 1, held by Evan Hubinger { #sense-rlo }" in page
    assert "“rlo”" not in page


def test_claims_about_a_term_are_grouped_by_sense_and_stance(data):
    page = render_term(data, data.base.terms["pseudo-alignment"])
    claims = page.split("## Claims about this term")[1]
    on_rlo = claims.split("### On the paper's definition")[1].split("###")[0]
    # below the headings, finished HTML (kb.site.aside)
    assert "<p><strong>Objects to it:</strong></p>" in on_rlo
    assert 'href="../../arguments/the-rlo-sense-is-too-narrow/"' in on_rlo
    general = claims.split("### About the term in general")[1].split("##")[0]
    # One document: its title and writers head the group, and are not repeated on the claim.
    assert (
        '<p><strong><a href="../../sources/risks-from-learned-optimization/">Risks from Learned '
        "Optimization in Advanced Machine Learning Systems</a></strong> by Evan Hubinger and "
        "Chris van Merwijk — 1 claim</p>" in general
    )
    assert (
        '<li><a href="../../arguments/pseudo-alignment-is-the-default/">'
        "Pseudo&#45;alignment is the default outcome</a></li>\n"
    ) in general


def test_claims_about_the_term_in_general_are_grouped_by_document(tmp_path):
    """Many claims about a term as a whole read as the debate's shape: how many from which
    document (the comments of one discussion together, each naming its writer), the
    documents with the most claims first, objections before support, each claim once."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    claim = "id: {id}\ntitle: {title}\nclaim: The claim {id}.\nsource: {source}\nabout: [mesa-optimizer]\n"
    extra = {
        "p1": ("Paper claim one", "risks-from-learned-optimization", ""),
        "p2": ("Paper claim two", "risks-from-learned-optimization", "supports: [p1]\n"),
        "p3": ("Paper claim three", "risks-from-learned-optimization", "objects_to: [p1]\n"),
    }
    for ident, (title, source, more) in extra.items():
        (root / "arguments" / f"{ident}.yaml").write_text(
            claim.format(id=ident, title=title, source=source) + more
        )
    data = SiteData(kb.load(root))
    page = render_term(data, data.base.terms["mesa-optimizer"])
    general = page.split("### About the term in general")[1].split("\n## ")[0]
    about = data.incoming("term:mesa-optimizer", "about")
    placed = {
        c
        for s in data.base.terms["mesa-optimizer"].senses
        for c in data.incoming(f"sense:{s.key}", "supports", "objects_to")
    }
    expected = [c for c in about if c not in placed]
    # finished HTML (kb.site.aside): paragraphs heading each document's list of claims
    assert general.count('<li><a href="../../arguments/') == len(expected)
    blocks = re.findall(r"<p>.*?</p>|<ul>.*?</ul>", general, re.S)
    assert blocks[0] == (
        f"<p>{len(expected)} claims from 2 documents: 2 object to another claim, "
        "1 supports another.</p>"
    )
    assert blocks[1].startswith("<p><strong><a href=")
    assert "Risks from Learned Optimization" in blocks[1]
    assert blocks[1].endswith(" — 3 claims: 1 objects to another claim, 1 supports another</p>")
    paper = re.findall(r'<li><a href="[^"]*">([^<]*)</a>', blocks[2])
    assert paper == ["Paper claim three", "Paper claim two", "Paper claim one"]
    assert (
        '<a href="../../threads/a-post-on-the-paper/">“A post discussing the paper”</a></strong>'
        " — 1 claim: 1 objects to another claim" in blocks[3]
    )
    assert ">B&#46; Replier</a>)" in blocks[4]  # a comment names its writer


def test_refines_shows_on_both_terms(data):
    refining = render_term(data, data.base.terms["robust-alignment"])
    refined = render_term(data, data.base.terms["inner-misalignment"])
    assert (
        '<strong>Refines:</strong> <a href="../inner-misalignment/#sense-rlo">'
        "inner misalignment &#40;sense 1" in refining
    )
    assert (
        '<strong>Refined by:</strong> <a href="../robust-alignment/#sense-rlo">'
        "robust alignment &#40;sense 1" in refined
    )


def test_uses_and_used_by(data):
    page = render_term(data, data.base.terms["mesa-optimizer"])
    uses = page.split("## Its definitions use")[1].split("##")[0]
    used_by = page.split("## Used in the definitions of")[1].split("##")[0]
    assert re.findall(r'href="([^"]*)"', uses) == ["../base-optimizer/", "../optimizer/"]
    assert re.findall(r'href="([^"]*)"', used_by) == [
        "../mesa-objective/",
        "../pseudo-alignment/",
        "../robust-alignment/",
    ]
    # One line of names, not a list: a set of terms reads at a glance.
    assert "<li>" not in used_by and used_by.count("<p>") == 1
    assert '</a>, <a href="../pseudo-alignment/">' in used_by


def test_vocabulary_tree_and_replacement(data):
    narrower = render_term(data, data.base.terms["inner-misalignment"])
    # finished HTML (kb.site.aside), nested as Python-Markdown nested the list it was
    tree = narrower.split('class="kb-vocab-tree"')[1].split("</nav>")[0]
    assert (
        "<li><strong>inner misalignment</strong><ul>\n"
        '<li><a href="../pseudo-alignment/">pseudo&#45;alignment</a></li>' in tree
    )
    below = render_term(data, data.base.terms["pseudo-alignment"])
    tree = below.split('class="kb-vocab-tree"')[1].split("</nav>")[0]
    assert (
        '<p><a href="../inner-misalignment/">inner misalignment</a></p>\n<ul>\n'
        "<li><strong>pseudo&#45;alignment</strong></li>" in tree
    )
    assert '<strong>Related:</strong> <a href="../robust-alignment/">robust alignment</a>' in tree
    replaced = render_term(data, data.base.terms["hostile-term"])
    assert '!!! warning "Deprecated"' in replaced
    assert "Replaced by [robust alignment](robust-alignment.md)." in replaced
    replacing = render_term(data, data.base.terms["robust-alignment"])
    assert (
        '<strong>Replaces:</strong> <a href="../hostile-term/">&lt;b&gt;hostile&lt;/b&gt; term</a>'
        in replacing
    )


# -- argument trees ------------------------------------------------------------------------------


# -- sources, lists, graph -----------------------------------------------------------------------


def test_source_page_names_the_writer_and_links_the_comment_in_its_thread(data):
    page = render_source(data, data.base.sources["a-comment-on-the-post"])
    # the facts and lists are finished HTML (kb.site.aside), links at the built pages' addresses
    assert (
        '<strong>Part of:</strong> <a href="../a-post-on-the-paper/">A post discussing the paper</a>'
        in page
    )
    assert (
        '<strong>Discussion:</strong> <a href="../../threads/a-post-on-the-paper/'
        '#comment-a-comment-on-the-post">this comment in its thread</a>' in page
    )
    assert (
        '<a href="../../terms/pseudo-alignment/#sense-loose">'
        "pseudo&#45;alignment &#40;loose usage&#41;</a>: Any" in page
    )
    assert "<strong>By:</strong> Author not named" in page
    assert "<strong>About the author:</strong> unknown; a commenter on the post" in page
    post = render_source(data, data.base.sources["a-post-on-the-paper"])
    assert (
        '<strong>Discussion:</strong> <a href="../../threads/a-post-on-the-paper/">'
        "the whole thread &#40;2 comments&#41;</a>" in post
    )
    assert "<strong>Date:</strong> Jul 2019" in post
    paper = render_source(data, data.base.sources["risks-from-learned-optimization"])
    assert '<a href="https://arxiv.org/abs/1906.01820" rel="nofollow noopener">' in paper
    assert "<strong>Date:</strong> 1 Jun 2019" in paper


def test_source_page_facts_stay_out_of_search_and_read_as_words(data):
    """A search result's snippet is what the source says, not "Kind: comment · Discussion:
    this comment in its thread"; the works a source is part of read "X, part of Y"."""
    page = render_source(data, data.base.sources["a-comment-on-the-post"])
    facts_block = page.split("<div data-search-exclude markdown>", 1)[1].split("</div>", 1)[0]
    assert "<strong>Kind:</strong> comment" in facts_block
    assert "<strong>Discussion:</strong>" in facts_block
    described = render(page).split("</div>")[-1]
    assert "Kind:" not in described and "this comment in its thread" not in described
    part_of = re.search(r"<strong>Part of:</strong> (.*)", page)
    assert part_of and "←" not in part_of.group(1)
    # the claims made in a source are its writer's: the writer is not repeated after each
    paper = render_source(data, data.base.sources["risks-from-learned-optimization"])
    made_here = paper.split("## Claims made here", 1)[1].split("</section>", 1)[0]
    assert made_here.count("\n<li><a ") == 2
    assert "Hubinger" not in made_here


def test_a_comment_with_authors_is_titled_by_writer_date_and_what_it_answers(data):
    reply = data.base.sources["a-reply-to-the-comment"]
    assert source_title(data.base, reply) == "B. Replier, replying to Author not named"
    page = render_source(data, reply)
    assert page.split("\n---\n\n")[1].startswith("# B&#46; Replier, replying to Author not named")
    assert "A reply to the comment" not in page  # the stored title repeats; the name above tells


def test_thread_page_nests_every_comment_once_under_its_parent(data):
    discussion = data.discussions["a-post-on-the-paper"]
    page = render_thread(data, discussion)
    html_page = render(page)
    assert html_page.count('class="kb-comment"') == 2
    outer = html_page.index('id="comment-a-comment-on-the-post"')
    inner = html_page.index('id="comment-a-reply-to-the-comment"')
    closing = html_page.index("</div>", inner)
    assert outer < inner < closing
    # the reply sits inside its parent: two comment divs are open at the reply
    before = html_page[:inner]
    assert before.count('<div class="kb-comment"') - before.count("</div>") >= 1
    assert "[details](../sources/a-reply-to-the-comment.md)" in page


def test_a_thread_that_is_its_own_source_does_not_repeat_its_title(tmp_path):
    """A discussion known only as an excerpt (kind ``other``) titles its thread page; the
    facts' link to its source page says where it leads instead of repeating that title."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "talk.yaml").write_text(
        "id: talk\ntitle: A forum excerpt on generality\nkind: other\n"
        "author_note: Two participants, not named.\n"
    )
    (tmp_path / "sources" / "reply.yaml").write_text(
        "id: reply\ntitle: 'First participant: chess engines'\nkind: comment\npart_of: talk\n"
        "author_note: The first participant; not named.\n"
    )
    site_data = SiteData(kb.load(tmp_path))
    page = render_thread(site_data, site_data.discussions["talk"])
    assert page.count("A forum excerpt on generality") == 2  # front matter title and heading
    assert "**Details:** [about this excerpt](../sources/talk.md)" in page


def test_thread_tree_survives_a_reply_loop(tmp_path):
    for name, text in {
        "sources/p.yaml": "id: p\ntitle: P\nkind: post\nauthors: [A]\n",
        "sources/a.yaml": "id: a\ntitle: A\nkind: comment\nauthors: [B]\npart_of: p\nin_reply_to: b\n",
        "sources/b.yaml": "id: b\ntitle: B\nkind: comment\nauthors: [C]\npart_of: p\nin_reply_to: a\n",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "terms").mkdir()
    (tmp_path / "arguments").mkdir()
    walked = [c.source.id for c, _ in discussions(kb.load(tmp_path))["p"].walk()]
    assert sorted(walked) == ["a", "b"]


@pytest.mark.parametrize(
    ("date", "shown"),
    [("2019-06-04", "4 Jun 2019"), ("2019-07", "Jul 2019"), ("2019", "2019"), (None, "")],
)
def test_display_date(date, shown):
    assert display_date(date) == shown


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            "Held by Hubinger et al. in the paper. Then more.",
            "Held by Hubinger et al. in the paper.",
        ),
        (
            "A system, e.g. a network, that searches. Second.",
            "A system, e.g. a network, that searches.",
        ),
        ("No full stop at all", "No full stop at all"),
    ],
)
def test_first_sentence_is_whole_and_respects_abbreviations(text, first):
    assert first_sentence(text) == first


def test_first_sentence_with_a_limit_cuts_between_words():
    assert first_sentence("Alpha beta gamma delta epsilon zeta.", 20) == "Alpha beta gamma…"


def test_autolink_links_a_term_once_per_paragraph(data):
    linker = Linker("arguments/x.md")
    out = autolink("mesa-optimizer and again mesa-optimizer", data.mentions, linker)
    assert out.count("](../terms/mesa-optimizer.md)") == 1


def test_unsafe_ids_become_safe_distinct_anchors():
    assert safe_id("rlo") == "rlo"
    hostile = safe_id('x" onmouseover="alert(1)')
    assert re.fullmatch(r"[a-z0-9_-]+", hostile)
    assert safe_id("a b") != safe_id("a-b")
    assert sense_anchor("x onmouseover=alert(1)").startswith("sense-x-onmouseover-alert-1-")


def test_page_start_puts_an_escaped_title_in_the_front_matter():
    start = page_start('</title><script>alert("x")</script>', search={"boost": 2})
    front, heading = start.split("\n---\n\n")
    assert front == (
        '---\ntitle: "&lt;/title&gt;&lt;script&gt;alert(\\"x\\")&lt;/script&gt;"\n'
        'search: {"boost": 2}'
    )
    assert heading.startswith("# &lt;/title&gt;")


def test_json_for_html_cannot_close_a_script_element():
    text = json_for_html({"a": "</script><!--\u2028&"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!--\u2028&"}


def test_glossary_lists_labels_and_aliases(data):
    rows = glossary_rows(data)
    assert ("pseudo-aligned", "pseudo-alignment", "pseudo-alignment") in rows
    page = render_glossary(data)
    assert "## P { #letter-p }" in page
    assert "[pseudo&#45;aligned](terms/pseudo-alignment.md): see *pseudo&#45;alignment*" in page
    assert page.index("## R { #letter-r }") < page.index("{ #letter-other }")  # symbols last
    assert "[&lt;b&gt;hostile&lt;/b&gt; term](terms/hostile-term.md)" in page
    # a term's status is marked, and a replaced term points to its replacement
    assert (
        '<small>1 sense</small> <span class="kb-badge kb-status-deprecated">deprecated</span>'
        " (use [robust alignment](terms/robust-alignment.md) instead): " in page
    )
    assert '<small>2 senses</small> <span class="kb-badge kb-status-contested">' in page


def test_an_item_after_a_nested_list_stays_at_the_top_level():
    """A glossary entry with several senses nests them; the next entry is its sibling, not
    one more sense (Python-Markdown needs the blank lines between such items)."""
    items = ["**a** 2 senses\n\n    - *one:* x\n    - *two:* y", "**b**: z", "**c**: w"]
    page = render(bullet_list(items))
    outer = page.split("<ul>", 2)
    assert page.count("<ul>") == 2
    nested = outer[2].split("</ul>")[0]
    assert nested.count("<li>") == 2 and "<strong>b</strong>" not in nested
    assert page.rindex("<strong>b</strong>") > page.index("</ul>")
    assert bullet_list(["x", "y"]) == "- x\n- y"


def test_disputes(data):
    assert conflicting_pairs(data) == [("pseudo-alignment#loose", "pseudo-alignment#rlo")]
    assert unanswered_objections(data) == {
        "claim:the-rlo-sense-is-too-narrow": ["claim:narrowness-is-deliberate"]
    }
    page = render_disputes(data)
    assert "- [pseudo&#45;alignment](terms/pseudo-alignment.md)" in page
    # A conflict sits under its term, each sense with who holds it.
    conflicts = page.split("## Conflicting senses")[1].split("\n## ")[0]
    assert (
        "- [pseudo&#45;alignment](terms/pseudo-alignment.md), 1 conflict:\n\n    - [" in conflicts
    )
    assert (
        "    - [loose usage](terms/pseudo-alignment.md#sense-loose), held by a commenter on "
        "“A post discussing the paper”, conflicts with [the paper's definition]"
        "(terms/pseudo-alignment.md#sense-rlo), held by Evan Hubinger and Chris van Merwijk\n"
    ) in conflicts


def test_graph_json_links_every_node_to_its_page(data):
    graph = graph_json(data)
    urls = {n["id"]: n["url"] for n in graph["nodes"]}
    assert urls["sense:pseudo-alignment#rlo"] == "terms/pseudo-alignment/#sense-rlo"
    assert urls["claim:many-objectives-fit"] == "arguments/many-objectives-fit/"
    assert node_url("source:s") == "sources/s/"
    assert {
        "from": "claim:many-objectives-fit",
        "to": "claim:pseudo-alignment-is-the-default",
        "type": "supports",
    } in graph["edges"]


# -- home page figures ---------------------------------------------------------------------------


def test_counts_of_the_knowledge_base(data):
    assert counts(data) == [
        (9, "terms", "terms/index.md"),
        (10, "senses", "glossary.md"),
        (4, "claims", "arguments/index.md"),
        (4, "sources", "sources/index.md"),
        (2, "objections", "disputes.md"),
    ]
    html_out = render(render_counts(data, Linker("index.md")))
    assert '<a href="terms/index.md"><strong>9</strong> terms</a>' in html_out
    assert '<a href="disputes.md"><strong>2</strong> objections</a>' in html_out


def test_most_contested_terms_rank_conflicts_and_objections(data):
    ranked = [(d.term.id, d.conflicts, d.objections) for d in most_contested(data)]
    # pseudo-alignment: rlo conflicts with loose; the-rlo-sense-is-too-narrow objects to its
    # rlo sense and to a claim about it, narrowness-is-deliberate to a claim about it.
    assert ranked == [("pseudo-alignment", 1, 3), ("robust-alignment", 0, 1)]
    page = render_contested(data, Linker("index.md"))
    assert (
        '- [pseudo&#45;alignment](terms/pseudo-alignment.md) <span class="kb-badge '
        'kb-status-contested">contested</span> — 1 conflict between senses, 3 objections'
    ) in page
    assert "- [robust alignment](terms/robust-alignment.md) — 1 objection\n" in page


def test_fill_markers_replaces_marker_lines_only(data):
    text = (
        "# Home\n\n<!-- kb:counts -->\n\nSee <!-- kb:counts --> inline.\n  <!-- kb:contested -->\n"
    )
    out = fill_markers(text, data, "index.md")
    assert out.startswith('# Home\n\n<div class="kb-counts" markdown>')
    assert "See <!-- kb:counts --> inline." in out  # not alone on its line: kept
    assert "[pseudo&#45;alignment](terms/pseudo-alignment.md)" in out
    assert "<!-- kb:contested -->" not in out
    assert fill_markers("# About\n", data, "about.md") == "# About\n"
    assert "(../terms/index.md)" in fill_markers("<!-- kb:counts -->", data, "reference/x.md")


# -- contributing page and the error gate --------------------------------------------------------


def test_contributing_page_rewrites_repository_links():
    text = "See [the model](docs/data-model.md#terms), [a term](terms/x.yaml) and [web](https://x.org)."
    assert contributing_page(text) == (
        "See [the model](data-model.md#terms), a term and [web](https://x.org)."
    )
    assert "not written yet" in contributing_page(None)


def test_build_gate_reports_positioned_errors(tmp_path):
    (tmp_path / "terms").mkdir()
    (tmp_path / "terms" / "t.yaml").write_text(
        textwrap.dedent("""\
        id: t
        label: t
        senses:
          - id: a
            definition: A thing.
            uses: [nothing-here]
            source: s
        """)
    )
    with pytest.raises(SiteError) as raised:
        load_checked(tmp_path)
    message = str(raised.value)
    assert "the site is not built" in message
    assert re.search(r"terms/t\.yaml:6:\d+: KB004 dangling-reference \[error\]", message)


# -- the "edit this entry" link ------------------------------------------------------------------


class _Page:
    def __init__(self, src_uri: str, generated: bool):
        self.file = type(
            "F", (), {"src_uri": src_uri, "generated_by": "kb" if generated else None}
        )()
        self.edit_url = "https://computed-by-mkdocs/"


@pytest.mark.parametrize(
    "template, expected",
    [
        (
            "https://forge.example/atlas/edit/main/{path}",
            "https://forge.example/atlas/edit/main/terms/pseudo-alignment.yaml",
        ),
        ("", None),
    ],
)
def test_edit_link_points_at_the_entry_yaml(template, expected):
    from kb.site.plugin import KnowledgeBasePlugin

    plugin = KnowledgeBasePlugin()
    plugin.site = GeneratedSite(SiteData(kb.load(FIXTURE), edit_url=template or None))
    plugin.site.entries = {"terms/pseudo-alignment.md": "terms/pseudo-alignment.yaml"}
    entry, glossary, handwritten = (
        _Page("terms/pseudo-alignment.md", True),
        _Page("glossary.md", True),
        _Page("about.md", False),
    )
    for page in (entry, glossary, handwritten):
        plugin.on_page_markdown("", page=page, config=None, files=None)
    assert entry.edit_url == expected
    assert glossary.edit_url is None  # generated: no file to edit
    assert handwritten.edit_url == "https://computed-by-mkdocs/"  # MkDocs' own rule applies


def test_source_page_lists_the_works_it_refers_to_both_ways(tmp_path):
    from kb.site.source_page import render_source
    from tests.helpers import SOURCE, write_kb

    write_kb(
        tmp_path,
        {
            "sources/paper.yaml": SOURCE,
            "sources/reply.yaml": "id: reply\ntitle: A reply\nkind: comment\nauthor_note: unknown\nreferences: [paper]\n",
        },
        with_source=False,
    )
    base = kb.load(tmp_path)
    data = SiteData(base)
    reply = render_source(data, base.sources["reply"])
    paper = render_source(data, base.sources["paper"])
    assert (
        "## Works it refers to { data-search-exclude }\n\n<!--kb:aside--><ul>\n"
        '<li><a href="../paper/">A paper</a></li>' in reply
    )
    assert (
        "## Referred to by { data-search-exclude }\n\n<!--kb:aside--><ul>\n"
        '<li><a href="../reply/">A reply</a></li>' in paper
    )


def test_abbreviations_are_read_checked_and_defined_for_markdown(tmp_path):
    path = tmp_path / "abbreviations.yaml"
    assert load_abbreviations(path) == {}
    path.write_text("ML: machine learning\nTL;DR: too long;  didn't read\n")
    found = load_abbreviations(path)
    assert found == {"ML": "machine learning", "TL;DR": "too long; didn't read"}
    assert abbreviation_definitions(found) == (
        "*[ML]: machine learning\n*[TL;DR]: too long; didn't read"
    )
    out = markdown.markdown(
        "An ML model.\n\n" + abbreviation_definitions(found), extensions=["abbr"]
    )
    assert out == '<p>An <abbr title="machine learning">ML</abbr> model.</p>'
    for bad, message in [
        ("- a list", "expected a mapping"),
        ("'<b>': x", "is not an abbreviation"),
        ("ML: ''", "must be one line"),
        ("ML: [a]", "must be one line"),
        ("ML: {", "not readable YAML"),
    ]:
        path.write_text(bad)
        with pytest.raises(AbbreviationsError, match=message):
            load_abbreviations(path)


def test_abbreviate_html_wraps_whole_words_only():
    out = abbreviate_html("the AI&#x27;s AIXI, not AIR or MDP-like", {"AI": "a <b>", "AIXI": "x"})
    assert out == (
        'the <abbr title="a &lt;b&gt;">AI</abbr>&#x27;s <abbr title="x">AIXI</abbr>, '
        "not AIR or MDP-like"
    )


def test_comments_sharing_a_title_get_their_rank(tmp_path):
    files = {
        "sources/p.yaml": "id: p\ntitle: P\nkind: post\nauthors: [A]\n",
        "sources/q.yaml": "id: q\ntitle: Q\nkind: comment\nauthors: [B]\npart_of: p\n",
        "sources/r1.yaml": (
            "id: r1\ntitle: R\nkind: comment\nauthors: [A]\ndate: '2019-06-04'\n"
            "part_of: p\nin_reply_to: q\n"
        ),
        "sources/r2.yaml": (
            "id: r2\ntitle: R\nkind: comment\nauthors: [A]\ndate: '2019-06-04'\n"
            "part_of: p\nin_reply_to: q\n"
        ),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    base = kb.load(tmp_path)
    assert source_title(base, base.sources["q"]) == "B, on “P”"
    assert source_title(base, base.sources["r1"]) == "A, 4 Jun 2019, replying to B (first of two)"
    assert source_title(base, base.sources["r2"]) == "A, 4 Jun 2019, replying to B (second of two)"


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("The thread's second participant, numbered by order of appearance", "Second participant"),
        ("The author of the ninth and last comment after the post", "Writer of the ninth comment"),
        (
            "The post's author, whose name the archived text does not show",
            "Author of “S”",
        ),
        ("not named in the archived documents", "Author not named"),
        (None, "Author not named"),
    ],
)
def test_an_unnamed_writer_gets_the_short_name_the_author_note_gives(note, name):
    source = kb.model.Source("s", "S", "comment", kb.model.Location("s.yaml"), author_note=note)
    assert participant(source) == name


def test_a_writer_named_by_their_place_is_placed_in_their_discussion(tmp_path):
    """Out of its thread, "Writer of the ninth comment" says which discussion it is in."""
    files = {
        "sources/p.yaml": "id: p\ntitle: P\nkind: post\nauthors: [A]\n",
        "sources/t.yaml": "id: t\ntitle: 'Comment thread: T'\nkind: other\n",
        "sources/c.yaml": (
            "id: c\ntitle: C\nkind: comment\npart_of: p\n"
            "author_note: The author of the ninth and last comment after the post\n"
        ),
        "sources/d.yaml": (
            "id: d\ntitle: D\nkind: comment\npart_of: t\n"
            "author_note: The thread's second participant\n"
        ),
        "sources/e.yaml": "id: e\ntitle: E\nkind: comment\npart_of: p\nauthors: [B]\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    base = kb.load(tmp_path)
    assert participant_where(base, base.sources["c"]) == "Writer of the ninth comment on “P”"
    assert participant_where(base, base.sources["d"]) == (
        "Second participant in “Comment thread: T”"
    )
    assert participant_where(base, base.sources["e"]) == "B"
    assert participant_where(base, base.sources["p"]) == "A"


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("Writer of the ninth comment on “P”", "the writer of the ninth comment on “P”"),
        (
            "Second participant in “Comment thread: T”",
            "the second participant in “Comment thread: T”",
        ),
        ("Author of “S”", "the author of “S”"),
        ("A commenter on “P”", "a commenter on “P”"),
        ("Two participants (not named)", "two participants (not named)"),
        ("Author not named", "an author not named"),
        ("Evan Hubinger et al.", "Evan Hubinger et al."),
        ("Authority Figure", "Authority Figure"),
        ("Wei_Dai", "Wei_Dai"),
    ],
)
def test_a_writer_named_by_description_reads_inside_a_sentence(name, phrase):
    """After "held by" or "By" mid-sentence, "held by Author of “…”" read as a slip: a writer
    named by description takes an article and a small letter; a person's name is kept."""
    assert in_sentence(name) == phrase


def test_handwritten_links_to_entries_the_base_lacks_become_text(data):
    page = (
        "See [x](terms/mesa-optimizer.md), [y](terms/search.md#a), "
        "[t](threads/a-post-on-the-paper.md), [g](glossary.md) and [w](../sources/nope.md)."
    )
    out = fill_markers(page, data, "start-here.md")
    assert out.startswith(
        "See [x](terms/mesa-optimizer.md), y, [t](threads/a-post-on-the-paper.md), "
        "[g](glossary.md) and w."
    )


def test_a_conflict_declared_by_both_senses_is_listed_once(tmp_path):
    shutil.copytree(FIXTURE, tmp_path, dirs_exist_ok=True)
    term = tmp_path / "terms" / "pseudo-alignment.yaml"
    text = term.read_text("utf-8")
    text = text.replace(
        '    quote: "the term pseudo-aligned to refer to mesa-optimizers"\n',
        '    quote: "the term pseudo-aligned to refer to mesa-optimizers"\n'
        "    conflicts_with: [pseudo-alignment#loose]\n",
    )
    term.write_text(text, "utf-8")
    both = SiteData(kb.load(tmp_path))
    assert both.base.sense("pseudo-alignment#rlo").conflicts_with  # declared both ways
    assert conflicting_pairs(both) == [("pseudo-alignment#loose", "pseudo-alignment#rlo")]
    assert render_disputes(both).count(" conflicts with ") == 1


def test_glossary_entries_show_sense_count_contested_marker_and_whole_sentences(data):
    page = render_glossary(data)
    entry = page.split("**[pseudo&#45;alignment](terms/pseudo-alignment.md)**")[1].split("\n- ")[0]
    assert entry.startswith(
        ' <small>2 senses</small> <span class="kb-badge kb-status-contested">contested</span>'
    )
    assert (
        "    - *the paper's definition:* A mesa&#45;optimizer is pseudo&#45;aligned when" in entry
    )
    assert "robustly off it&#46;" in entry  # the whole sentence, never cut
    assert "    - *loose usage:* Any learned system" in entry
    single = page.split("**[optimizer](terms/optimizer.md)**")[1].split("\n")[0]
    assert single.startswith(" <small>1 sense</small>: ")


def test_a_work_only_cited_by_the_documents_says_it_is_not_archived(data):
    """The paper has no archived text (only the post and its comments do): its page says so,
    the post's and its comment's pages do not."""
    paper = render_source(data, data.base.sources["risks-from-learned-optimization"])
    assert "<strong>Archived:</strong> no: a work the archived documents cite" in paper
    for archived in ("a-post-on-the-paper", "a-comment-on-the-post"):
        assert "<strong>Archived:</strong>" not in render_source(data, data.base.sources[archived])


def test_disputes_across_documents_group_each_position_with_its_answers(data):
    """A comment answering the paper is a dispute across documents (a comment belongs to its
    post's discussion); a reply answering a comment of the same thread is not."""
    disputed = cross_document_disputes(data)
    assert disputed == {
        "claim:pseudo-alignment-is-the-default": ["claim:the-rlo-sense-is-too-narrow"],
        "sense:pseudo-alignment#rlo": ["claim:the-rlo-sense-is-too-narrow"],
    }
    page = render_disputes(data)
    across = page.split("## Across documents", 1)[1].split("\n## ", 1)[0]
    assert across.count("\n- ") == 2
    assert "(in [A post discussing the paper](sources/a-post-on-the-paper.md))" in across
    assert "narrowness-is-deliberate" not in across


def test_term_page_names_are_its_search_tags(data):
    """A term's label and aliases are its page's tags (Material's search weighs a tag far
    above words of a title or text), as JSON strings that YAML reads back as they are."""
    for term_id, names in (
        ("mesa-optimizer", ["mesa-optimizer", "mesa optimiser"]),
        ("hostile-term", ["&lt;b&gt;hostile&lt;/b&gt; term"]),  # escaped, as the title
    ):
        page = render_term(data, data.base.terms[term_id])
        front = yaml.safe_load(page.split("---\n")[1])
        assert front["tags"] == names
        assert front["search"] == {"boost": 2}
        assert front["hide"] == ["tags"]  # Zensical would show them (test_site_folder)
