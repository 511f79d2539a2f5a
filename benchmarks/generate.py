"""A generated knowledge base of any size, shaped like the real one, for the benchmarks.

30 % terms (two senses each, definitions that mention the terms they use by label, one
sense in five conflicting with the term's other sense), 50 % claims (each supports or
objects to an earlier claim or a sense), 20 % sources (posts and comment threads with
``part_of`` / ``in_reply_to``, URLs and dates). Links only point at higher-numbered terms,
so there are no definitional or hierarchy loops: the generated knowledge base checks
without errors, and every rule does its full work on it.

    python3 benchmarks/generate.py ROOT ENTRIES
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

WORDS = [
    "learned",
    "objective",
    "optimizer",
    "search",
    "policy",
    "reward",
    "proxy",
    "robust",
    "deceptive",
    "inner",
    "outer",
    "base",
    "gradient",
    "training",
    "deployment",
    "capability",
    "heuristic",
    "model",
    "internal",
    "environment",
]


def _sentence(rng: random.Random, length: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length))


def term_yaml(i: int, terms: int, sources: int, rng: random.Random) -> str:
    later = range(i + 1, terms)
    uses = sorted(rng.sample(later, min(2, len(later))))
    mentioned = " and ".join(f"generated term {j}" for j in uses) or "nothing defined here"
    use_list = ", ".join(f"term-{j}" for j in uses)
    broader = f"broader: [term-{rng.choice(later)}]\n" if later and i % 3 == 0 else ""
    senses = []
    for k in range(2):
        conflict = f"    conflicts_with: [term-{i}#s0]\n" if k == 1 and i % 5 == 0 else ""
        senses.append(
            f"  - id: s{k}\n"
            f"    definition: >-\n"
            f"      Sense {k} of generated term {i}: a {_sentence(rng, 8)} that relies on\n"
            f"      {mentioned}, written at the length of a real definition ({_sentence(rng, 6)}).\n"
            f"    uses: [{use_list}]\n"
            f"    source: source-{rng.randrange(sources)}\n"
            f"    locator: section {k + 1}, paragraph {rng.randrange(1, 9)}\n"
            f"    quote: the {_sentence(rng, 5)}\n"
            f"{conflict}"
        )
    return (
        f"id: term-{i}\nlabel: generated term {i}\naliases: [gt{i}]\n"
        f"status: {'contested' if i % 7 == 0 else 'established'}\n{broader}"
        f"senses:\n{''.join(senses)}"
    )


def claim_yaml(i: int, terms: int, sources: int, rng: random.Random) -> str:
    if i == 0 or i % 6 == 0:
        target = f"term-{rng.randrange(terms)}#s{rng.randrange(2)}"
    else:
        target = f"claim-{rng.randrange(i)}"
    relation = "objects_to" if i % 3 == 0 else "supports"
    return (
        f"id: claim-{i}\ntitle: Generated claim {i}\n"
        f"claim: >-\n  Claim {i} argues that the {_sentence(rng, 10)} matters, and that\n"
        f"  the {_sentence(rng, 8)} follows from it.\n"
        f"source: source-{rng.randrange(sources)}\nlocator: comment {i}, paragraph 2\n"
        f"about: [term-{rng.randrange(terms)}]\n{relation}: [{target}]\n"
    )


def source_yaml(i: int, rng: random.Random) -> str:
    thread = ""
    if i % 10:
        post = i - i % 10
        thread = f"part_of: source-{post}\nin_reply_to: source-{rng.randrange(post, i)}\n"
    return (
        f"id: source-{i}\ntitle: Generated source {i}\nkind: {'comment' if i % 10 else 'post'}\n"
        f"authors: [Author {i % 97}]\ndate: 2019-06-{1 + i % 28:02d}\n"
        f"url: https://www.example.org/posts/{i}/generated-source-{i}\n{thread}"
    )


def generate_kb(root: Path, entries: int, seed: int = 1) -> Path:
    """Write a knowledge base of ``entries`` YAML files into ``root`` (replacing it)."""
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(seed)
    terms, claims = entries * 3 // 10, entries // 2
    sources = entries - terms - claims
    for folder in ("terms", "arguments", "sources"):
        (root / folder).mkdir(parents=True)
    for i in range(terms):
        (root / "terms" / f"term-{i}.yaml").write_text(term_yaml(i, terms, sources, rng), "utf-8")
    for i in range(claims):
        (root / "arguments" / f"claim-{i}.yaml").write_text(
            claim_yaml(i, terms, sources, rng), "utf-8"
        )
    for i in range(sources):
        (root / "sources" / f"source-{i}.yaml").write_text(source_yaml(i, rng), "utf-8")
    return root


if __name__ == "__main__":
    generate_kb(Path(sys.argv[1]), int(sys.argv[2]))
