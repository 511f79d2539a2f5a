"""Where the site build's time goes: one in-process build with timers around its stages.

Builds the project's site (mkdocs.yml, strict) from a knowledge base, or with ``--bare`` any
MkDocs project (e.g. speed.py's bare floor), and prints the wall and CPU time of our generation
step (and its parts), MkDocs' Markdown rendering, Material's search indexing and the rest of
page building (templates), per page kind (the first folder of the page's docs path). With
``--json``, the stages of :func:`summary` as JSON: speed.py writes speed.md's section "Site
build: where the time goes" from them.

    python3 benchmarks/site_split.py ROOT          # our site of the knowledge base at ROOT
    python3 benchmarks/site_split.py --bare MKDOCS_YML
    python3 benchmarks/site_split.py --json ROOT    # (or --bare --json MKDOCS_YML)
    python3 benchmarks/site_split.py --extensions ROOT  # Python-Markdown alone, per extension
"""

from __future__ import annotations

import argparse
import json
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
from kb.site.build import build_site

REPO = Path(__file__).resolve().parent.parent
ENTRY_KINDS = ("terms", "arguments", "sources")
SECONDS: dict[str, float] = defaultdict(float)
CPU: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)

GENERATION = "kb generation (kb.site.generator.generate)"
LOADING = "  loading and checking"
DOWNLOADS = "  exports written for Downloads"
MARKDOWN = "MkDocs: Markdown to HTML"
SEARCH = "Material: search index"
PAGE_BUILDING = "MkDocs: page building (templates + search)"


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
    timed(generator, "generate", GENERATION)
    timed(generator, "load_checked", LOADING)
    timed(pages, "write_downloads", DOWNLOADS)
    for name in ("render_term", "render_claim", "render_source"):
        timed(pages, name, f"  {name}")
    kb_plugin.generate = generator.generate
    timed(mkdocs_pages.Page, "render", MARKDOWN, page_kind)
    timed(search.SearchIndex, "add_entry_from_context", SEARCH)
    timed(mkdocs_build, "_build_page", PAGE_BUILDING, page_kind)


def measure(config: Path, root: Path | None) -> dict[str, tuple[float, float]]:
    """Build once, instrumented; every stage's (wall, CPU) seconds, and ``total``."""
    instrument()
    with tempfile.TemporaryDirectory(prefix="kb-site-split-") as target:
        started, cpu = time.perf_counter(), time.process_time()
        build_site(config, target, root)
        total = (time.perf_counter() - started, time.process_time() - cpu)
    stages = {key: (SECONDS[key], CPU[key]) for key in SECONDS}
    return {**stages, "total": total}


def _sum(stages: dict, prefix: str, kinds=None) -> tuple[float, float]:
    found = [
        v
        for k, v in stages.items()
        if k == prefix
        or (k.startswith(prefix + ", ") and (kinds is None or k[len(prefix) + 2 :] in kinds))
    ]
    return (sum(w for w, _ in found), sum(c for _, c in found))


def summary(stages: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """The stages speed.md's table shows, each (wall, CPU) seconds: our generation and its
    parts, Markdown (all pages and the entry pages), the search index, the templates (page
    building without the search index) and the rest of the build."""
    generation = stages.get(GENERATION, (0.0, 0.0))
    markdown_all = _sum(stages, MARKDOWN)
    search_index = stages.get(SEARCH, (0.0, 0.0))
    building = _sum(stages, PAGE_BUILDING)
    templates = tuple(b - s for b, s in zip(building, search_index, strict=True))
    total = stages["total"]
    rest = tuple(
        t - g - m - b for t, g, m, b in zip(total, generation, markdown_all, building, strict=True)
    )
    out = {
        "generation": generation,
        "downloads": stages.get(DOWNLOADS, (0.0, 0.0)),
        "loading": stages.get(LOADING, (0.0, 0.0)),
        **{
            f"pages, {n}": stages.get(f"  render_{n}", (0.0, 0.0))
            for n in ("term", "claim", "source")
        },
        "markdown": markdown_all,
        "markdown, entry pages": _sum(stages, MARKDOWN, ENTRY_KINDS),
        "search index": search_index,
        "templates": templates,
        "rest": rest,
        "total": total,
    }
    return {key: (round(wall, 3), round(cpu, 3)) for key, (wall, cpu) in out.items()}


def entry_pages(root: Path) -> list[str]:
    """The generated entry pages' Markdown as MkDocs gets it (finished HTML set aside)."""
    from kb.site.aside import set_aside

    with tempfile.TemporaryDirectory(prefix="kb-site-split-") as scratch:
        site = generator.generate(generator.SiteSettings(root=str(root), base=REPO), Path(scratch))
    return [
        set_aside(text)[0]
        for path, text in site.pages.items()
        if path.split("/")[0] in ENTRY_KINDS and not path.endswith("index.md")
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
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument(
        "--extensions", action="store_true", help="time Python-Markdown on ROOT's entry pages"
    )
    args = parser.parse_args(argv)
    if args.extensions:
        extension_split(args.path)
        return 0
    config, root = (args.path, None) if args.bare else (REPO / "mkdocs.yml", args.path)
    stages = measure(config, root)
    if args.json:
        print(json.dumps(summary(stages)))
        return 0
    print("   wall      CPU  calls  stage")
    for key in sorted(k for k in stages if k != "total"):
        wall, cpu = stages[key]
        print(f"{wall:7.2f} s {cpu:6.2f} s  {CALLS[key]:5d}  {key}")
    print(f"{stages['total'][0]:7.2f} s {stages['total'][1]:6.2f} s         the whole build")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
