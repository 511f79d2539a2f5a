"""Rules whose findings the loader makes while reading files (it must, to know positions).

None of them can be waived: an entry the loader could not read correctly must be fixed,
never accepted (a waiver of one is itself reported, by ``waiver-not-allowed``).
"""

from __future__ import annotations

from kb.model import KnowledgeBase
from kb.rules.registry import rule


def _from_loader(kb: KnowledgeBase, name: str):
    return (f for f in kb.load_findings if f.name == name)


@rule("KB001", "schema", "error", waivable=False, reads={"load"})
def schema(kb: KnowledgeBase):
    """
    What it checks:
    Each entry against the JSON Schema of its kind (shipped in ``kb/schemas``): required
    fields, field types, allowed values, the form of ids and references, and unknown fields,
    for which the nearest known field is suggested.

    Why it matters:
    A misspelled field is otherwise silently ignored: ``defintion:`` would leave a sense
    without a definition and nobody would notice.

    Bad:
    ```yaml
    id: search
    label: search
    senses:
      - id: rlo
        defintion: Looking through a space of options for one that scores well.
    ```

    Good:
    ```yaml
    id: search
    label: search
    senses:
      - id: rlo
        definition: Looking through a space of options for one that scores well.
        source: risks-from-learned-optimization
    ```
    """
    return _from_loader(kb, "schema")


@rule("KB002", "duplicate-key", "error", waivable=False, reads={"load"})
def duplicate_key(kb: KnowledgeBase):
    """
    What it checks:
    A key given twice in one mapping of a YAML file.

    Why it matters:
    Plain YAML loaders keep the last value without a word, so the first one is lost. We
    keep the first and report the second, so that nothing a contributor wrote disappears.

    Bad:
    ```yaml
    id: deployment
    label: deployment
    label: deployment distribution
    ```

    Good:
    ```yaml
    id: deployment
    label: deployment
    aliases: [deployment distribution]
    ```
    """
    return _from_loader(kb, "duplicate-key")


@rule("KB003", "duplicate-id", "error", waivable=False, reads={"ids"})
def duplicate_id(kb: KnowledgeBase):
    """
    What it checks:
    Two entries of one kind with the same id (for example in two sub-folders), or two
    senses of one term with the same sense id.

    Why it matters:
    References name entries by id; with two candidates a reference would silently pick one.

    Bad:
    ```yaml
    senses:
      - id: rlo
        definition: ...
      - id: rlo
        definition: ...
    ```

    Good:
    ```yaml
    senses:
      - id: rlo
        definition: ...
      - id: narrow-post
        definition: ...
    ```
    """
    return _from_loader(kb, "duplicate-id")


@rule("KB005", "file-name", "error", waivable=False, reads={"load"})
def file_name(kb: KnowledgeBase):
    """
    What it checks:
    That an entry's ``id`` equals its file name without ``.yaml``.

    Why it matters:
    Pages, URLs and edit links are derived from the file name; an id that differs makes a
    reference resolve to a file nobody can find.

    Bad:
    ```yaml
    # terms/mesa-optimiser.yaml
    id: mesa-optimizer
    ```

    Good:
    ```yaml
    # terms/mesa-optimizer.yaml
    id: mesa-optimizer
    ```
    """
    return _from_loader(kb, "file-name")


@rule("KB006", "yaml-syntax", "error", waivable=False, reads={"load"})
def yaml_syntax(kb: KnowledgeBase):
    """
    What it checks:
    That each file is readable UTF-8 holding exactly one YAML document, without tab
    indentation, anchors, aliases or custom tags, and is not empty.

    Why it matters:
    A file that cannot be read contributes nothing; saying exactly where it breaks is the
    fastest way to a fix.

    Bad:
    ```yaml
    id: search
    label: search: the process
    ```

    Good:
    ```yaml
    id: search
    label: "search: the process"
    ```
    """
    return _from_loader(kb, "yaml-syntax")


@rule("KB007", "stray-file", "error", waivable=False, reads={"files"})
def stray_file(kb: KnowledgeBase):
    """
    What it checks:
    Anything in terms/, arguments/ or sources/ that the loader does not read as an entry:
    a symbolic link (to a file or a folder, dangling or not), a file whose name does not end
    in ``.yaml`` or ``.yml`` (``mesa-optimizer.YAML``, ``mesa-optimizer.yaml.txt``), or
    something that is not a regular file. Hidden files such as ``.gitkeep`` are passed over.
    Also YAML files in a folder named almost like a data folder (``term/``, ``Sources/``) and
    files at the root of the knowledge base that begin like an entry (``id: …``).

    Why it matters:
    Such a file would otherwise be skipped without a word: the contributor believes the
    entry is in the knowledge base, and it is not. Links are never followed, so that no
    command reads or rewrites a file outside the knowledge base.

    Bad:
    ```yaml
    # terms/search.yml.bak, or terms/search.yaml -> /home/me/notes/search.yaml
    id: search
    ```

    Good:
    ```yaml
    # terms/search.yaml, a regular file
    id: search
    ```
    """
    return _from_loader(kb, "stray-file")
