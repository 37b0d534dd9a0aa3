"""The layout of the code holds: who may import whom, how large a module grows, how full a
folder gets, and that no name repeats its folder (docs/architecture.md draws the same rules).

The import rules are read from the source (every ``import`` and ``from ... import``,
wherever it stands), so a rule broken inside a function or a branch is caught too. Imports
under ``if TYPE_CHECKING:`` are types only and do not count as using a package at run time.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import paths

ROOT = paths.ROOT
QT = ("PySide6", "pyqtgraph", "shiboken6")
MAX_LINES = 400
MAX_MODULES = 15  # per folder of code (__init__.py not counted)

# package -> the project's packages it may import at run time (besides itself). A module at
# the top of core/ or gui/ is its own package, named after the folder: "core", "gui".
ALLOWED = {
    "core.engine": set(),
    "core.data": {"core.engine"},
    "core.trace": {"core.engine"},
    "core.checks": {"core.engine"},
    "core.session": {"core.engine", "core.data"},
    "core.explore": {"core.engine", "core.data", "core.session"},
    "core.quiz": {"core.engine", "core.data", "core.trace", "core.session"},
    "core": {"core.engine", "core.data", "core.trace", "core.session", "core.explore"}
    | {"core.quiz", "core.checks"},
    "gui.presentation": {"core", "core.engine", "core.data", "core.trace", "core.session"}
    | {"core.explore", "core.quiz", "core.checks"},
}
CORE = ALLOWED["gui.presentation"]
ALLOWED["gui.jobs"] = CORE  # work off the GUI thread: below every other GUI package
BELOW = CORE | {"gui.presentation", "gui.jobs"}
ALLOWED |= {
    "gui.diagram": BELOW,
    "gui.controls": BELOW,
    "gui.output": BELOW,
    "gui.plots": BELOW,
    "gui.lecture": BELOW | {"gui.diagram"},
    "gui.exports": BELOW | {"gui.diagram", "gui.lecture"},
    "gui.explore": BELOW | {"gui.diagram", "gui.output", "gui.plots", "gui.data"},
    "gui.data": BELOW,
    "gui.graph": BELOW | {"gui.diagram", "gui.lecture"},
    "gui.quiz": BELOW | {"gui.diagram", "gui.lecture"},
    "gui.checks": BELOW | {"gui.diagram", "gui.lecture"},
    "gui.lessons": BELOW,
}
ALLOWED["gui.understand"] = BELOW | {"gui.graph", "gui.quiz", "gui.checks", "gui.lessons"}
ALL_GUI = BELOW | {p for p in ALLOWED if p.startswith("gui.")}
ALLOWED["gui"] = ALL_GUI


@dataclass(frozen=True)
class Import:
    module: str  # the dotted name imported (for "from a import b": a.b if that is a module)
    line: int
    types_only: bool  # under `if TYPE_CHECKING:`


def code_files() -> list[Path]:
    return sorted(p for top in ("core", "gui") for p in (ROOT / top).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(module: str) -> str | None:
    """The project package ``module`` belongs to ("core.engine", "gui", ...), or None."""
    parts = module.split(".")
    if parts[0] not in ("core", "gui"):
        return None
    if len(parts) > 1 and (ROOT / parts[0] / parts[1]).is_dir():
        return ".".join(parts[:2])
    return parts[0]


def imports_of(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            base = node.module
            folder = ROOT.joinpath(*base.split("."))
            names = [f"{base}.{a.name}" for a in node.names] if folder.is_dir() else [base]
        found += [Import(n, node.lineno, id(node) in typing_only) for n in names]
    return found


def test_the_rules_cover_every_package() -> None:
    packages = {package_of(module_name(p)) for p in code_files()}
    assert packages == set(ALLOWED)


def test_each_package_imports_only_what_its_rule_allows() -> None:
    broken = []
    for path in code_files():
        here = package_of(module_name(path))
        for imp in imports_of(path):
            there = package_of(imp.module)
            if there is None or there == here or imp.types_only:
                continue
            if there not in ALLOWED[here]:
                broken.append(f"{path.relative_to(ROOT)}:{imp.line} imports {imp.module}")
    assert not broken, "\n".join(broken)


def test_core_never_imports_qt_or_the_gui() -> None:
    broken = [
        f"{path.relative_to(ROOT)}:{imp.line} imports {imp.module}"
        for path in code_files()
        if module_name(path).startswith("core")
        for imp in imports_of(path)
        if imp.module.split(".")[0] in (*QT, "gui")
    ]
    assert not broken, "\n".join(broken)


def test_the_main_window_is_imported_by_the_app_alone() -> None:
    """The helpers the window composes receive the parts they use, never the window."""
    users = {
        module_name(path)
        for path in code_files()
        for imp in imports_of(path)
        if imp.module == "gui.main_window"
    }
    assert users <= {"gui.app"}


def test_subpackages_use_the_top_of_gui_as_types_only() -> None:
    """gui/'s top (window, menus, model, worker, ...) composes the subpackages, not the
    reverse: a subpackage may name them in type hints only."""
    broken = [
        f"{path.relative_to(ROOT)}:{imp.line} imports {imp.module}"
        for path in code_files()
        if package_of(module_name(path)) not in ("gui", "core")
        for imp in imports_of(path)
        if package_of(imp.module) == "gui" and not imp.types_only
    ]
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize(
    "package",
    ["core.engine", "core.data", "core.trace", "core.session", "core.explore", "core.checks"],
)
def test_importing_a_package_loads_nothing_it_may_not(package: str) -> None:
    """The same rules as Python sees them: import every module of ``package`` in a fresh
    interpreter, then look at what else of the project, and of Qt, came along."""
    modules = sorted(
        module_name(p) for p in code_files() if module_name(p).startswith(package + ".")
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded = result.stdout.split()
    assert not [m for m in loaded if m.split(".")[0] in QT]
    packages = {package_of(m) for m in loaded if m != "core"} - {None, package}
    assert packages <= ALLOWED[package]


def test_no_module_passes_400_lines() -> None:
    files = [*code_files(), ROOT / "main.py", *(ROOT / "benchmarks").glob("*.py")]
    files += (ROOT / "tests").rglob("*.py")
    long = {
        str(p.relative_to(ROOT)): n
        for p in files
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long


def test_no_folder_of_code_holds_more_than_15_modules() -> None:
    folders = {p.parent for p in code_files()}
    crowded = {
        str(f.relative_to(ROOT)): n
        for f in folders
        if (n := sum(1 for p in f.glob("*.py") if p.name != "__init__.py")) > MAX_MODULES
    }
    assert not crowded


def test_no_name_repeats_its_folder() -> None:
    repeats = [
        str(p.relative_to(ROOT))
        for p in code_files()
        if p.parent.name not in ("core", "gui")
        and (
            p.stem == p.parent.name
            or p.stem.startswith(p.parent.name + "_")
            or p.stem.endswith("_" + p.parent.name)
        )
    ]
    assert not repeats


def test_every_package_says_what_lives_in_it_and_what_it_may_import() -> None:
    for init in sorted((ROOT / "core").rglob("__init__.py")) + sorted(
        (ROOT / "gui").rglob("__init__.py")
    ):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "import" in doc, init.relative_to(ROOT)
