"""How long each export format takes for a generated knowledge base of 10,000 entries.

Writes the YAML of a synthetic atlas (terms with two senses each, claims that support and
object to each other and to senses, sources in threads) into benchmarks/generated/ (git
ignores it), loads it, builds the graph, times every format of ``kb.exporters.FORMATS``
(best of ``--repeat`` runs) and writes the figures to benchmarks/export.md.

    python3 benchmarks/export_bench.py [--entries 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import kb
from kb.exporters import FORMATS

HERE = Path(__file__).parent
STATUSES = ("established", "established", "established", "contested", "proposed")


def term_yaml(i: int, terms: int, sources: int, rng: random.Random) -> str:
    uses = sorted({f"term-{rng.randrange(terms)}" for _ in range(2)} - {f"term-{i}"})
    broader = f"broader: [term-{rng.randrange(i)}]\n" if i and rng.random() < 0.5 else ""
    senses = "".join(
        f"  - id: s{k}\n"
        f"    definition: \"Definition {k} of term {i}, using {', '.join(uses)}: \\\"quoted\\\" & <ok>.\"\n"
        f"    uses: [{', '.join(uses)}]\n"
        f"    source: source-{rng.randrange(sources)}\n"
        f"    locator: section {k}\n"
        for k in range(2))
    return (f"id: term-{i}\nlabel: term {i}\naliases: [t{i}]\nstatus: {rng.choice(STATUSES)}\n"
            f"{broader}senses:\n{senses}")


def claim_yaml(i: int, terms: int, sources: int, rng: random.Random) -> str:
    def earlier():
        return f"claim-{rng.randrange(i)}" if i else f"term-{rng.randrange(terms)}#s0"

    supports = f"supports: [{earlier()}]\n" if rng.random() < 0.5 else ""
    objects = f"objects_to: [{earlier()}, term-{rng.randrange(terms)}#s1]\n" if rng.random() < 0.4 else ""
    return (f"id: claim-{i}\ntitle: Claim {i}\nclaim: The claim number {i}, in our words. A second sentence.\n"
            f"source: source-{rng.randrange(sources)}\nabout: [term-{rng.randrange(terms)}]\n{supports}{objects}")


def source_yaml(i: int, rng: random.Random) -> str:
    thread = f"part_of: source-{rng.randrange(i)}\nin_reply_to: source-{rng.randrange(i)}\n" if i else ""
    return (f"id: source-{i}\ntitle: Source {i}\nkind: {'comment' if i else 'post'}\n"
            f"authors: [Author {i % 97}]\ndate: 2019-06-{1 + i % 28:02d}\n{thread}")


def generate_kb(root: Path, entries: int, seed: int = 1) -> None:
    """Write ``entries`` YAML files: 30 % terms, 50 % claims, 20 % sources."""
    rng = random.Random(seed)
    terms, claims = entries * 3 // 10, entries // 2
    sources = entries - terms - claims
    for folder in ("terms", "arguments", "sources"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for i in range(terms):
        (root / "terms" / f"term-{i}.yaml").write_text(term_yaml(i, terms, sources, rng), "utf-8")
    for i in range(claims):
        (root / "arguments" / f"claim-{i}.yaml").write_text(claim_yaml(i, terms, sources, rng), "utf-8")
    for i in range(sources):
        (root / "sources" / f"source-{i}.yaml").write_text(source_yaml(i, rng), "utf-8")


def best_time(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(root: Path, repeat: int) -> tuple[dict, list[tuple[str, float, int]]]:
    start = time.perf_counter()
    base = kb.load(root)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    graph = base.graph
    built = time.perf_counter() - start
    facts = {"entries": base.files_read, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
             "load": loaded, "graph": built}
    rows = []
    with tempfile.TemporaryDirectory() as out:
        for name, exporter in FORMATS.items():
            target = Path(out) / exporter.filename("atlas")
            seconds = best_time(lambda: exporter.write(base, target), repeat)
            size = sum(p.stat().st_size for p in target.iterdir()) if target.is_dir() else target.stat().st_size
            rows.append((name, seconds, size))
    return facts, rows


def report(facts: dict, rows, repeat: int) -> str:
    lines = [
        "# Export benchmark",
        "",
        "Written by `python3 benchmarks/export_bench.py`; numbers from one run on the machine below.",
        f"A generated knowledge base of {facts['entries']:,} entries (30 % terms with two senses each, "
        "50 % claims that support and object to each other and to senses, 20 % sources in threads): "
        f"{facts['nodes']:,} graph nodes and {facts['edges']:,} edges.",
        "",
        f"- Loading the YAML: {facts['load']:.1f} s; building the graph: {facts['graph']:.1f} s (both once, "
        "before any export).",
        f"- Each format: best of {repeat} runs of `FORMATS[name].write(base, path)` on the loaded knowledge base.",
        "",
        "| format | seconds | output size |",
        "|---|---:|---:|",
    ]
    lines += [f"| `{name}` | {seconds:.2f} | {size / 1e6:.1f} MB |" for name, seconds, size in rows]
    lines += ["", f"Machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()}, "
              f"{_cpus()} CPUs.", ""]
    return "\n".join(lines)


def _cpus() -> str:
    import os

    return str(os.cpu_count())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=HERE / "export.md")
    args = parser.parse_args(argv)
    root = HERE / "generated" / f"export-{args.entries}"
    shutil.rmtree(root, ignore_errors=True)
    generate_kb(root, args.entries)
    facts, rows = measure(root, args.repeat)
    text = report(facts, rows, args.repeat)
    args.output.write_text(text, "utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
