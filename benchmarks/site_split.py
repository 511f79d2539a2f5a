"""Where the site build's time goes: one in-process build with timers around its stages.

Builds the project's site (mkdocs.yml, strict) from a knowledge base, or with ``--bare`` any
MkDocs project (e.g. speed.py's bare floor), and prints the wall time of our generation step
(and its parts), MkDocs' Markdown rendering, Material's search indexing and the rest of page
building (templates), per page kind (the first folder of the page's docs path).
The breakdown in speed.md ("site build") is this script's output.

    python3 benchmarks/site_split.py ROOT          # our site of the knowledge base at ROOT
    python3 benchmarks/site_split.py --bare MKDOCS_YML
    python3 benchmarks/site_split.py --extensions ROOT  # Python-Markdown alone, per extension
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import markdown
import mkdocs.commands.build as mkdocs_build
import mkdocs.structure.pages as mkdocs_pages
import yaml
from material.plugins.search import plugin as search

import kb.site.plugin as kb_plugin
from kb.site import generator, pages
from kb.site.aside import set_aside
from kb.site.build import build_site

REPO = Path(__file__).resolve().parent.parent
SECONDS: dict[str, float] = defaultdict(float)
CPU: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)


def page_kind(page, *_) -> str:
    path = page.file.src_uri
    return path.split("/")[0] if "/" in path else "top level"


def timed(owner, name: str, label: str, kind=None) -> None:
    """Replace ``owner.name`` with a wrapper adding its wall and CPU time to ``label`` (per
    kind)."""
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            key = f"{label}, {kind(*args)}" if kind else label
            SECONDS[key] += time.perf_counter() - started
            CPU[key] += time.process_time() - cpu
            CALLS[key] += 1

    setattr(owner, name, wrapper)


def instrument() -> None:
    timed(generator, "generate", "kb generation (kb.site.generator.generate)")
    timed(generator, "load_checked", "  loading and checking")
    timed(pages, "write_downloads", "  exports written for Downloads")
    for name in ("render_term", "render_claim", "render_source"):
        timed(pages, name, f"  {name}")
    kb_plugin.generate = generator.generate
    timed(mkdocs_pages.Page, "render", "MkDocs: Markdown to HTML", page_kind)
    timed(search.SearchIndex, "add_entry_from_context", "Material: search index")
    timed(mkdocs_build, "_build_page", "MkDocs: page building (templates + search)", page_kind)


def entry_pages(root: Path) -> list[str]:
    """The generated entry pages' Markdown as MkDocs gets it (finished HTML set aside)."""
    with tempfile.TemporaryDirectory(prefix="kb-site-split-") as scratch:
        site = generator.generate(generator.SiteSettings(root=str(root), base=REPO), Path(scratch))
    return [
        set_aside(text)[0]
        for path, text in site.pages.items()
        if path.split("/")[0] in ("terms", "arguments", "sources") and not path.endswith("index.md")
    ]


def convert_seconds(texts: list[str], extensions: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        markdown.Markdown(extensions=extensions).convert(text)
    return time.perf_counter() - started


def extension_split(root: Path) -> None:
    """Python-Markdown alone on the entry pages: all our extensions, none, each left out."""
    config = yaml.load((REPO / "mkdocs.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    ours = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    texts = entry_pages(root)
    sizes = [len(text.encode()) / 1024 for text in texts]
    print(f"{len(texts)} entry pages, median {statistics.median(sizes):.1f} KiB of Markdown")
    print(f"{convert_seconds(texts, ours):7.2f} s  all {len(ours)} extensions")
    print(f"{convert_seconds(texts, []):7.2f} s  none")
    for name in ours:
        rest = [e for e in ours if e != name]
        print(f"{convert_seconds(texts, rest):7.2f} s  all but {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="knowledge-base root, or mkdocs.yml with --bare")
    parser.add_argument("--bare", action="store_true", help="build PATH as a MkDocs project")
    parser.add_argument(
        "--extensions", action="store_true", help="time Python-Markdown on ROOT's entry pages"
    )
    args = parser.parse_args(argv)
    if args.extensions:
        extension_split(args.path)
        return 0
    instrument()
    config, root = (args.path, None) if args.bare else (REPO / "mkdocs.yml", args.path)
    with tempfile.TemporaryDirectory(prefix="kb-site-split-") as target:
        started, cpu = time.perf_counter(), time.process_time()
        build_site(config, target, root)
        total, total_cpu = time.perf_counter() - started, time.process_time() - cpu
    print("   wall      CPU  calls  stage")
    for key in sorted(SECONDS):
        print(f"{SECONDS[key]:7.2f} s {CPU[key]:6.2f} s  {CALLS[key]:5d}  {key}")
    print(f"{total:7.2f} s {total_cpu:6.2f} s         the whole build")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
