"""Tests that the app tells the person, once and after its window has painted, when a damaged
-wal held saved changes SQLite could not read (ui/shell/app.py; the finding is
trainer/safety/wal_check.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.trainer.safety.test_wal_check import copies, crashed, flip, wal_of
from tests.ui.test_startup import startup  # noqa: F401 - a fixture
from ui.common.dialogs import Dialogs
from ui.shell.app import LOST_TAIL_TITLE


def test_a_damaged_log_is_said_after_the_paint_before_anything_else_is_asked(
    qtbot: Any,
    startup: Any,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    folder = crashed(tmp_path)
    flip(wal_of(folder), wal_of(folder).stat().st_size - 100)
    told: list[tuple[object, str, str, bool, int]] = []
    run = startup(folder)
    monkeypatch.setattr(
        Dialogs,
        "info",
        lambda parent, title, text: told.append(
            (parent, title, text, run.started, len(startup.offered))
        ),
    )
    assert run.open() is None
    assert told == []  # not before the window shows
    qtbot.waitUntil(lambda: bool(startup.offered), timeout=10_000)
    [(parent, title, text, started, offered_before)] = told
    assert parent is run.window
    assert started
    assert offered_before == 0  # before the question about an unfinished session
    assert title == LOST_TAIL_TITLE
    [copy] = copies(folder)
    assert str(copy) in text
    assert "Everything saved before them is kept" in text


def test_an_intact_log_says_nothing(
    qtbot: Any,
    startup: Any,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    folder = crashed(tmp_path)
    told: list[str] = []
    monkeypatch.setattr(Dialogs, "info", lambda parent, title, text: told.append(title))
    run = startup(folder)
    assert run.open() is None
    qtbot.waitUntil(lambda: bool(startup.offered), timeout=10_000)
    assert told == []
    assert copies(folder) == []
