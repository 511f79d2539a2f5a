"""`kb site` writes the generated site to a folder that Zensical builds without the kb plugin:
the same pages, with the same article text, as the MkDocs build."""

from __future__ import annotations

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from kb.cli import cli
from kb.site.build import build_site
from tests.helpers import term_yaml, write_kb

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "site"
ZENSICAL = Path(sys.executable).with_name("zensical")


class ArticleText(HTMLParser):
    """The text of a page's <article> (the page body, without the theme around it), its
    heading permalinks (¶) and hidden elements (a term page's tags, in Zensical) left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.hidden: list[str] = []  # the open hidden element and its open namesakes
        self.words: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article" or self.depth:
            self.depth += tag == "article"
        if (self.hidden and tag == self.hidden[0]) or any(k == "hidden" for k, _ in attrs):
            self.hidden.append(tag)

    def handle_endtag(self, tag):
        if tag == "article" and self.depth:
            self.depth -= 1
        if self.hidden and tag == self.hidden[-1]:
            self.hidden.pop()

    def handle_data(self, data):
        if self.depth and not self.hidden:
            self.words.extend(word for word in data.split() if word != "¶")


def article_text(page: Path) -> str:
    parser = ArticleText()
    parser.feed(page.read_text("utf-8"))
    return " ".join(parser.words)


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def kb_site(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["site", *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("builds")
    mkdocs_site = build_site(REPO / "mkdocs.yml", tmp / "mkdocs", FIXTURE)
    code, output = kb_site(
        str(tmp / "src"), "--config", str(REPO / "mkdocs.yml"), "--root", str(FIXTURE)
    )
    assert code == 0, output
    subprocess.run(
        [str(ZENSICAL), "build", "-f", str(tmp / "src" / "mkdocs.yml")],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return mkdocs_site, tmp / "src" / "site"


@pytest.mark.slow
def test_zensical_builds_the_same_pages_as_mkdocs(both_builds):
    mkdocs_site, zensical_site = both_builds
    built = pages(mkdocs_site)
    assert {
        "terms/pseudo-alignment/index.html",
        "glossary/index.html",
        "rules/circular-definition/index.html",
        "contributing/index.html",
    } <= built
    assert pages(zensical_site) - {"404.html"} == built - {"404.html"}


@pytest.mark.slow
def test_zensical_pages_have_the_same_article_text(both_builds):
    mkdocs_site, zensical_site = both_builds
    differing = [
        page
        for page in sorted(pages(mkdocs_site))
        if page != "404.html"
        and article_text(mkdocs_site / page) != article_text(zensical_site / page)
    ]
    assert differing == []
    assert "pseudo-alignment" in article_text(zensical_site / "terms/pseudo-alignment/index.html")


class Links(HTMLParser):
    """The targets of a page's links: href, and SVG's xlink:href."""

    def __init__(self):
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.targets += [v for k, v in attrs if k in ("href", "xlink:href") and v]


@pytest.mark.slow
def test_every_link_of_the_generated_pages_resolves_in_the_zensical_site(both_builds):
    """The finished HTML's links (argument views, lists, local graphs) are written for the
    page's address, which MkDocs keeps; Zensical reads raw HTML's links from the source
    file's folder, so kb site rewrites them for it (kb.site.aside.for_other_builders)."""
    _, site = both_builds
    broken = []
    for folder in ("terms", "arguments", "sources", "threads"):
        for page in (site / folder).glob("*/index.html"):
            parser = Links()
            parser.feed(page.read_text("utf-8"))
            for link in parser.targets:
                parts = urlsplit(link)
                if parts.scheme or link.startswith(("#", "/")):
                    continue
                target = (page.parent / unquote(parts.path)).resolve()
                target = target / "index.html" if target.is_dir() else target
                if not target.is_file():
                    broken.append(f"{page.relative_to(site)}: {link}")
    assert broken == []


@pytest.mark.slow
def test_written_pages_hold_the_finished_html_without_its_marks(both_builds):
    """The marks that let the MkDocs plugin keep finished HTML away from Markdown
    (kb.site.aside) are not written for other builders; the HTML itself is."""
    _, zensical_site = both_builds
    docs = zensical_site.parent / "docs"
    claim = (docs / "arguments" / "the-rlo-sense-is-too-narrow.md").read_text("utf-8")
    assert '<section id="responses" class="kb-argmap" data-search-exclude><h2>' in claim
    assert [p for p in docs.rglob("*.md") if "kb:aside" in p.read_text("utf-8")] == []


@pytest.mark.slow
def test_zensical_site_serves_the_data_and_assets(both_builds):
    _, zensical_site = both_builds
    for path in (
        "assets/kb/graph.json",
        "assets/kb/previews.json",
        "assets/kb/kb.js",
        "assets/kb/kb.css",
        "schemas/term.schema.json",
    ):
        assert (zensical_site / path).is_file(), path
    home = (zensical_site / "index.html").read_text("utf-8")
    assert "assets/kb/kb.js" in home and "assets/kb/kb.css" in home


def test_written_config_drops_the_plugin_and_hides_entry_pages(tmp_path):
    code, output = kb_site(
        str(tmp_path / "src"), "--config", str(REPO / "mkdocs.yml"), "--root", str(FIXTURE)
    )
    assert code == 0, output
    config = YAML().load((tmp_path / "src" / "mkdocs.yml").read_text("utf-8"))
    plugins = [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]]
    assert "kb" not in plugins and "search" in plugins
    assert "/terms/pseudo-alignment.md" in config["not_in_nav"].split("\n")
    assert "assets/kb/kb.js" in config["extra_javascript"]
    assert config["docs_dir"] == "docs" and config["nav"][0] == {"Home": "index.md"}
    assert (tmp_path / "src" / "docs" / "terms" / "pseudo-alignment.md").is_file()
    assert (tmp_path / "src" / "docs" / "about.md").is_file()  # hand-written pages beside
    home = (tmp_path / "src" / "docs" / "index.md").read_text("utf-8")
    assert "<!-- kb:counts -->" not in home  # live figures filled in
    assert output.splitlines()[0].startswith(("All checks passed", "Found "))
    # a second run replaces its own folder
    assert (
        kb_site(
            str(tmp_path / "src"), "--root", str(FIXTURE), "--config", str(REPO / "mkdocs.yml")
        )[0]
        == 0
    )


def test_refuses_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    code, output = kb_site(
        str(tmp_path / "mine"), "--config", str(REPO / "mkdocs.yml"), "--root", str(FIXTURE)
    )
    assert code == 1
    assert "was not written by kb site; choose a new or empty folder" in output
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_knowledge_base_errors_stop_it_with_positions(tmp_path):
    root = write_kb(tmp_path / "kb", {"terms/t.yaml": term_yaml("t", uses=["nothing-here"])})
    code, output = kb_site(
        str(tmp_path / "out"), "--config", str(REPO / "mkdocs.yml"), "--root", str(root)
    )
    assert code == 1
    assert "the knowledge base has problems; the site is not built." in output
    assert "KB004 dangling-reference [error]" in output and "Traceback" not in output
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["kb"]  # no staging folder left behind


def test_needs_npm_packages(tmp_path):
    config = tmp_path / "mkdocs.yml"
    text = (REPO / "mkdocs.yml").read_text("utf-8")
    config.write_text(
        text.replace(
            "      root: .", f"      root: {REPO}\n      node_modules: {tmp_path / 'none'}"
        ),
        "utf-8",
    )
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    code, output = kb_site(str(tmp_path / "out"), "--config", str(config), "--root", str(FIXTURE))
    assert code == 1
    assert "is missing: install the site's npm packages with `npm ci`" in output


def kb_check_summary(root: Path) -> str:
    return CliRunner().invoke(cli, ["check", "--root", str(root)]).output.splitlines()[-1]


def plugin_for(root: Path):
    """The kb plugin of the project's mkdocs.yml, pointed at ``root``."""
    from mkdocs.config import load_config

    config = load_config(str(REPO / "mkdocs.yml"))
    plugin = config.plugins["kb"]
    plugin.config.root = str(root)
    return plugin, config


def test_site_build_and_kb_site_print_kb_checks_summary_line(tmp_path, caplog):
    summary = kb_check_summary(FIXTURE)
    assert summary.startswith(("All checks passed", "Found "))
    plugin, config = plugin_for(FIXTURE)
    with caplog.at_level("INFO", logger="mkdocs.plugins.kb"):
        plugin.on_config(config)
    plugin.on_post_build(config=config)
    assert f"kb: {summary}" in caplog.messages
    code, output = kb_site(
        str(tmp_path / "src"), "--config", str(REPO / "mkdocs.yml"), "--root", str(FIXTURE)
    )
    assert code == 0 and output.splitlines()[0] == summary


def test_a_failing_site_build_reports_like_kb_check(tmp_path):
    from mkdocs.exceptions import PluginError

    root = write_kb(tmp_path / "kb", {"terms/t.yaml": term_yaml("t", uses=["nothing-here"])})
    report = CliRunner().invoke(cli, ["check", "--root", str(root)]).output.rstrip("\n")
    plugin, config = plugin_for(root)
    with pytest.raises(PluginError) as raised:
        plugin.on_config(config)
    assert str(raised.value).endswith("the site is not built.\n" + report)


def test_mkdocs_serve_watches_the_entries_and_the_contributing_guide():
    """Live reload: `mkdocs serve` rebuilds (regenerating every page) when a YAML entry or
    CONTRIBUTING.md changes."""

    class Server:
        def __init__(self):
            self.watched: list[str] = []

        def watch(self, path):
            self.watched.append(path)

    plugin, config = plugin_for(FIXTURE)
    server = plugin.on_serve(Server(), config=config, builder=None)
    assert set(server.watched) == {
        str(FIXTURE / "terms"),
        str(FIXTURE / "arguments"),
        str(FIXTURE / "sources"),
        str(REPO / "CONTRIBUTING.md"),
    }


@pytest.mark.slow
def test_mkdocs_builds_the_written_folder_strictly_with_the_same_pages(both_builds, tmp_path):
    """Any MkDocs-compatible builder: MkDocs itself, without the kb plugin, builds the folder
    (strict: no broken Markdown link, no page left out of the navigation unannounced; the
    finished HTML's links are written the way Zensical reads them, see README)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    mkdocs_site, zensical_site = both_builds
    folder = zensical_site.parent
    config = load_config(str(folder / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    assert "kb" not in config.plugins
    build(config)
    assert pages(tmp_path / "site") == pages(mkdocs_site)


def test_refuses_a_folder_inside_docs_and_a_broken_config(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text((REPO / "mkdocs.yml").read_text("utf-8"), "utf-8")
    (tmp_path / "docs").mkdir()
    code, output = kb_site(str(tmp_path / "docs" / "out"), "--config", str(config))
    assert code == 1 and "is inside the docs folder" in output
    assert [p.name for p in (tmp_path / "docs").iterdir()] == []
    config.write_text("site_name: [unclosed\n", "utf-8")
    code, output = kb_site(str(tmp_path / "out"), "--config", str(config))
    assert code == 1 and "is not valid YAML" in output and "line 2" in output
    assert "Traceback" not in output
