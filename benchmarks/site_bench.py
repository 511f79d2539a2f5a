"""Benchmark: build the site for generated knowledge bases of 100 and 1,000 entries.

Writes the figures (build time, pages, average page size) to benchmarks/site.md. The
knowledge bases are generated into benchmarks/generated/ (ignored by git): 40 % terms with
two senses each, 40 % claims that support or object to earlier claims, 20 % sources.
Run: python3 benchmarks/site_bench.py [SIZES...]
"""

from __future__ import annotations

import logging
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from kb.site.build import build_site

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORDS = ("alignment objective optimizer search model policy reward proxy robust deceptive "
         "inner outer mesa base gradient training deployment capability heuristic").split()


def _term(i: int, terms: int, sources: int) -> str:
    uses = sorted({j for j in (i // 2, i // 3) if j < i})
    use_list = ", ".join(f"t{j}" for j in uses)
    mention = " ".join(f"term {j}" for j in uses) or "nothing defined here"
    senses = []
    for k in range(2):
        senses.append(
            f"  - id: s{k}\n"
            f"    definition: Sense {k} of term {i} is a {WORDS[i % len(WORDS)]} that relies on {mention}.\n"
            f"    uses: [{use_list}]\n"
            f"    source: src{(i + k) % sources}\n"
            f"    locator: section {k + 1}\n"
            + (f"    conflicts_with: [t{i}#s0]\n" if k == 1 and i % 5 == 0 else ""))
    return (f"id: t{i}\nlabel: term {i}\naliases: [alias {i}]\n"
            + (f"broader: [t{i // 4}]\n" if i >= 4 else "")
            + "senses:\n" + "".join(senses))


def _claim(i: int, terms: int, sources: int) -> str:
    relation = ""
    if i:
        relation = f"{'objects_to' if i % 3 == 0 else 'supports'}: [c{(i * 7) % i}]\n"
    return (f"id: c{i}\ntitle: Claim number {i} about term {i % terms}\n"
            f"claim: Claim {i} says that term {i % terms} matters for the {WORDS[i % len(WORDS)]}.\n"
            f"source: src{i % sources}\nabout: [t{i % terms}]\n{relation}")


def _source(i: int) -> str:
    parent = f"part_of: src{i // 2}\nin_reply_to: src{i // 2}\n" if i else ""
    return (f"id: src{i}\ntitle: Source number {i}\nkind: {'post' if i else 'paper'}\n"
            f"authors: [Author {i % 7}]\ndate: 2020-01\n{parent}")


def generate(root: Path, entries: int) -> Path:
    """Write a knowledge base of ``entries`` entries into ``root`` (replacing it)."""
    shutil.rmtree(root, ignore_errors=True)
    terms, claims = entries * 2 // 5, entries * 2 // 5
    sources = entries - terms - claims
    for folder in ("terms", "arguments", "sources"):
        (root / folder).mkdir(parents=True)
    for i in range(terms):
        (root / "terms" / f"t{i}.yaml").write_text(_term(i, terms, sources))
    for i in range(claims):
        (root / "arguments" / f"c{i}.yaml").write_text(_claim(i, terms, sources))
    for i in range(sources):
        (root / "sources" / f"src{i}.yaml").write_text(_source(i))
    return root


def measure(entries: int) -> dict:
    root = generate(HERE / "generated" / str(entries), entries)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        build_site(REPO / "mkdocs.yml", tmp, root)
        seconds = time.perf_counter() - start
        pages = list(Path(tmp).rglob("*.html"))
        entry_pages = [p for p in pages if p.parent.parent.name in ("terms", "arguments", "sources")]
        return {
            "entries": entries, "seconds": seconds, "pages": len(pages),
            "avg_kb": sum(p.stat().st_size for p in pages) / len(pages) / 1024,
            "avg_entry_kb": sum(p.stat().st_size for p in entry_pages) / len(entry_pages) / 1024,
        }


def report(rows: list[dict]) -> str:
    lines = [
        "# Site build benchmark",
        "",
        "`python3 benchmarks/site_bench.py` builds the site (`mkdocs.yml`, strict) for generated",
        "knowledge bases: 40 % terms (two senses each), 40 % claims, 20 % sources. Entry pages",
        "are not in the navigation, so a page's size does not grow with the knowledge base and",
        "the build time grows linearly.",
        "",
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()}; measured {time.strftime('%Y-%m-%d')}.",
        "",
        "| entries | build time (s) | HTML pages | average page (KB) | average entry page (KB) |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(f"| {r['entries']:,} | {r['seconds']:.1f} | {r['pages']:,} | "
                     f"{r['avg_kb']:.1f} | {r['avg_entry_kb']:.1f} |")
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        per_entry = (last["seconds"] - first["seconds"]) / (last["entries"] - first["entries"])
        lines += ["", f"Each further entry costs about {per_entry * 1000:.0f} ms; the rest is a fixed "
                  "cost (theme assets, search index, exports, Mermaid and vis-network copies). "
                  "For comparison, the issue measured 35 s and 290 KB a page for 1,000 plain "
                  "pages listed in the navigation."]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    sizes = [int(a) for a in argv] or [100, 1000]
    rows = []
    for size in sizes:
        rows.append(measure(size))
        print(f"{size} entries: {rows[-1]['seconds']:.1f} s, {rows[-1]['pages']} pages, "
              f"{rows[-1]['avg_entry_kb']:.1f} KB per entry page", flush=True)
    (HERE / "site.md").write_text(report(rows), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
