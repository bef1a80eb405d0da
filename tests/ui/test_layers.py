"""Only the shell (ui/shell/) opens the store: no other module of ui/ imports trainer.store.

Screens and widgets take the application layer (trainer.app: the profile in use, the practice
flow) in ``__init__``. The check reads the source with :mod:`ast`, so it sees imports inside
functions and ``if TYPE_CHECKING`` blocks too.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import ui
from tests.trainer.test_core_has_no_qt import _imported_modules

UI_DIR = Path(ui.__file__).resolve().parent
SHELL_DIR = UI_DIR / "shell"
STORE = "trainer.store"


def store_imports(source: str, filename: str, package: str) -> list[str]:
    """``file:line: module`` for every import of trainer.store (or one of its modules)."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        for module in _imported_modules(node, package):
            store_itself = module == "trainer" and isinstance(node, ast.ImportFrom)
            names = [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else []
            if (
                module == STORE
                or module.startswith(STORE + ".")
                or (store_itself and "store" in names)
            ):
                found.append(f"{filename}:{node.lineno}: imports {module}")
    return found


def outside_the_shell() -> list[Path]:
    return sorted(path for path in UI_DIR.rglob("*.py") if SHELL_DIR not in path.resolve().parents)


def test_there_are_modules_outside_the_shell_to_check() -> None:
    names = {path.relative_to(UI_DIR).as_posix() for path in outside_the_shell()}
    assert {"library/home.py", "history/screen.py", "practice/finder_screen.py"} <= names
    assert not any(name.startswith("shell/") for name in names)


def test_no_module_outside_the_shell_imports_the_store() -> None:
    found = []
    for path in outside_the_shell():
        relative = path.relative_to(UI_DIR.parent)
        package = ".".join(relative.with_suffix("").parts[:-1])
        found += store_imports(path.read_text(encoding="utf-8"), str(relative), package)
    assert found == [], "only ui/shell/ may import the store:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "from trainer.store.database import Store",
        "import trainer.store.exchange",
        "from trainer.store import database",
        "from trainer import store",
        "def later():\n    from trainer.store.database import StoredSession",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import trainer.store",
    ],
)
def test_the_check_sees_every_way_of_importing_the_store(source: str) -> None:
    assert store_imports(source, "ui/library/x.py", "ui.library") != []


@pytest.mark.parametrize(
    "source",
    [
        "from trainer.app.profile import ProfileInUse, StoredSession",
        "import trainer.storehouse",
        "from trainer import app",
    ],
)
def test_the_check_lets_the_application_layer_through(source: str) -> None:
    assert store_imports(source, "ui/library/x.py", "ui.library") == []


# -- screens are built when first wanted ----------------------------------------------------------


def test_only_the_first_screen_is_built_before_the_window_shows(window) -> None:
    assert window.stack.count() == 1
    assert window.stack.currentWidget() is window.home
    for name in ("history", "finder", "attention", "practice", "where", "attention_home"):
        assert window.screens.made(name) is None, name
    window.show_history()
    assert window.screens.made("history") is window.history
    assert window.stack.count() == 2


def test_the_window_module_imports_no_screen_it_does_not_show_first() -> None:
    later = (
        "pyqtgraph",
        "ui.history.screen",
        "ui.practice.presentation",
        "ui.practice.attention_screen",
        "ui.practice.finder_screen",
        "ui.practice.session_screen",
        "ui.widgets.body_map",
        "PySide6.QtMultimedia",
    )
    code = (
        "import sys; import ui.shell.main_window; "
        f"print([m for m in {later!r} if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=UI_DIR.parent,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.stdout.strip() == "[]", done.stderr
