"""Pointing at a line of a content file (catalog, scripts, body map) when its reader finds a problem."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

ID_RE: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # an exercise or script id: a-b-c


def key_line(lines: Sequence[str], start: int, end: int, key: str) -> int | None:
    """The index of the first line in ``lines[start:end]`` that sets ``key =``, or ``None``."""
    key_re = re.compile(rf"^\s*{re.escape(key)}\s*=")
    return next((n for n in range(start, end) if key_re.match(lines[n])), None)


def located(path: Path, line: int | None, problem: str) -> str:
    """``problem`` prefixed with the file's name and, when known, the line (counted from 1)."""
    where = f"{path.name}, line {line}" if line else path.name
    return f"{where}: {problem}"


def one_line_text(value: object, key: str, fail: Callable[[str], Exception]) -> str:
    """``value`` stripped, if it is a non-empty text on one line; else raise ``fail(problem)``."""
    if not isinstance(value, str) or not value.strip():
        raise fail(f"'{key}' must be a non-empty text.")
    if "\n" in value.strip():
        raise fail(f"'{key}' must fit on one line.")
    return value.strip()
