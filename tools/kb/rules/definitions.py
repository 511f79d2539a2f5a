"""Rules about how definitions depend on other terms."""

from __future__ import annotations

import itertools

from kb.graph import term_dependencies
from kb.mentions import MentionIndex
from kb.model import KnowledgeBase
from kb.rules.cycles import loop_findings
from kb.rules.registry import finding, rule


@rule("KB020", "circular-definition", "error", reads={"ids", "links", "status"})
def circular_definition(kb: KnowledgeBase):
    """
    What it checks:
    Groups of terms defined through one another: a strongly connected component of the
    graph in which a term points at every term that one of its senses ``uses``. Each group
    is reported once, at its first member, listing the members and one shortest loop as a
    path of senses, e.g. ``optimizer#rlo → search#rlo → optimization#rlo → optimizer``.
    A term marked ``primitive: true`` is taken as undefined, so its own ``uses`` end the
    chain. A waiver for this rule on any member term, listing the group's ``members``,
    accepts the group; when the group later grows or shrinks, the waiver no longer fits and
    the finding returns with a hint to review the waiver's reason.

    Why it matters:
    A reader who follows a circular chain of definitions never reaches solid ground.
    Some circularity is honest (the source material has it); it should then be visible
    and explained, never hidden by dropping a ``uses`` entry.

    Bad:
    ```yaml
    # terms/optimizer.yaml: uses [search]; terms/search.yaml: uses [optimization];
    # terms/optimization.yaml:
    senses:
      - id: rlo
        definition: What an optimizer does.
        uses: [optimizer]
    ```

    Good:
    ```yaml
    # terms/optimization.yaml
    primitive: true
    note: Taken as undefined; the sources explain it only by example.
    ```

    or, when the loop is in the source material itself:
    ```yaml
    waivers:
      - rule: circular-definition
        reason: The paper defines each of the three through the next one.
        members: [optimization, optimizer, search]
    ```
    """
    deps = term_dependencies(kb)

    def describe(group, path):
        steps = [deps.edges[a, b]["via"] for a, b in itertools.pairwise(path)]
        return (
            f"{len(group)} terms are defined through one another ({', '.join(group)}): "
            + " → ".join([*steps, path[-1]])
        )

    yield from loop_findings(
        deps,
        "circular-definition",
        "term",
        describe,
        "mark a genuinely undefined term `primitive: true`, or add on one member a waiver "
        "with a reason that explains the circularity; never drop a `uses` entry to hide it",
    )


@rule("KB021", "unlisted-use", "warning", reads={"ids", "links", "names", "text"})
def unlisted_use(kb: KnowledgeBase):
    """
    What it checks:
    A definition whose text mentions another term (its label or an alias, matched as
    whole words, hyphens and spaces alike, plurals included) that its ``uses`` list leaves
    out.

    Why it matters:
    ``uses`` is what the circular-definition rule follows; a dependency left out of it
    could hide a loop by omission, and the term would be missing from the page's
    "defined through" list.

    Bad:
    ```yaml
    - id: rlo
      definition: A mesa-optimizer is a learned algorithm that is itself an optimizer.
      uses: [optimizer]
    ```

    Good:
    ```yaml
    - id: rlo
      definition: A mesa-optimizer is a learned algorithm that is itself an optimizer.
      uses: [learned-algorithm, optimizer]
    ```
    """
    index = MentionIndex.for_terms(kb.terms)
    for term in kb.terms.values():
        for sense in term.senses:
            listed = {ref.target for ref in sense.uses} | {term.id}
            reported = set()
            for mention in index.find(sense.definition):
                if mention.term_id in listed or mention.term_id in reported:
                    continue
                reported.add(mention.term_id)
                yield finding(
                    "unlisted-use",
                    sense.definition_location or sense.location,
                    f"the definition of '{sense.key}' mentions \"{mention.text}\" (term "
                    f"'{mention.term_id}') but its uses list leaves it out",
                    f"add {mention.term_id} to uses, or rephrase the definition",
                    ("term", term.id),
                )


@rule("KB022", "deprecated-use", "warning", reads={"ids", "links", "status"})
def deprecated_use(kb: KnowledgeBase):
    """
    What it checks:
    A definition of a current term that uses a term whose status is ``deprecated``.

    Why it matters:
    Definitions should be written in the current vocabulary; the deprecated term usually
    has a ``replaced_by`` that says what to use instead.

    Bad:
    ```yaml
    # algorithmic-range is deprecated, replaced_by model-capacity
    uses: [algorithmic-range]
    ```

    Good:
    ```yaml
    uses: [model-capacity]
    ```
    """
    for term in kb.terms.values():
        if term.status == "deprecated":
            continue
        for sense in term.senses:
            for ref in sense.uses:
                used = kb.terms.get(ref.target)
                if used is not None and used.status == "deprecated":
                    hint = (
                        f"use '{used.replaced_by.target}' instead"
                        if used.replaced_by
                        else "use a current term instead"
                    )
                    yield finding(
                        "deprecated-use",
                        ref.location,
                        f"definition '{sense.key}' uses the deprecated term '{used.id}'",
                        hint,
                        ("term", term.id),
                    )
