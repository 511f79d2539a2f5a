"""Rules about references between entries and attribution to sources."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from kb.model import Claim, KnowledgeBase, Ref, Sense, Term
from kb.rules.registry import finding, rule


def _suggest(target: str, candidates) -> str | None:
    close = difflib.get_close_matches(target, list(candidates), n=3, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def _term_refs(term: Term) -> Iterator[tuple[str, Ref]]:
    for field in ("broader", "related"):
        for ref in getattr(term, field):
            yield field, ref
    if term.replaced_by:
        yield "replaced_by", term.replaced_by
    for sense in term.senses:
        for ref in sense.uses:
            yield f"senses[{sense.id}].uses", ref


def _source_refs(kb: KnowledgeBase) -> Iterator[tuple[tuple[str, str], str, Ref]]:
    for term in kb.terms.values():
        for sense in term.senses:
            for field in ("source", "quoted_in"):
                ref = getattr(sense, field)
                if ref:
                    yield ("term", term.id), f"sense '{sense.key}' {field}", ref
    for claim in kb.claims.values():
        for field in ("source", "quoted_in"):
            ref = getattr(claim, field)
            if ref:
                yield ("claim", claim.id), field, ref
    for source in kb.sources.values():
        for field, ref in _source_links(source):
            yield ("source", source.id), field, ref


def _source_links(source) -> Iterator[tuple[str, Ref]]:
    for field in ("part_of", "in_reply_to"):
        ref = getattr(source, field)
        if ref:
            yield field, ref
    for ref in source.references:
        yield "references", ref


def _dangling_term(kb: KnowledgeBase, ref: Ref, entry, field: str):
    if ref.target in kb.terms or kb.is_unreadable("term", ref.target):
        return None
    return finding(
        "dangling-reference",
        ref.location,
        f"{field} names '{ref.target}', which is not a term",
        _suggest(ref.target, kb.terms) or "add the term in terms/, or fix the id",
        entry,
    )


def _dangling_sense(kb: KnowledgeBase, ref: Ref, entry, field: str):
    term = kb.terms.get(ref.term_id)
    if term is None and kb.is_unreadable("term", ref.term_id):
        return None  # the term's file has a YAML error, reported there
    if term is None:
        hint = _suggest(ref.term_id, kb.terms) or "write an existing term id before the '#'"
        return finding(
            "dangling-reference",
            ref.location,
            f"{field} names '{ref.target}', but there is no term '{ref.term_id}'",
            hint,
            entry,
        )
    if term.sense(ref.sense_id or "") is None:
        senses = ", ".join(f"{term.id}#{s.id}" for s in term.senses) or "none"
        return finding(
            "dangling-reference",
            ref.location,
            f"{field} names '{ref.target}', but term '{term.id}' has no sense '{ref.sense_id}'",
            f"its senses are: {senses}",
            entry,
        )
    return None


def _undercut_refs(claim: Claim) -> Iterator[tuple[str, Ref]]:
    """``(field, ref)`` for both ends of every link ``claim`` undercuts."""
    for i, undercut in enumerate(claim.undercuts):
        yield f"undercuts[{i}].claim", undercut.claim
        yield f"undercuts[{i}].{undercut.relation}", undercut.target


def _dangling_target(kb: KnowledgeBase, claim: Claim, field: str, ref: Ref):
    entry = ("claim", claim.id)
    if ref.sense_id is not None:
        return _dangling_sense(kb, ref, entry, field)
    if ref.target in kb.claims or kb.is_unreadable("claim", ref.target):
        return None
    if ref.target in kb.terms:
        senses = ", ".join(f"{ref.target}#{s.id}" for s in kb.terms[ref.target].senses)
        return finding(
            "dangling-reference",
            ref.location,
            f"{field} names the term '{ref.target}'; claims answer a claim or one sense of a term",
            f"point at the sense you mean: {senses}",
            entry,
        )
    return finding(
        "dangling-reference",
        ref.location,
        f"{field} names '{ref.target}', which is not a claim",
        _suggest(ref.target, kb.claims) or "give the id of a claim in arguments/, or term#sense",
        entry,
    )


@rule("KB004", "dangling-reference", "error", reads={"ids", "links", "attribution"})
def dangling_reference(kb: KnowledgeBase):
    """
    What it checks:
    Every reference names an entry that exists: term ids in ``uses``, ``broader``,
    ``related``, ``replaced_by`` and ``about``; senses (``term#sense``) in
    ``conflicts_with``, ``refines`` and ``agrees_with``; claims or senses in ``supports``
    and ``objects_to``, and at both ends of each link in ``undercuts``; source ids in
    ``source``, ``quoted_in``, ``part_of``, ``in_reply_to`` and ``references``. The
    nearest existing ids are suggested. A reference to an entry whose file could not be read
    is left alone: the file's own error says what to fix.

    Why it matters:
    A dangling reference is a broken link on the site and a missing edge in every export.

    Bad:
    ```yaml
    senses:
      - id: rlo
        uses: [mesa-optimiser]
    ```

    Good:
    ```yaml
    senses:
      - id: rlo
        uses: [mesa-optimizer]
    ```
    """
    for term in kb.terms.values():
        entry = ("term", term.id)
        problems = [_dangling_term(kb, ref, entry, field) for field, ref in _term_refs(term)]
        problems += [
            _dangling_sense(kb, ref, entry, f"senses[{sense.id}].{kind}")
            for sense in term.senses
            for kind, ref in sense.links()
        ]
        yield from filter(None, problems)
    for claim in kb.claims.values():
        problems = [_dangling_term(kb, ref, ("claim", claim.id), "about") for ref in claim.about]
        problems += [_dangling_target(kb, claim, field, ref) for field, ref in claim.arguments()]
        problems += [
            _dangling_target(kb, claim, field, ref) for field, ref in _undercut_refs(claim)
        ]
        yield from filter(None, problems)
    for entry, field, ref in _source_refs(kb):
        if ref.target not in kb.sources and not kb.is_unreadable("source", ref.target):
            yield finding(
                "dangling-reference",
                ref.location,
                f"{field} names '{ref.target}', which is not a source",
                _suggest(ref.target, kb.sources) or "add the source in sources/ (kb new source ID)",
                entry,
            )


@rule("KB010", "self-reference", "error", reads={"ids", "links", "attribution"})
def self_reference(kb: KnowledgeBase):
    """
    What it checks:
    An entry that points at itself: a term broader than, related to or replaced by itself,
    a definition that uses its own term, a sense linked to itself, a claim that supports
    or objects to itself or undercuts a link it is an end of, a sense or claim ``quoted_in``
    its own source, a source that is part of or replies to itself.

    Why it matters:
    Such a link says nothing and usually hides a typo for another id. A definition that
    uses the very term it defines is circular in one step. A claim that undercuts its own
    link should drop the link instead; an answer to a link into a claim is a claim of its
    own, with its own source.

    Bad:
    ```yaml
    id: inner-alignment
    related: [inner-alignment]
    ```

    Good:
    ```yaml
    id: inner-alignment
    related: [outer-alignment]
    ```
    """
    for term in kb.terms.values():
        entry = ("term", term.id)
        for field, ref in _term_refs(term):
            if ref.target == term.id:
                what = (
                    "a definition of the term uses the term itself"
                    if ".uses" in field
                    else f"{field} points at the term itself"
                )
                yield finding(
                    "self-reference",
                    ref.location,
                    f"{what} ('{term.id}')",
                    "define the term through other terms, or remove the entry",
                    entry,
                )
        for sense in term.senses:
            for kind, ref in sense.links():
                if ref.target == sense.key:
                    yield finding(
                        "self-reference",
                        ref.location,
                        f"sense '{sense.key}' {kind} itself",
                        "link to another sense",
                        entry,
                    )
    for claim in kb.claims.values():
        for field, ref in claim.arguments():
            if ref.target == claim.id:
                yield finding(
                    "self-reference",
                    ref.location,
                    f"claim '{claim.id}' {field} itself",
                    "point at the claim this one answers",
                    ("claim", claim.id),
                )
        yield from _self_undercuts(claim)
    yield from _quoted_in_own_source(kb)
    for source in kb.sources.values():
        for field, ref in _source_links(source):
            if ref.target == source.id:
                yield finding(
                    "self-reference",
                    ref.location,
                    f"source '{source.id}' names itself in {field}",
                    "name another source",
                    ("source", source.id),
                )


def _quoted_in_own_source(kb: KnowledgeBase):
    items: list[tuple[str, tuple[str, str], Sense | Claim]]
    items = [(f"sense '{s.key}'", ("term", s.term_id), s) for s in kb.senses()]
    items += [(f"claim '{c.id}'", ("claim", c.id), c) for c in kb.claims.values()]
    for what, entry, item in items:
        if item.quoted_in and item.source and item.quoted_in.target == item.source.target:
            yield finding(
                "self-reference",
                item.quoted_in.location,
                f"{what} is quoted_in its own source '{item.source.target}'",
                "remove `quoted_in`: it names the other document that quotes the source's words",
                entry,
            )


def _self_undercuts(claim: Claim):
    for undercut in claim.undercuts:
        if claim.id == undercut.claim.target:
            message = f"claim '{claim.id}' undercuts its own link ({undercut.key})"
            hint = f"remove `{undercut.target.target}` from its `{undercut.relation}` instead"
        elif claim.id == undercut.target.target:
            message = f"claim '{claim.id}' undercuts a link into itself ({undercut.key})"
            hint = "write the answer as a claim of its own (with its own source) that undercuts the link"
        else:
            continue
        yield finding("self-reference", undercut.location, message, hint, ("claim", claim.id))


@rule("KB050", "missing-source", "error", reads={"ids", "attribution"})
def missing_source(kb: KnowledgeBase):
    """
    What it checks:
    Every sense of a term and every claim names the ``source`` it is attributed to.

    Why it matters:
    The point of the knowledge base is to record who defined what and who argued what. An
    unattributed definition or claim cannot be checked against its origin.

    Bad:
    ```yaml
    id: mesa-optimizers-are-rare
    claim: Mesa-optimizers will be rare in practice.
    ```

    Good:
    ```yaml
    id: mesa-optimizers-are-rare
    claim: Mesa-optimizers will be rare in practice.
    source: some-comment
    ```
    """
    for term in kb.terms.values():
        for sense in term.senses:
            if sense.source is None:
                yield finding(
                    "missing-source",
                    sense.location,
                    f"sense '{sense.key}' names no source",
                    "add `source: <source id>` to the sense (kb new source ID makes one)",
                    ("term", term.id),
                )
    for claim in kb.claims.values():
        if claim.source is None:
            yield finding(
                "missing-source",
                claim.location,
                f"claim '{claim.id}' names no source",
                "add `source: <source id>`",
                ("claim", claim.id),
            )


@rule("KB051", "uncited-source", "info", reads={"ids", "links", "attribution"})
def uncited_source(kb: KnowledgeBase):
    """
    What it checks:
    A source that no sense, claim or other source (through ``part_of``, ``in_reply_to`` or
    ``references``) refers to.

    Why it matters:
    An uncited source is a reading-list item, not yet part of the map. That is fine while
    content is being added, so this is only information.

    Bad:
    ```yaml
    # sources/some-paper.yaml, referred to from nowhere
    id: some-paper
    ```

    Good:
    ```yaml
    # terms/x.yaml
    senses:
      - id: paper
        source: some-paper
    ```
    """
    cited = {ref.target for _, _, ref in _source_refs(kb)}
    for source in kb.sources.values():
        if source.id not in cited:
            yield finding(
                "uncited-source",
                source.location,
                f"source '{source.id}' is not cited by any entry",
                "cite it from a sense or claim, or name it in the `references` of the source that points to it",
                ("source", source.id),
            )


@rule("KB052", "anonymous-source", "warning", reads={"ids", "attribution"})
def anonymous_source(kb: KnowledgeBase):
    """
    What it checks:
    A source with no ``authors`` and no ``author_note`` saying why the author is unknown.

    Why it matters:
    Attribution must never be guessed, but a reader needs to know whether the author is
    unknown or was simply not recorded, and which participant of a thread is meant.

    Bad:
    ```yaml
    id: reply-2
    kind: comment
    ```

    Good:
    ```yaml
    id: reply-2
    kind: comment
    author_note: unknown; the second participant of the thread
    ```
    """
    for source in kb.sources.values():
        if not source.authors and not source.author_note:
            yield finding(
                "anonymous-source",
                source.location,
                f"source '{source.id}' has no authors and no author_note",
                "list the authors, or say in author_note that the author is unknown (and which participant this is)",
                ("source", source.id),
            )


@rule("KB053", "quote-without-locator", "warning", reads={"ids", "attribution"})
def quote_without_locator(kb: KnowledgeBase):
    """
    What it checks:
    A sense or claim that gives a ``quote`` but no ``locator``.

    Why it matters:
    A quote is only checkable when the reader can find it: a section, page, paragraph or
    comment anchor.

    Bad:
    ```yaml
    quote: "a system that is internally searching through a search space"
    ```

    Good:
    ```yaml
    quote: "a system that is internally searching through a search space"
    locator: "section 1.1"
    ```
    """
    for term in kb.terms.values():
        for sense in term.senses:
            if sense.quote and not sense.locator:
                yield finding(
                    "quote-without-locator",
                    sense.location,
                    f"sense '{sense.key}' quotes its source without a locator",
                    "add `locator:` (section, page, paragraph or comment)",
                    ("term", term.id),
                )
    for claim in kb.claims.values():
        if claim.quote and not claim.locator:
            yield finding(
                "quote-without-locator",
                claim.location,
                f"claim '{claim.id}' quotes its source without a locator",
                "add `locator:`",
                ("claim", claim.id),
            )
