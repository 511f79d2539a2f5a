"""Benchmark `kb check` against a plain YAML parse of the same files.

Generates knowledge bases of N entries (terms with two senses, claims with support and
objection chains, sources) into a temporary folder, then times, best of --repeat runs:

- ``yaml.load``: PyYAML's C safe loader over every file (the floor: reading alone);
- ``kb.load``: our loader (positions, duplicate keys, JSON Schema validation);
- ``kb check``: load + graph + every rule, in process;
- ``kb check`` CLI: the command as a user runs it (process start and imports included).

Usage: python benchmarks/check_bench.py [--sizes 1000 10000] [--repeat 3] [--write benchmarks/check.md]
"""

from __future__ import annotations

import argparse
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

import kb
from kb.rules import run_rules


def generate(root: Path, n: int, seed: int = 7) -> None:
    """Write about ``n`` entries: 40% terms, 45% claims, 15% sources, with realistic links."""
    rng = random.Random(seed)
    n_terms, n_claims = int(n * 0.4), int(n * 0.45)
    n_sources = n - n_terms - n_claims
    for folder in ("terms", "arguments", "sources"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for i in range(n_sources):
        (root / "sources" / f"s{i}.yaml").write_text(
            f"id: s{i}\ntitle: Source number {i}\nkind: comment\nauthors: [Author {i % 50}]\ndate: 2019-06-01\n"
            + (f"in_reply_to: s{i - 1}\n" if i % 5 else ""))
    for i in range(n_terms):
        uses = sorted({f"t{j}" for j in rng.sample(range(i + 1, n_terms), min(3, n_terms - i - 1))}) if i < n_terms - 1 else []
        broader = f"broader: [t{rng.randrange(i + 1, n_terms)}]\n" if i < n_terms - 1 and i % 3 == 0 else ""
        senses = "".join(
            f"  - id: s{k}\n    definition: >-\n      Meaning {k} of generated term {i}, written at some length so that"
            f" the text resembles a real definition of a concept.\n    uses: [{', '.join(uses)}]\n"
            f"    source: s{rng.randrange(n_sources)}\n    locator: paragraph {k + 1}\n"
            for k in range(2))
        (root / "terms" / f"t{i}.yaml").write_text(
            f"id: t{i}\nlabel: generated term {i}\naliases: [gt{i}]\n{broader}senses:\n{senses}")
    for i in range(n_claims):
        link = ""
        if i:
            target = rng.randrange(i)
            link = f"objects_to: [c{target}]\n" if i % 2 else f"supports: [c{target}]\n"
        (root / "arguments" / f"c{i}.yaml").write_text(
            f"id: c{i}\ntitle: Claim {i}\nclaim: Generated claim number {i}, argued at moderate length.\n"
            f"source: s{rng.randrange(n_sources)}\nlocator: comment {i}\nabout: [t{rng.randrange(n_terms)}]\n{link}")


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def plain_yaml(root: Path) -> None:
    for path in root.rglob("*.yaml"):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def measure(n: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, n)
        assert not [f for f in run_rules(kb.load(root)) if f.severity == "error"], "generated data must check clean"
        return {
            "entries": n,
            "yaml.load": best_of(repeat, lambda: plain_yaml(root)),
            "kb.load": best_of(repeat, lambda: kb.load(root)),
            "check": best_of(repeat, lambda: run_rules(kb.load(root))),
            "cli": best_of(repeat, lambda: subprocess.run([sys.executable, "-m", "kb", "check", str(root)],
                                                          capture_output=True, check=False)),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", type=Path, help="write the results as a Markdown table to this file")
    args = parser.parse_args()
    rows = [measure(n, args.repeat) for n in args.sizes]
    table = ["| entries | yaml.load (C) | kb.load | load + all rules | `kb check` CLI |", "|---:|---:|---:|---:|---:|"]
    table += [f"| {r['entries']:,} | {r['yaml.load']:.2f} s | {r['kb.load']:.2f} s | {r['check']:.2f} s | {r['cli']:.2f} s |" for r in rows]
    text = "\n".join(table)
    print(text)
    if args.write:
        args.write.write_text(
            "# `kb check` benchmark\n\nMeasured with `python benchmarks/check_bench.py --write benchmarks/check.md` "
            f"(best of {args.repeat}) on {platform.machine()}, Python {platform.python_version()}, "
            f"{time.strftime('%Y-%m-%d')}.\n\n{text}\n")


if __name__ == "__main__":
    main()
