"""What every page renderer needs, computed once per build: the knowledge base, its graph,
the index of term names for auto-linking, and typed neighbour look-ups on the graph."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import networkx as nx
import yaml

from kb.graph import claim_node, sense_node, source_node, term_node
from kb.mentions import MentionIndex
from kb.model import KnowledgeBase, Sense, Source


@dataclass
class SiteData:
    base: KnowledgeBase
    edit_url: str | None = None  # a template with {path}, e.g. https://host/repo/edit/main/{path}
    mentions: MentionIndex = field(init=False)

    def __post_init__(self):
        self.mentions = MentionIndex.for_terms(self.base.terms)

    @cached_property
    def abbreviations(self) -> dict[str, str]:
        """Abbreviation → expansion, from ``abbreviations.yaml`` at the knowledge-base root
        (none when the file is absent)."""
        return load_abbreviations(self.base.root / ABBREVIATIONS_FILE)

    @cached_property
    def discussions(self) -> dict[str, Discussion]:
        """Root source id → its discussion tree (see :func:`discussions`)."""
        return discussions(self.base)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        return self.base.graph

    @cached_property
    def _neighbours(self) -> tuple[dict, dict]:
        """(node, edge type) → the nodes its edges of that type reach, and come from: every
        page asks for several, so the graph is walked once."""
        out: dict[tuple[str, str], set[str]] = {}
        into: dict[tuple[str, str], set[str]] = {}
        for u, v, key in self.graph.edges(keys=True):
            out.setdefault((u, key), set()).add(v)
            into.setdefault((v, key), set()).add(u)
        return out, into

    def incoming(self, node: str, *edge_types: str) -> list[str]:
        """Nodes with an edge of one of ``edge_types`` into ``node``, sorted, no repeats."""
        return _joined(self._neighbours[1], node, edge_types)

    def outgoing(self, node: str, *edge_types: str) -> list[str]:
        return _joined(self._neighbours[0], node, edge_types)

    def by_label(self, nodes: list[str]) -> list[str]:
        """Graph nodes A–Z by the label a reader sees them by (see :func:`reading_key`)."""
        return sorted(
            nodes, key=lambda n: (reading_key(str(self.graph.nodes[n].get("label", n))), n)
        )

    def edit_link(self, path: str) -> str | None:
        """The configured "edit this entry" URL for a data file, or None when not configured."""
        return self.edit_url.format(path=path) if self.edit_url else None


def _joined(index: dict[tuple[str, str], set[str]], node: str, edge_types) -> list[str]:
    found = [index[(node, t)] for t in edge_types if (node, t) in index]
    return sorted(found[0] if len(found) == 1 else set().union(*found))


ABBREVIATIONS_FILE = "abbreviations.yaml"
_ABBREVIATION = re.compile(r"^[A-Za-z][A-Za-z0-9;&.+-]{0,15}$")


class AbbreviationsError(ValueError):
    """``abbreviations.yaml`` is not a mapping of short abbreviations to one-line expansions."""


def load_abbreviations(path: Path) -> dict[str, str]:
    """Read the abbreviations file (safe YAML): a mapping such as ``ML: machine learning``."""
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise AbbreviationsError(f"{path.name}: not readable YAML: {exc}") from None
    if not isinstance(data, dict):
        raise AbbreviationsError(f"{path.name}: expected a mapping such as 'ML: machine learning'")
    for key, value in data.items():
        if not isinstance(key, str) or not _ABBREVIATION.match(key):
            raise AbbreviationsError(
                f"{path.name}: {key!r} is not an abbreviation (letters, "
                "digits and ;&.+- only, at most 16 characters)"
            )
        if not isinstance(value, str) or not value.strip() or "\n" in value.strip():
            raise AbbreviationsError(f"{path.name}: {key}: the expansion must be one line of text")
    return {key: " ".join(value.split()) for key, value in data.items()}


def node_id(node: str) -> str:
    """The entry id part of a graph node id (``claim:x`` → ``x``, ``sense:t#s`` → ``t#s``)."""
    return node.split(":", 1)[1]


def node_kind(node: str) -> str:
    return node.split(":", 1)[0]


__all__ = [
    "SiteData",
    "claim_node",
    "node_id",
    "node_kind",
    "sense_node",
    "source_node",
    "term_node",
]


# -- names for readers -------------------------------------------------------------------------
# Readers see people, titles and dates, never ids or file names. These helpers turn entries into
# display text (plain text: the page code escapes it where it meets Markdown or HTML).

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ORDINAL = r"(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
# How an author note names a writer whose name the documents do not show, and the short name
# a reader sees for them.
_WRITER_NAMES = (
    (
        re.compile(rf"\b{_ORDINAL}(?: and last)? participant\b", re.I),
        lambda m, source: f"{m.group(1).capitalize()} participant",
    ),
    (
        re.compile(rf"\bauthor of the {_ORDINAL}(?: and last)? comment\b", re.I),
        lambda m, source: f"Writer of the {m.group(1)} comment",
    ),
    (re.compile(r"^The post's author\b"), lambda m, source: f"Author of “{source.title}”"),
    (re.compile(r"^Wikipedia contributors\b"), lambda m, source: "Wikipedia contributors"),
    (re.compile(r"^Two participants\b", re.I), lambda m, source: "Two participants (not named)"),
)


def display_date(date: str | None) -> str:
    """``2019-06-04`` → ``4 Jun 2019``, ``2019-06`` → ``Jun 2019``; anything else as written."""
    parts = (date or "").split("-")
    if not date or not all(p.isdigit() for p in parts) or len(parts) > 3:
        return date or ""
    if len(parts) >= 2 and 1 <= int(parts[1]) <= 12:
        month = MONTHS[int(parts[1]) - 1]
        return f"{int(parts[2])} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"
    return parts[0]


def reading_key(text: str) -> str:
    """The key that sorts labels and headlines A–Z as a reader expects: accents and case
    ignored, and leading quotes or brackets too ("'Agreement' …" sorts under A)."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    return folded.lstrip("'\"‘’“”«»([{*_ ")


UNNAMED = "Author not named"


def participant(source: Source) -> str:
    """Who wrote ``source``, as a short name: its authors, or for an unnamed writer the
    participant its ``author_note`` names ("Second participant"), else "Author not named"."""
    if source.authors:
        return join_names(source.authors)
    for pattern, name in _WRITER_NAMES:
        match = pattern.search(source.author_note or "")
        if match:
            return name(match, source)
    return UNNAMED


def participant_where(base: KnowledgeBase, source: Source) -> str:
    """:func:`participant`, and for a writer known only by their place in a discussion
    ("Writer of the eighth comment", "First participant") which discussion that is: such a
    name alone tells a reader nothing where the discussion is not in view."""
    name = participant(source)
    root_id = discussion_of(base, source)
    if source.authors or root_id is None or name.startswith("Author of"):
        return name
    root = base.sources[root_id]
    if name == UNNAMED:
        name = "A commenter"
    where = "in" if root.type == "other" else "on"
    return f"{name} {where} “{root.title}”"


# A writer named by description rather than by name (see _WRITER_NAMES, participant_where).
_DESCRIBED = re.compile(
    rf"^(?:Author of|Writer of|{_ORDINAL} participant|A commenter|Two participants|{UNNAMED})\b",
    re.I,
)


def in_sentence(name: str) -> str:
    """A writer's name as it reads inside a sentence ("held by …", "By …"): a writer named by
    description takes an article and a small letter ("the second participant in “…”", "a
    commenter on “…”", "the author of “…”", "an author not named"); a person's name is kept."""
    if not _DESCRIBED.match(name):
        return name
    if name == UNNAMED:
        return "an author not named"
    if name.startswith(("A ", "Two ")):
        return name[0].lower() + name[1:]
    return "the " + name[0].lower() + name[1:]


def join_names(names: list[str] | tuple[str, ...]) -> str:
    """``a``, ``a and b``, ``a, b and c``; four or more: ``a et al.``"""
    names = list(names)
    if len(names) > 3:
        return f"{names[0]} et al."
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def is_comment(source: Source) -> bool:
    return source.type == "comment"


def source_title(base: KnowledgeBase, source: Source) -> str:
    """The title a reader sees for a source. A comment is named by who wrote it, when, and
    what it answers ("evhub, 4 Jun 2019, replying to rohinmshah"), since comment titles repeat;
    comments of one discussion that would still share a title get their rank ("(second of
    two)"). A comment whose writer is unnamed keeps its descriptive title."""
    if not is_comment(source) or not source.authors:
        return source.title
    return _comment_titles(base, source.part_of.target if source.part_of else "").get(
        source.id, _comment_title(base, source)
    )


def _comment_title(base: KnowledgeBase, source: Source) -> str:
    parts = [participant(source)]
    if source.date:
        parts.append(display_date(source.date))
    parent = base.sources.get(source.in_reply_to.target) if source.in_reply_to else None
    if parent is not None and is_comment(parent):
        parts.append(f"replying to {participant(parent)}")
    else:
        container = parent or (base.sources.get(source.part_of.target) if source.part_of else None)
        if container is not None:
            parts.append(f"on “{container.title}”")
    return ", ".join(parts)


ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
)
COUNTS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _comment_titles(base: KnowledgeBase, container: str) -> dict[str, str]:
    """Comment id → title for the named comments of one discussion, ranked where titles
    repeat. Computed once per knowledge base and discussion (kept in the knowledge base's
    ``__dict__``, like its cached graph), so naming every comment stays linear."""
    cache = base.__dict__.setdefault("_site_comment_titles", {})
    if container not in cache:
        node = source_node(container)
        members = sorted(
            {
                base.sources[u.split(":", 1)[1]]
                for u, _, key in (
                    base.graph.in_edges(node, keys=True) if node in base.graph else ()
                )
                if key == "part_of" and u.split(":", 1)[1] in base.sources
            },
            key=_reading_order,
        )
        named = [s for s in members if is_comment(s) and s.authors]
        titles = {s.id: _comment_title(base, s) for s in named}
        groups: dict[str, list[str]] = {}
        for source_id, title in titles.items():
            groups.setdefault(title, []).append(source_id)
        cache[container] = {
            source_id: title + _rank(groups[title].index(source_id), len(groups[title]))
            for source_id, title in titles.items()
        }
    return cache[container]


def _rank(index: int, count: int) -> str:
    """`` (second of three)`` for the 2nd of 3 comments sharing a title; nothing when alone."""
    if count < 2:
        return ""
    ordinal = ORDINALS[index] if index < len(ORDINALS) else f"{index + 1}th"
    total = COUNTS[count - 1] if count <= len(COUNTS) else str(count)
    return f" ({ordinal} of {total})"


def sense_label(base: KnowledgeBase, sense: Sense) -> str:
    """The sense's human label; without one, its place among the term's senses and who holds
    it ("sense 2, held by evhub"), never the bare id."""
    if sense.label:
        return sense.label
    term = base.terms.get(sense.term_id)
    number = next((i for i, s in enumerate(term.senses, 1) if s.id == sense.id), 0) if term else 0
    holder = holders(base, sense)
    by = f", held by {holder[0][0]}" if holder else ""
    return f"sense {number}{by}" if number else f"a sense{by}"


def holders(base: KnowledgeBase, sense: Sense) -> list[tuple[str, str]]:
    """``(name, source id)``: who holds the sense, as the writers of the source it is drawn
    from (each author, or the participant its author note names)."""
    source = base.sources.get(sense.source.target) if sense.source else None
    if source is None:
        return []
    if source.authors:
        names = [join_names(source.authors)] if len(source.authors) > 3 else source.authors
        return [(name, source.id) for name in names]
    return [(participant_where(base, source), source.id)]


# -- discussions -------------------------------------------------------------------------------


@dataclass
class Comment:
    """One comment in a discussion tree, with its replies in order."""

    source: Source
    replies: list[Comment] = field(default_factory=list)


@dataclass
class Discussion:
    """A post (or other container) and the comments that are part of it, as a tree: a reply
    sits under the comment it answers; a comment answering nothing in the discussion sits at
    the top."""

    root: Source
    comments: list[Comment]

    def walk(self) -> Iterator[tuple[Comment, int]]:
        """Every comment with its depth (1 = top level), in reading order."""
        stack = [(c, 1) for c in reversed(self.comments)]
        while stack:
            comment, depth = stack.pop()
            yield comment, depth
            stack.extend((r, depth + 1) for r in reversed(comment.replies))


def _reading_order(source: Source) -> tuple[str, str]:
    return (source.date or "", source.id)


def discussions(base: KnowledgeBase) -> dict[str, Discussion]:
    """Root source id → its discussion, for every source that comments are part of."""
    members: dict[str, list[Source]] = {}
    for source in base.sources.values():
        if is_comment(source) and source.part_of and source.part_of.target in base.sources:
            members.setdefault(source.part_of.target, []).append(source)
    return {root: _tree(base.sources[root], comments) for root, comments in members.items()}


def _tree(root: Source, comments: list[Source]) -> Discussion:
    nodes = {c.id: Comment(c) for c in sorted(comments, key=_reading_order)}
    top: list[Comment] = []
    for comment in nodes.values():
        parent = comment.source.in_reply_to.target if comment.source.in_reply_to else None
        if parent in nodes and not _loops(nodes, comment.source.id, parent):
            nodes[parent].replies.append(comment)
        else:
            top.append(comment)
    return Discussion(root, top)


def _loops(nodes: dict[str, Comment], child: str, parent: str | None) -> bool:
    """True when hanging ``child`` under ``parent`` would close a reply loop (the rules report
    such loops; the tree still shows each comment once, the looping one at the top)."""
    seen = set()
    while parent in nodes and parent not in seen:
        if parent == child:
            return True
        seen.add(parent)
        reply_to = nodes[parent].source.in_reply_to
        parent = reply_to.target if reply_to else None
    return parent in seen


def discussion_of(base: KnowledgeBase, source: Source) -> str | None:
    """The id of the discussion a comment belongs to (its ``part_of``), or None."""
    if is_comment(source) and source.part_of and source.part_of.target in base.sources:
        return source.part_of.target
    return None
