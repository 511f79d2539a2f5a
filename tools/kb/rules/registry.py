"""The rule registry: every consistency rule with its stable code, name and severity.

A rule is a function ``check(kb) -> Iterable[Finding]`` registered with :func:`rule`. Its
docstring is its documentation, under the headings *What it checks*, *Why it matters*,
*Bad* and *Good*; ``kb rules NAME`` prints it and the site renders it. Codes are never
reused: a removed rule keeps its code and doc.

A rule also declares what it ``reads``: the facets (:data:`FACETS`) of the entries its
findings depend on. ``kb check`` run again after an edit reuses the findings of every rule
whose facets the edit left unchanged (:class:`kb.rules.RuleMemo`); a rule that declares
nothing is always run again.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kb.findings import SEVERITIES, Finding
from kb.model import KnowledgeBase, Location

DOC_HEADINGS = ("What it checks", "Why it matters", "Bad", "Good")

FACETS: dict[str, dict[str, tuple[str, ...]]] = {
    "ids": {
        "term": ("id", "location"),
        "sense": ("term_id", "id", "location"),
        "claim": ("id", "location"),
        "source": ("id", "location"),
    },
    "names": {"term": ("label", "label_location", "aliases", "alias_locations")},
    "links": {
        "term": ("broader", "related", "replaced_by"),
        "sense": ("uses", "conflicts_with", "refines", "agrees_with"),
        "claim": ("about", "supports", "objects_to", "undercuts"),
        "source": ("part_of", "in_reply_to", "references"),
    },
    "attribution": {
        "sense": ("source", "quoted_in", "locator", "quote", "quote_location"),
        "claim": ("source", "quoted_in", "locator", "quote", "quote_location"),
        "source": ("type", "authors", "author_note", "date", "text", "text_location"),
    },
    "status": {"term": ("status", "primitive")},
    "text": {
        "term": ("note",),
        "sense": ("definition", "definition_location", "label", "note", "note_location"),
        "claim": ("claim", "claim_location", "title", "note", "note_location"),
        "source": ("title", "url", "description"),
    },
    "waivers": {"term": ("waivers",), "claim": ("waivers",), "source": ("waivers",)},
}
"""The facets of an entry: facet → kind (``sense`` for a term's senses) → the fields it
holds, values and their positions. Every field of every entry is in exactly one facet (a
test says so), so two entries whose facets are all equal are equal."""

FILE_FACETS = {
    "load": "the findings the loader makes while reading each file (schema, YAML syntax…)",
    "files": "which files and folders there are (a file added, removed or renamed, a stray)",
}
"""Facets of the data folders rather than of an entry. A change of ``files`` counts as a
change of every facet."""

VOCABULARY = frozenset(FACETS) | frozenset(FILE_FACETS)
WAIVER_FACETS = frozenset({"ids", "waivers"})
"""What applying waivers to a waivable rule's findings reads, besides the findings."""


def facet_value(entry, facet: str) -> tuple | None:
    """The projection of ``entry`` (a built entry, or None for a file that holds none) on an
    entry ``facet``: the values of its fields, and of each sense's for a term."""
    if entry is None:
        return None
    fields = FACETS[facet]
    own = tuple(getattr(entry, name) for name in fields.get(entry.kind, ()))
    if entry.kind != "term":
        return own
    per_sense = fields.get("sense", ())
    return own, tuple(tuple(getattr(s, name) for name in per_sense) for s in entry.senses)


def changed_facets(old: tuple, new: tuple) -> set[str]:
    """The facets in which two results of reading one file, ``(entry, findings)``, differ."""
    changed = {
        facet for facet in FACETS if facet_value(old[0], facet) != facet_value(new[0], facet)
    }
    if old[1] != new[1]:
        changed.add("load")
    return changed


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    check: Callable[[KnowledgeBase], Iterable[Finding]]
    family: str
    waivable: bool = True  # False: a waiver never accepts its findings (the loader's rules)
    reads: frozenset[str] | None = None
    """The facets its findings depend on (:data:`FACETS`, :data:`FILE_FACETS`); None: unknown,
    so the rule is run on every check."""

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        """The first paragraph of the *What it checks* section, on one line."""
        section = self.section("What it checks")
        return " ".join(section.split("\n\n", 1)[0].split())

    def section(self, heading: str) -> str:
        """The text under one ``Heading:`` of the doc (empty when absent)."""
        lines = self.doc.splitlines()
        out, inside = [], False
        for line in lines:
            if line.rstrip(":") in DOC_HEADINGS and line.endswith(":"):
                inside = line.rstrip(":") == heading
                continue
            if inside:
                out.append(line)
        return inspect.cleandoc("\n".join(out))


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: str,
    waivable: bool = True,
    reads: Iterable[str] | None = None,
):
    """Register ``check`` as rule ``name`` with a stable ``code`` and default ``severity``;
    ``waivable=False`` for problems no waiver may accept. ``reads`` names every facet of the
    entries the rule looks at (its messages, hints and positions included): leave one out
    and ``kb check`` may reuse findings that an edit of that facet has made wrong."""
    assert severity in SEVERITIES, severity
    declared = None if reads is None else frozenset(reads)
    if declared is not None and declared - VOCABULARY:
        raise ValueError(f"rule {name} reads unknown facets: {sorted(declared - VOCABULARY)}")

    def register(check):
        if name in RULES or any(r.code == code for r in RULES.values()):
            raise ValueError(f"rule {code} {name} registered twice")
        family = check.__module__.rsplit(".", 1)[-1]
        RULES[name] = Rule(code, name, severity, check, family, waivable, declared)
        return check

    return register


def finding(
    name: str,
    location: Location,
    message: str,
    hint: str | None = None,
    entry: tuple[str, str] | None = None,
    related: tuple = (),
) -> Finding:
    """A finding of the registered rule ``name``, with its code and default severity."""
    r = RULES[name]
    return Finding(r.code, r.name, r.severity, location, message, hint, entry, tuple(related))


def find_rule(name_or_code: str) -> Rule | None:
    """Look a rule up by name (``circular-definition``) or code (``KB020``, any case)."""
    if name_or_code in RULES:
        return RULES[name_or_code]
    upper = name_or_code.upper()
    return next((r for r in RULES.values() if r.code == upper), None)
