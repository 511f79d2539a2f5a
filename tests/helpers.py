"""Small helpers shared by tests: write a knowledge base into a temporary folder."""

from __future__ import annotations

from pathlib import Path

SOURCE = "id: paper\ntitle: A paper\nkind: paper\nauthors: [Ada Author]\n"


def write_kb(root: Path, files: dict[str, str | bytes], with_source: bool = True) -> Path:
    """Write ``files`` (relative path → text or bytes) under ``root``; add a cited source."""
    if with_source:
        files = {"sources/paper.yaml": SOURCE, **files}
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def term_yaml(
    term_id: str, uses: list[str] = (), definition: str | None = None, extra: str = ""
) -> str:
    uses_text = "[" + ", ".join(uses) + "]"
    return (
        f"id: {term_id}\nlabel: {term_id}\n{extra}senses:\n  - id: main\n"
        f"    definition: {definition or 'The ' + term_id + ' notion.'}\n    uses: {uses_text}\n    source: paper\n"
    )
