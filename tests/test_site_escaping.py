"""Contributors' text never becomes markup in the built site (issue 11, point 1).

A knowledge base whose titles, labels, aliases, authors and locators hold ``</title><script>``
and event-handler attributes is built into a site; no script, element or attribute from the
data appears in any page, in the search index or in the data files the pages' scripts read,
and every id and anchor in the pages is made of safe characters only.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from kb.site.build import build_site

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "site"
PAYLOAD = '</title><script>alert("kb")</script><img src=x onerror=alert(1)>'
SAFE_ID = re.compile(r"^[A-Za-z0-9_:.-]+$")
# Scripts and attributes of the theme itself: an inline script may only be Material's own
# configuration; no element may carry an event handler.
THEME_INLINE_SCRIPT = re.compile(r"^\s*(var __md_scope|__md_|document\.|if|\{|$)")


def _edit(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile-kb")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    _edit(
        root / "terms" / "mesa-optimizer.yaml",
        label=f"mesa {PAYLOAD}",
        aliases=[f"alias {PAYLOAD}"],
    )
    _edit(root / "arguments" / "many-objectives-fit.yaml", title=f"claim {PAYLOAD}")
    _edit(
        root / "sources" / "a-post-on-the-paper.yaml",
        title=f"post {PAYLOAD}",
        authors=[f"writer {PAYLOAD}"],
    )
    _edit(
        root / "sources" / "a-reply-to-the-comment.yaml",
        title=f"reply {PAYLOAD}",
        description=f"A gist {PAYLOAD}",
    )
    term = yaml.safe_load((root / "terms" / "optimizer.yaml").read_text("utf-8"))
    term["senses"][0]["label"] = f"sense {PAYLOAD}"
    term["senses"][0]["locator"] = f"section {PAYLOAD}"
    (root / "terms" / "optimizer.yaml").write_text(yaml.safe_dump(term, sort_keys=False), "utf-8")
    (root / "abbreviations.yaml").write_text(
        yaml.safe_dump({"ML": f'machine " onmouseover="alert(1)" {PAYLOAD}'}), "utf-8"
    )
    _edit(root / "sources" / "a-comment-on-the-post.yaml", description="An ML comment.")
    return build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("hostile-site"), root)


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of every inline script."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script" and not dict(attrs).get("src")
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_payload_reached_the_pages_as_text(hostile_site):
    """The hostile entries are on the site (so the checks below check something)."""
    term = (hostile_site / "terms" / "mesa-optimizer" / "index.html").read_text("utf-8")
    assert "&lt;/title&gt;&lt;script&gt;alert(" in term
    thread = (hostile_site / "threads" / "a-post-on-the-paper" / "index.html").read_text("utf-8")
    assert "A gist &lt;/title&gt;" in thread
    assert '<abbr title="machine &quot; onmouseover=&quot;alert(1)&quot; &lt;/title&gt;' in thread


def test_no_page_holds_a_script_or_element_from_the_data(hostile_site):
    offending = []
    for page in pages(hostile_site):
        text = page.read_text("utf-8")
        if "<script>alert" in text or "<img src=x" in text or "</title><script>" in text:
            offending.append(str(page.relative_to(hostile_site)))
        parser = Elements()
        parser.feed(text)
        for tag, attrs in parser.tags:
            handlers = [name for name in attrs if name.startswith("on")]
            assert not handlers, f"{page.relative_to(hostile_site)}: <{tag}> has {handlers}"
            assert not (tag == "img" and attrs.get("src") == "x")
        assert not any("alert(" in script for script in parser.scripts), page
    assert offending == []


def test_the_title_element_holds_the_title_as_text(hostile_site):
    page = (hostile_site / "arguments" / "many-objectives-fit" / "index.html").read_text("utf-8")
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.startswith("claim &lt;/title&gt;&lt;script&gt;alert(")
    assert "<" not in title


def test_every_id_is_made_of_safe_characters(hostile_site):
    for page in pages(hostile_site):
        parser = Elements()
        parser.feed(page.read_text("utf-8"))
        for _tag, attrs in parser.tags:
            if attrs.get("id"):
                assert SAFE_ID.match(attrs["id"]), (
                    f"{page.relative_to(hostile_site)}: {attrs['id']!r}"
                )
            href = attrs.get("href") or ""
            if "#" in href and not href.startswith(("http", "mailto")):
                fragment = href.split("#", 1)[1]
                assert fragment == "" or SAFE_ID.match(fragment), (page, href)


def test_the_search_index_holds_no_markup_from_the_data(hostile_site):
    index = json.loads((hostile_site / "search" / "search_index.json").read_text("utf-8"))
    texts = [doc["title"] + " " + doc["text"] for doc in index["docs"]]
    hostile = [t for t in texts if "alert(" in t]
    assert hostile, "the hostile titles should be indexed"
    for text in hostile:
        assert "<script" not in text and "<img" not in text, text[:200]


def test_the_data_files_of_the_pages_keep_the_text_as_data(hostile_site):
    """previews.json and graph.json are fetched and put into pages with textContent: they
    hold the text exactly, as JSON strings (no HTML escaping needed, no markup formed)."""
    previews = json.loads((hostile_site / "assets" / "kb" / "previews.json").read_text("utf-8"))
    assert previews["mesa-optimizer"]["label"] == f"mesa {PAYLOAD}"
