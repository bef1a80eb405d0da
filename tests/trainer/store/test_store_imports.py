"""The store and the backups do not import each other (the before-migration backup is injected).

trainer/store/ never imports trainer/safety/backup.py, not even inside a function; the backups
read only the store's connection layer (damage detection) and its schema version, never the
:class:`~trainer.store.store.Store` or a table group. Checked in the source with :mod:`ast` and
by importing each side alone in a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import trainer.store

STORE_DIR = Path(trainer.store.__file__).resolve().parent
BACKUP = "trainer.safety.backup"
# What the backups may read of the store: the connection (is_damage; with its sqlite-utils
# stand-in, lazy) and the schema's version.
BACKUP_MAY_READ = frozenset(
    {"trainer.store", "trainer.store.database", "trainer.store.lazy", "trainer.store.migrations"}
)


def imported_names(source: str) -> set[str]:
    """Every module a source file imports, with ``from a import b`` also as ``a.b``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_module_of_the_store_names_the_backups() -> None:
    modules = sorted(STORE_DIR.glob("*.py"))
    assert {p.stem for p in modules} >= {
        "database",
        "migrations",
        "profiles",
        "sessions",
        "regions",
        "settings",
        "patterns",
        "resonance",
        "store",
    }
    offenders = [p.name for p in modules if BACKUP in imported_names(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_check_sees_an_import_inside_a_function() -> None:
    source = "def f():\n    from trainer.safety import backup\n    return backup\n"
    assert BACKUP in imported_names(source)


def _loaded_after(statement: str) -> set[str]:
    """The ``trainer`` modules a fresh interpreter has loaded after running ``statement``."""
    code = (
        f"import sys\n{statement}\n"
        "print('\\n'.join(m for m in sys.modules if m == 'trainer' or m.startswith('trainer.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=STORE_DIR.parents[1],
    )
    return set(result.stdout.split())


def test_opening_the_store_loads_no_backup_code() -> None:
    names = [f"trainer.store.{p.stem}" for p in sorted(STORE_DIR.glob("*.py"))]
    loaded = _loaded_after("\n".join(f"import {name}" for name in names))
    assert "trainer.store.store" in loaded
    assert BACKUP not in loaded


def test_the_backups_load_nothing_of_the_store_but_its_connection_and_version() -> None:
    loaded = _loaded_after(f"import {BACKUP}")
    assert BACKUP in loaded
    of_the_store = {m for m in loaded if m.startswith("trainer.store")}
    assert of_the_store <= BACKUP_MAY_READ
