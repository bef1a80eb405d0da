"""The core in trainer/ must never import Qt, pyqtgraph or the ui package.

The check reads the source with :mod:`ast` (so it sees imports inside functions and
``if TYPE_CHECKING`` blocks too) and a second test imports the whole core in a fresh interpreter
to prove that nothing pulls Qt in indirectly.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import trainer

FORBIDDEN = frozenset({"PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6", "PySide2", "ui"})
CORE_DIR = Path(trainer.__file__).resolve().parent
CORE_PACKAGE = "trainer"


def _imported_modules(node: ast.AST, package: str) -> list[str]:
    """Absolute names of the modules one AST node imports (empty if it imports nothing)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level == 0:
            return [node.module or ""]
        # A relative import: resolve it against the package the file lives in.
        parts = package.split(".")
        base = parts[: max(0, len(parts) - (node.level - 1))]
        if node.module:
            return [".".join([*base, node.module])]
        return [".".join([*base, alias.name]) for alias in node.names]
    if (
        isinstance(node, ast.Call)
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in {"import_module", "__import__"}:
            return [node.args[0].value]
    return []


def forbidden_imports(source: str, filename: str, package: str = CORE_PACKAGE) -> list[str]:
    """``file:line: module`` for every import of Qt, pyqtgraph or ui in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        for module in _imported_modules(node, package):
            top = module.split(".")[0]
            if top in FORBIDDEN:
                found.append(f"{filename}:{node.lineno}: imports {module}")
    return sorted(found, key=lambda item: (item.split(":")[0], int(item.split(":")[1])))


def core_files() -> list[Path]:
    return sorted(CORE_DIR.rglob("*.py"))


def test_the_core_is_found() -> None:
    names = {path.relative_to(CORE_DIR).as_posix() for path in core_files()}
    assert {"__init__.py", "content/breathing.py", "session/machine.py", "cli.py"} <= names
    assert any(name.startswith("store/") for name in names)


def test_core_imports_no_qt() -> None:
    problems: list[str] = []
    for path in core_files():
        relative = path.relative_to(CORE_DIR.parent)
        package = ".".join(relative.parent.parts)
        problems += forbidden_imports(path.read_text(encoding="utf-8"), str(relative), package)
    assert not problems, "The Qt-free core imports Qt or ui:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "line", "module"),
    [
        ("import PySide6\n", 1, "PySide6"),
        ("import os\nfrom PySide6.QtCore import QTimer\n", 2, "PySide6.QtCore"),
        ("import shiboken6 as s\n", 1, "shiboken6"),
        ("import numpy, pyqtgraph as pg\n", 1, "pyqtgraph"),
        ("from PyQt5 import QtWidgets\n", 1, "PyQt5"),
        ("from PyQt6.QtGui import QColor\n", 1, "PyQt6.QtGui"),
        ("import ui.shell.app\n", 1, "ui.shell.app"),
        ("from ui import pacer\n", 1, "ui"),
        ("from ..ui import pacer\n", 1, "ui"),
        ("from .. import ui\n", 1, "ui"),
        ("def f():\n    import PySide6.QtWidgets\n", 2, "PySide6.QtWidgets"),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from PySide6.QtCore import QObject\n",
            3,
            "PySide6.QtCore",
        ),
        ("import importlib\nqt = importlib.import_module('PySide6.QtCore')\n", 2, "PySide6.QtCore"),
        ("qt = __import__('pyqtgraph')\n", 1, "pyqtgraph"),
    ],
)
def test_the_check_flags_qt_imports(source: str, line: int, module: str) -> None:
    assert forbidden_imports(source, "trainer/bad.py") == [
        f"trainer/bad.py:{line}: imports {module}"
    ]


@pytest.mark.parametrize(
    "source",
    [
        "import numpy\nimport sqlite_utils\n",
        "from trainer.content.breathing import BreathingPattern\n",
        "from . import breathing\nfrom .errors import StoreError\n",
        "import uikit\nimport quick_ui\n",  # only the ui package itself is off limits
        "text = 'import PySide6'\n",  # a string that mentions Qt is not an import
        "# import PySide6\n",
    ],
)
def test_the_check_allows_the_core_imports(source: str) -> None:
    assert forbidden_imports(source, "trainer/ok.py") == []


def test_importing_the_core_loads_no_qt() -> None:
    modules = sorted(
        ".".join(path.relative_to(CORE_DIR.parent).with_suffix("").parts).removesuffix(".__init__")
        for path in CORE_DIR.rglob("*.py")
    )
    forbidden = sorted(FORBIDDEN)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {forbidden!r})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=CORE_DIR.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"importing the core loaded: {result.stdout.strip()}"
