"""The habits of a kept Python project, checked like any behaviour: no import cycles between
the package's modules, the package is what it says it is (version, types, license), and the
linter, formatter and type checker configured in pyproject.toml find nothing."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import kb
from kb.cli import cli

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tools" / "kb"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imported_modules(path: Path) -> set[str]:
    """The package's modules ``path`` imports, at the top or inside a function (a lazy import
    still ties the two modules together); imports for type checkers only are left out."""
    tree = ast.parse(path.read_text("utf-8"))
    type_checking = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for statement in node.body
        for inner in ast.walk(statement)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in type_checking:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
    return found & set(MODULES)


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    for name, path in MODULES.items():
        graph.add_edges_from((name, target) for target in imported_modules(path) if target != name)
    return graph


def test_the_package_has_no_import_cycles():
    cycles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert cycles == []


def test_the_cycle_finder_finds_a_lazy_import_cycle(tmp_path):
    """The test above can fail: a lazy import back from export_commands would be a cycle."""
    graph = import_graph()
    assert graph.has_edge("kb.cli", "kb.export_commands")
    graph.add_edge("kb.export_commands", "kb.cli")
    assert any(len(c) > 1 for c in nx.strongly_connected_components(graph))


def test_the_core_commands_import_no_site_stack():
    """kb check, fmt, diff, new, stats, export and query run on the core install: no module
    outside kb.site imports MkDocs, and only the site imports the site's libraries."""
    site_only = ("mkdocs", "material", "pysbd", "pyvis")
    offenders = {
        name: sorted(
            alias
            for node in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            if alias.split(".")[0] in site_only
        )
        for name, path in MODULES.items()
        if not name.startswith("kb.site")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_version_is_single_sourced():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "kb.__version__"}
    result = CliRunner().invoke(cli, ["--version"])
    assert result.output == f"kb, version {kb.__version__}\n"


def test_package_is_typed_and_licensed():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert (PACKAGE / "py.typed").is_file()
    assert "py.typed" in project["tool"]["setuptools"]["package-data"]["kb"]
    assert project["project"]["license"] == "MIT"
    assert project["project"]["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text("utf-8").startswith("MIT License")
    content = (ROOT / "LICENSE-CONTENT").read_text("utf-8")
    assert content.startswith("Attribution 4.0 International")
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "CC-BY-4.0" in readme and "MIT" in readme


def tool(name: str) -> str:
    """The console script ``name`` of the Python running the tests (the [test] extra)."""
    found = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return found


def run_tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool(args[0]), *args[1:]], capture_output=True, text=True, cwd=ROOT, timeout=600
    )


def test_ruff_finds_nothing_in_the_code():
    result = run_tool("ruff", "check", "tools", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_in_ruffs_format():
    result = run_tool("ruff", "format", "--check", "tools", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_finds_nothing_in_the_package():
    result = run_tool("mypy")  # files and options: [tool.mypy] in pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


@pytest.mark.slow
def test_the_wheel_holds_the_package_data_and_declares_only_the_core(tmp_path):
    """Built from a copy of the sources (setuptools' backend, no network): the wheel carries
    the schemas, the site's assets, the queries, py.typed and the license; its metadata has the
    package's version, the SPDX expression, and no site or test library among the core's
    requirements."""
    source = tmp_path / "source"
    shutil.copytree(PACKAGE, source / "tools" / "kb", ignore=shutil.ignore_patterns("__pycache__"))
    for part in ("pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT"):
        shutil.copy(ROOT / part, source / part)
    build = (
        "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", build, str(tmp_path / "dist")],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    wheel = tmp_path / "dist" / result.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = f"alignment_atlas_kb-{kb.__version__}.dist-info"
        metadata = archive.read(f"{dist_info}/METADATA").decode("utf-8")
    for name in (
        "kb/py.typed",
        "kb/schemas/term.schema.json",
        "kb/site/assets/kb.js",
        f"{dist_info}/licenses/LICENSE",
    ):
        assert name in names, name
    assert any(n.startswith("kb/queries/") and n.endswith(".rq") for n in names)
    assert f"Version: {kb.__version__}\n" in metadata
    assert "License-Expression: MIT\n" in metadata
    core = [
        line
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    ]
    assert core and not [line for line in core if re.search(r"mkdocs|pytest|playwright", line)]
