"""The knowledge base's data model: frozen dataclasses, no behaviour beyond lookups.

Every value a contributor wrote that can be pointed at keeps its :class:`Location`, so that
rules report ``file:line:column`` for the exact reference or field that is wrong.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from kb.findings import Finding

TERM_STATUSES = ("established", "contested", "deprecated", "proposed")
SOURCE_KINDS = (
    "paper",
    "post",
    "comment",
    "video",
    "newsletter",
    "book",
    "wiki",
    "sequence",
    "other",
)
SENSE_LINKS = ("conflicts_with", "refines", "agrees_with")
ARGUMENT_LINKS = ("supports", "objects_to")
"""The relations a claim can have to a claim or sense, and so the relations it can undercut."""
KIND_FOLDERS = {"term": "terms", "claim": "arguments", "source": "sources"}


class NotAKnowledgeBase(Exception):
    """The given folder holds none of the data folders."""


def misplaced_folder(name: str) -> list[str]:
    """The data folder that a folder at the root called ``name`` was probably meant to be
    (``term`` → ``[terms]``), or ``[]``; its YAML files are then reported."""
    return difflib.get_close_matches(name.lower(), list(KIND_FOLDERS.values()), n=1, cutoff=0.75)


@dataclass(frozen=True, order=True)
class Location:
    """A position in a data file: ``path`` relative to the knowledge-base root, 1-based."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Ref:
    """A reference to another entry as written: ``target`` is an id or ``term#sense``."""

    target: str
    location: Location

    @property
    def term_id(self) -> str:
        return self.target.split("#", 1)[0]

    @property
    def sense_id(self) -> str | None:
        parts = self.target.split("#", 1)
        return parts[1] if len(parts) == 2 else None


@dataclass(frozen=True)
class Waiver:
    """Accepts findings of one rule on the entry it sits in, for a stated reason.

    ``members`` pins a waiver of a group finding (a loop) to the exact group it was written
    for, so that a loop which later grows is reported again instead of staying accepted.
    """

    rule: str
    reason: str
    location: Location
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Undercut:
    """A claim's denial that another claim's ``supports`` or ``objects_to`` link holds.

    The undercutting claim grants ``claim`` (the premise) but denies that it bears on
    ``target`` the way its ``relation`` says. ``location`` is the item's position.
    """

    claim: Ref
    relation: str
    target: Ref
    location: Location

    @property
    def key(self) -> str:
        """The undercut relation as written in reports: ``a supports b``."""
        return f"{self.claim.target} {self.relation} {self.target.target}"


@dataclass(frozen=True)
class Sense:
    term_id: str
    id: str
    definition: str
    source: Ref | None
    location: Location
    uses: tuple[Ref, ...] = ()
    locator: str | None = None
    quote: str | None = None
    conflicts_with: tuple[Ref, ...] = ()
    refines: tuple[Ref, ...] = ()
    agrees_with: tuple[Ref, ...] = ()
    definition_location: Location | None = None
    label: str | None = None
    quoted_in: Ref | None = None
    quote_location: Location | None = None
    note: str | None = None
    note_location: Location | None = None

    @property
    def key(self) -> str:
        """The sense's reference form, ``term#sense``."""
        return f"{self.term_id}#{self.id}"

    @property
    def display_label(self) -> str:
        """The human label, or the id when none is given."""
        return self.label or self.id

    def links(self) -> Iterator[tuple[str, Ref]]:
        """Yield ``(link type, ref)`` for every typed link to another sense."""
        for kind in SENSE_LINKS:
            for ref in getattr(self, kind):
                yield kind, ref


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    location: Location
    senses: tuple[Sense, ...] = ()
    aliases: tuple[str, ...] = ()
    alias_locations: tuple[Location, ...] = ()
    label_location: Location | None = None
    status: str = "established"
    primitive: bool = False
    broader: tuple[Ref, ...] = ()
    related: tuple[Ref, ...] = ()
    replaced_by: Ref | None = None
    note: str | None = None
    waivers: tuple[Waiver, ...] = ()

    kind = "term"

    def sense(self, sense_id: str) -> Sense | None:
        return next((s for s in self.senses if s.id == sense_id), None)

    @property
    def names(self) -> tuple[str, ...]:
        """The label followed by the aliases."""
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str
    location: Location
    source: Ref | None = None
    title: str | None = None
    locator: str | None = None
    quote: str | None = None
    about: tuple[Ref, ...] = ()
    supports: tuple[Ref, ...] = ()
    objects_to: tuple[Ref, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    claim_location: Location | None = None
    quoted_in: Ref | None = None
    quote_location: Location | None = None
    undercuts: tuple[Undercut, ...] = ()
    note: str | None = None
    note_location: Location | None = None

    kind = "claim"

    def arguments(self) -> Iterator[tuple[str, Ref]]:
        """Yield ``(relation, ref)`` for each claim or sense this claim supports or objects to."""
        for relation in ARGUMENT_LINKS:
            for ref in getattr(self, relation):
                yield relation, ref

    def makes(self, relation: str, target: str) -> bool:
        """True when this claim ``relation`` (supports or objects_to) ``target``."""
        return any(ref.target == target for ref in getattr(self, relation, ()))

    @property
    def headline(self) -> str:
        """The title, or the claim's first sentence when no title is given."""
        if self.title:
            return self.title
        first = self.claim.split(". ", 1)[0].strip()
        return first if len(first) <= 90 else first[:87].rstrip() + "…"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    type: str
    location: Location
    authors: tuple[str, ...] = ()
    author_note: str | None = None
    date: str | None = None
    url: str | None = None
    part_of: Ref | None = None
    in_reply_to: Ref | None = None
    references: tuple[Ref, ...] = ()
    text: str | None = None
    description: str | None = None
    waivers: tuple[Waiver, ...] = ()
    text_location: Location | None = None

    kind = "source"

    @property
    def byline(self) -> str:
        """Authors joined for display, or the note on why they are unknown."""
        if self.authors:
            return ", ".join(self.authors)
        return self.author_note or "unknown author"


Entry = Term | Claim | Source


@dataclass
class KnowledgeBase:
    """Everything loaded from one root folder, plus the problems met while loading."""

    root: Path
    terms: dict[str, Term] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    load_findings: list[Finding] = field(default_factory=list)
    files_read: int = 0
    unreadable: dict[str, dict[str, str]] = field(default_factory=dict)
    """kind → id → path of files that could not be read into an entry (their error is reported)."""
    texts: Path | None = None
    """The folder of archived texts that sources' ``text`` is relative to, when the caller
    names one (``kb check --texts``); otherwise the rules use ``[tool.kb] texts``."""

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        from kb.graph import build_graph

        return build_graph(self)

    def entries(self) -> Iterator[Entry]:
        yield from self.terms.values()
        yield from self.claims.values()
        yield from self.sources.values()

    def senses(self) -> Iterator[Sense]:
        for term in self.terms.values():
            yield from term.senses

    def sense(self, key: str) -> Sense | None:
        """Look up ``term#sense``; None when either part does not exist."""
        term_id, _, sense_id = key.partition("#")
        term = self.terms.get(term_id)
        return term.sense(sense_id) if term else None

    def is_unreadable(self, kind: str, entry_id: str) -> bool:
        """True when ``entry_id`` names a file of ``kind`` that failed to load (YAML error)."""
        return entry_id in self.unreadable.get(kind, {})

    def text_holder(self, source_id: str) -> Source | None:
        """The source whose archived ``text`` holds ``source_id``'s words: the source itself,
        or the nearest source it is ``part_of`` that has one. None for a work the archived
        documents cite but do not contain."""
        seen: set[str] = set()
        source = self.sources.get(source_id)
        while source is not None and source.id not in seen:
            if source.text:
                return source
            seen.add(source.id)
            source = self.sources.get(source.part_of.target) if source.part_of else None
        return None

    def is_archived(self, source_id: str) -> bool:
        """True when the words of ``source_id`` are in the archived documents."""
        return self.text_holder(source_id) is not None

    def entry(self, kind: str, entry_id: str) -> Entry | None:
        tables: dict[str, Mapping[str, Entry]] = {
            "term": self.terms,
            "claim": self.claims,
            "source": self.sources,
        }
        return tables[kind].get(entry_id)
