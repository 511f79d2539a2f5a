"""The site as a folder any MkDocs-compatible builder can build (``kb site``).

Zensical reads ``mkdocs.yml`` but runs no MkDocs plugin, so the ``kb`` plugin cannot generate
the pages there. :func:`write_site_folder` writes what the plugin hands MkDocs in memory (the
same :func:`kb.site.generator.generate` output) into ``OUT/docs``, beside the hand-written
pages of docs/ (their live figures filled in), and a builder config ``OUT/mkdocs.yml``: the
project's mkdocs.yml without the ``kb`` plugin, with the generated scripts and styles and the
pages kept out of the navigation. Then ``zensical build -f OUT/mkdocs.yml`` (or
``mkdocs build -f OUT/mkdocs.yml``) builds the site into ``OUT/site``.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path

from ruamel.yaml import YAML, YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from kb.site.aside import for_other_builders
from kb.site.generator import GeneratedSite, SiteError, SiteSettings, generate

MARKER = ".kb-site"  # marks a folder written by kb site, which kb site may replace
CONFIG_HEADER = (
    "Written by `kb site` from {source}: the kb plugin's pages are in docs/ already.\n"
    "Build with `zensical build -f {config}` or `mkdocs build -f {config}`.\n"
)


@dataclass(frozen=True)
class SiteFolder:
    out: Path
    config: Path  # the builder config
    site: GeneratedSite
    pages: int  # Markdown pages in docs/, hand-written and generated


def write_site_folder(config_file: Path, out: Path, root: Path | None = None) -> SiteFolder:
    """Write the site of ``config_file`` (an mkdocs.yml using the kb plugin) to ``out``;
    ``root`` overrides the plugin's knowledge-base folder. ``out`` is replaced whole when it
    was written by this function before; any other non-empty folder is refused."""
    config_file = config_file.resolve()
    yaml = YAML()
    yaml.preserve_quotes = True
    try:
        config = yaml.load(config_file.read_text("utf-8"))
    except OSError as exc:
        raise SiteError(f"cannot read {config_file}: {exc.strerror}") from None
    except YAMLError as exc:
        raise SiteError(f"{config_file} is not valid YAML: {exc}") from None
    if not isinstance(config, dict):
        raise SiteError(f"{config_file} is not an MkDocs config (a mapping of settings)")
    settings = _settings(config, config_file.parent, root)
    handwritten = config_file.parent / config.get("docs_dir", "docs")
    if out.resolve().is_relative_to(handwritten.resolve()):
        raise SiteError(
            f"{out} is inside the docs folder {handwritten}; choose a folder outside it"
        )
    _check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kb-site-", dir=out.parent))
    try:
        site = generate(settings, staging / "exports")
        docs = staging / "docs"
        pages = _write_docs(site, handwritten, docs)
        shutil.rmtree(staging / "exports")
        _write_config(yaml, config, site, config_file, staging / "mkdocs.yml", out)
        (staging / MARKER).write_text("Written by kb site; replaced whole by the next run.\n")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SiteFolder(out, out / "mkdocs.yml", site, pages)


def _settings(config, base: Path, root: Path | None) -> SiteSettings:
    options = _plugin_options(config)
    if options is None:
        raise SiteError("the builder config does not use the kb plugin (plugins: - kb)")
    known = {f.name for f in fields(SiteSettings)} - {"base"}
    unknown = sorted(set(options) - known)
    if unknown:
        raise SiteError(f"unknown kb plugin option(s): {', '.join(unknown)}")
    settings = {name: str(value) for name, value in options.items()}
    if root is not None:
        settings["root"] = str(root.resolve())
    return SiteSettings(**settings, base=base)


def _plugin_options(config) -> dict | None:
    for item in config.get("plugins") or []:
        if item == "kb":
            return {}
        if isinstance(item, dict) and "kb" in item:
            return dict(item["kb"] or {})
    return None


def _check_replaceable(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise SiteError(
            f"{out} exists and was not written by kb site; choose a new or empty folder"
        )


def _write_docs(site: GeneratedSite, handwritten: Path, docs: Path) -> int:
    """The hand-written pages (live figures filled in), then everything generated."""
    pages = 0
    for source in sorted(handwritten.rglob("*")) if handwritten.is_dir() else []:
        if not source.is_file():
            continue
        rel = source.relative_to(handwritten).as_posix()
        if rel in site.pages or rel in site.texts or rel in site.files:
            raise SiteError(f"docs/{rel} would hide a generated page; remove or rename it")
        if source.suffix == ".md":
            _write(docs / rel, site.handwritten(source.read_text("utf-8"), rel))
            pages += 1
        else:
            _copy(source, docs / rel)
    for rel, markdown in site.pages.items():
        _write(docs / rel, for_other_builders(markdown, rel))
    for rel, text in site.texts.items():
        _write(docs / rel, text)
    for rel, source in site.files.items():
        _copy(source, docs / rel)
    return pages + len(site.pages)


def _write_config(
    yaml: YAML, config, site: GeneratedSite, source: Path, target: Path, out: Path
) -> None:
    config["plugins"] = [
        item
        for item in config.get("plugins") or []
        if item != "kb" and not (isinstance(item, dict) and "kb" in item)
    ]
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["extra_css"] = list(config.get("extra_css") or []) + site.extra_css
    config["extra_javascript"] = list(config.get("extra_javascript") or []) + site.extra_javascript
    unlisted = "".join(f"/{path}\n" for path in sorted(site.unlisted))
    config["not_in_nav"] = LiteralScalarString(str(config.get("not_in_nav") or "") + unlisted)
    config.yaml_set_start_comment(CONFIG_HEADER.format(source=source, config=out / "mkdocs.yml"))
    with target.open("w", encoding="utf-8") as stream:
        yaml.dump(config, stream)


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
