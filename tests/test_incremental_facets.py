"""The facets rules declare they read (``@rule(..., reads=...)``) are all they read.

``kb check`` run again reuses the findings of every rule whose facets no edit changed
(:class:`kb.rules.RuleMemo`). These tests change one facet at a time, all over the
repository's knowledge base, and check that reusing the earlier findings of the rules that
do not declare it gives exactly the findings of a fresh run. A rule whose ``reads`` leaves
out a facet it uses fails here (as long as the change to that facet changes its findings,
which ``test_each_facet_change_changes_findings`` makes sure of for every facet).

Two things these changes cannot show, and why that is safe: a waivable rule always counts as
reading ``ids`` and ``waivers`` (applying waivers reads them), whatever it declares; and the
loader's own findings (``duplicate-id`` among them) are made from the files, not from a
changed knowledge base, so the edits of tests/test_incremental.py cover them.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from kb.findings import Finding
from kb.loader import load_kb
from kb.model import Claim, KnowledgeBase, Location, Ref, Sense, Source, Term, Undercut, Waiver
from kb.rules import RULES, RuleMemo, RuleRecord, registry, run_rules
from kb.rules.registry import FACETS, FILE_FACETS, VOCABULARY, changed_facets, facet_value

ROOT = Path(__file__).resolve().parent.parent
KINDS = {"term": Term, "sense": Sense, "claim": Claim, "source": Source}
SEEDS = range(4)


def test_every_field_is_in_exactly_one_facet():
    for kind, cls in KINDS.items():
        placed = [name for fields in FACETS.values() for name in fields.get(kind, ())]
        expected = {f.name for f in dataclasses.fields(cls)} - (
            {"senses"} if kind == "term" else set()
        )
        assert sorted(placed) == sorted(expected), kind


def test_every_rule_declares_what_it_reads():
    for rule in RULES.values():
        assert rule.reads, rule.name
        assert rule.reads <= VOCABULARY, rule.name
    assert set(FILE_FACETS) <= {facet for rule in RULES.values() for facet in rule.reads}
    with pytest.raises(ValueError, match="unknown facets"):
        registry.rule("KB998", "made-up", "info", reads={"labels"})


def test_a_rule_that_declares_nothing_always_runs():
    @registry.rule("KB999", "made-up-rule", "info")
    def made_up(kb):
        """What it checks: nothing."""
        return ()

    try:
        rule = RULES["made-up-rule"]
        record = RuleRecord((), frozenset())
        assert RuleMemo(frozenset(), {rule.name: record}).reusable(rule) is None
        declared = dataclasses.replace(rule, reads=frozenset({"text"}))
        assert RuleMemo(frozenset(), {rule.name: record}).reusable(declared) is record
        assert RuleMemo(frozenset({"waivers"}), {rule.name: record}).reusable(declared) is None
        assert RuleMemo(None, {rule.name: record}).reusable(declared) is None
    finally:
        del RULES["made-up-rule"]


@pytest.fixture(scope="module")
def atlas() -> KnowledgeBase:
    """The repository's knowledge base with made-up links and waivers added, so that there
    are loops, undercuts and waivers of every kind for a change to make or break."""
    kb = load_kb(ROOT)
    for seed, facet in enumerate(("links", "waivers", "attribution")):
        kb = Mutator(kb, facet, 100 + seed).knowledge_base()
    return kb


# -- changing one facet ------------------------------------------------------------------


class Mutator:
    """Changes the values of one facet, and only those, in a copy of a knowledge base."""

    def __init__(self, kb: KnowledgeBase, facet: str, seed: int):
        self.kb, self.facet, self.rng = kb, facet, random.Random(seed)
        senses = sorted(s.key for s in kb.senses())
        self.pools = {
            "term": sorted(kb.terms),
            "sense": senses,
            "claim": sorted(kb.claims) + senses[:10],
            "source": sorted(kb.sources),
        }
        # half the references go to a few hubs, so that changed links make and break loops
        self.hubs = {kind: pool[:3] for kind, pool in self.pools.items()}
        self.ring = self.rng.random() < 0.5
        self.texts = [t.label for t in kb.terms.values()] + [
            "deprecated",
            "contested",
            "comment",
            "post",
            "",
            "A Proper Name",
            "an optimizer searching for a base objective",
        ]
        self.rules = [*RULES, "no-such-rule"]
        self.ids = [e.id for e in kb.entries()]

    def text(self) -> str:
        return self.rng.choice(self.texts)

    def location(self, near: Location | None) -> Location:
        path = near.path if near else "terms/x.yaml"
        return Location(path, self.rng.randint(1, 60), self.rng.randint(1, 9))

    def ref(self, near: Ref | None, owner: str, field: str) -> Ref:
        kind = REF_KINDS[field]
        hubs = self.hubs[kind]
        owner_entry = owner.split("#")[0] if kind == "term" else owner
        draw = self.rng.random()
        if self.ring and owner_entry in hubs:  # hubs in a ring: a loop for sure
            target = hubs[(hubs.index(owner_entry) + 1) % len(hubs)]
        elif draw < 0.05:
            target = "no-such-entry"
        elif draw < 0.15:
            target = owner
        else:
            target = self.rng.choice(hubs if draw < 0.6 else self.pools[kind])
        return Ref(target, self.location(near.location if near else None))

    def waiver(self, owner) -> Waiver:
        members = tuple(self.rng.sample(self.ids, self.rng.randint(0, 3)))
        reason = self.rng.choice(["", "The sources say so.", "Accepted for now."])
        return Waiver(self.rng.choice(self.rules), reason, self.location(owner.location), members)

    def undercut(self, owner) -> Undercut:
        """Mostly an undercut of a link that exists (of a hub claim), sometimes of none."""
        premise = self.kb.claims.get(self.rng.choice(self.hubs["claim"]))
        links = list(premise.arguments()) if premise else []
        if links and self.rng.random() < 0.7:
            relation, target = self.rng.choice(links)
            claim = Ref(premise.id, self.location(None))
        else:
            relation = self.rng.choice(["supports", "objects_to"])
            claim, target = self.ref(None, owner.id, "claim"), self.ref(None, owner.id, "claim")
        return Undercut(
            claim, relation, Ref(target.target, self.location(None)), self.location(None)
        )

    def value(self, owner, name: str, old):
        """A new value of the field ``name`` of ``owner`` (an entry or a sense)."""
        owner_id = getattr(owner, "key", None) or owner.id
        kind = dataclasses.fields(type(owner))
        hint = next(f.type for f in kind if f.name == name)
        if isinstance(old, bool):
            return not old
        if name == "status":
            return self.rng.choice(["deprecated", "contested", "established"])
        if "Location" in hint and "tuple" not in hint:
            return self.location(old)
        if "Ref" in hint and "tuple" not in hint:
            return None if old and self.rng.random() < 0.3 else self.ref(old, owner_id, name)
        if "Waiver" in hint:
            kept = [w for w in old if self.rng.random() < 0.5]
            return tuple(kept + [self.waiver(owner) for _ in range(self.rng.randint(0, 2))])
        if "Undercut" in hint:
            return tuple(self.undercut(owner) for _ in range(self.rng.randint(0, 2)))
        if "Ref" in hint:
            kept = [self.ref(r, owner_id, name) if self.rng.random() < 0.5 else r for r in old]
            return (*kept[: self.rng.randint(0, len(kept))], self.ref(None, owner_id, name))
        if "Location" in hint:
            return tuple(self.location(loc) for loc in old)
        if "tuple" in hint:
            return tuple(self.text() for _ in range(self.rng.randint(0, 2)))
        return self.text() if self.rng.random() < 0.8 else (None if "None" in hint else "")

    def changed(self, owner, kind: str):
        hub = getattr(owner, "id", None) in self.hubs.get(kind, ())
        if self.rng.random() > (0.8 if hub else 0.25):
            return owner
        fields = FACETS[self.facet].get(kind, ())
        values = {n: self.value(owner, n, getattr(owner, n)) for n in fields}
        if "aliases" in values:  # one position per alias, as the loader gives
            values["alias_locations"] = tuple(self.location(None) for _ in values["aliases"])
        return dataclasses.replace(owner, **values)

    def entry(self, entry):
        if self.facet not in FACETS:
            return entry
        if self.facet == "ids":
            return self.renamed(entry)
        if entry.kind != "term":
            return self.changed(entry, entry.kind)
        senses = tuple(self.changed(s, "sense") for s in entry.senses)
        return dataclasses.replace(self.changed(entry, "term"), senses=senses)

    def renamed(self, entry):
        """An entry with a new id or position (and new sense ids or positions)."""
        if self.rng.random() > 0.3:
            return entry
        new_id = entry.id + self.rng.choice(["-2", "x", ""])
        moved = dataclasses.replace(entry, id=new_id, location=self.location(entry.location))
        if entry.kind != "term":
            return moved
        senses = tuple(
            dataclasses.replace(s, term_id=new_id, id=s.id + self.rng.choice(["", "b"]))
            for s in entry.senses
        )
        return dataclasses.replace(moved, senses=senses)

    def knowledge_base(self) -> KnowledgeBase:
        kb = self.kb
        out = dataclasses.replace(kb, terms={}, claims={}, sources={})
        tables = {"term": out.terms, "claim": out.claims, "source": out.sources}
        for entry in kb.entries():
            changed = self.entry(entry)
            tables[entry.kind].setdefault(changed.id, changed)
        if self.facet == "load":
            out.load_findings = self.load_findings(kb.load_findings)
        return out

    def load_findings(self, findings: list[Finding]) -> list[Finding]:
        entries = [(e.kind, e.id) for e in self.kb.entries()]
        added = [
            Finding(
                "KB001",
                name,
                "error",
                self.location(None),
                f"made up {name} problem",
                "fix it",
                self.rng.choice(entries),
            )
            for name in self.rng.sample(["schema", "duplicate-key", "file-name", "yaml-syntax"], 3)
        ]
        return [f for f in findings if f.name == "duplicate-id"] + added


REF_KINDS = {
    **dict.fromkeys(("broader", "related", "replaced_by", "uses", "about"), "term"),
    **dict.fromkeys(("conflicts_with", "refines", "agrees_with"), "sense"),
    **dict.fromkeys(("supports", "objects_to", "claim"), "claim"),
    **dict.fromkeys(("source", "quoted_in", "part_of", "in_reply_to", "references"), "source"),
}
"""What kind of entry a reference in each field names (the mutations keep most of them
resolvable, as in a real knowledge base)."""
ENTRY_AND_LOAD = [*FACETS, "load"]


def reused_and_fresh(atlas: KnowledgeBase, facet: str, seed: int):
    """The findings of a run over ``atlas`` changed in ``facet`` that reuses the records of a
    run over ``atlas`` for every rule not reading ``facet``, and those of a fresh run."""
    before = RuleMemo()
    run_rules(atlas, memo=before)
    changed = Mutator(atlas, facet, seed).knowledge_base()
    memo = RuleMemo(frozenset({facet}), before.current)
    return run_rules(changed, memo=memo), run_rules(changed), memo


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("facet", ENTRY_AND_LOAD)
def test_reusing_the_rules_that_do_not_read_a_facet_is_exact(atlas, facet, seed):
    reused, fresh, memo = reused_and_fresh(atlas, facet, seed)
    wrong = {f.name for f in set(reused) ^ set(fresh)}
    assert not wrong, f"rules reused after a change of {facet} but reading it: {wrong}"
    assert reused == fresh
    assert set(memo.ran) < set(RULES)  # some rules were reused


@pytest.mark.parametrize("facet", ENTRY_AND_LOAD)
def test_each_facet_change_changes_findings(atlas, facet):
    """The changes above are strong enough to catch a missing declaration: for every facet
    (but the loader's findings, read only by the loader's rules), some rule declaring it
    reports differently when it changes."""
    before = run_rules(atlas)
    differ = set()
    for seed in SEEDS:
        changed = Mutator(atlas, facet, seed).knowledge_base()
        differ |= {f.name for f in set(run_rules(changed)) ^ set(before)}
    readers = {r.name for r in RULES.values() if facet in r.reads}
    assert differ & readers, f"no change of {facet} changed the findings of {sorted(readers)}"


def test_facets_of_two_reads_of_a_file():
    sense = Sense("t", "s", "A definition.", None, Location("terms/t.yaml", 5, 5))
    term = Term("t", "t", Location("terms/t.yaml"), senses=(sense,))
    reworded = dataclasses.replace(
        term, senses=(dataclasses.replace(sense, definition="Another one."),)
    )
    assert changed_facets((term, []), (reworded, [])) == {"text"}
    assert changed_facets((term, []), (term, [])) == set()
    assert changed_facets((term, []), (None, [])) == set(FACETS)
    finding = Finding("KB006", "yaml-syntax", "error", Location("terms/t.yaml"), "bad")
    assert changed_facets((term, []), (term, [finding])) == {"load"}
    assert facet_value(term, "names") == (("t", None, (), ()), ((),))
