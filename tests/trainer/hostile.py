"""Shared pieces of the hostile-input property tests (tests/trainer/test_hostile_*.py).

``outcome`` runs a parser on one input and sorts what happened: a value, or the module's own
:class:`SafeSignalError` whose message is one non-empty line. Anything else (a ``TypeError``, a
``KeyError``, an ``OverflowError``, a ``RecursionError``...) escapes and fails the test.
"""

from __future__ import annotations

import hashlib
import math
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import strategies as st

from trainer.errors import SafeSignalError

T = TypeVar("T")

# Numbers a file or a person can give: the usual, the edges, and the absurd.
BOUNDARY_NUMBERS = st.sampled_from(
    [
        0,
        -0.0,
        1,
        -1,
        0.5,
        1e-300,
        -1e-300,
        1e308,
        -1e308,
        math.inf,
        -math.inf,
        math.nan,
        2**31,
        2**63,
        -(2**63),
        10**400,
        -(10**400),
    ]
)
NUMBERS = st.one_of(
    BOUNDARY_NUMBERS,
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=30))
# Anything json.loads (or a settings table) can hand back, nested a little.
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def check_message(error: BaseException, *names: str) -> str:
    """The error's message, checked: one line, not empty, naming one of ``names`` if given."""
    message = str(error)
    assert message.strip(), f"{type(error).__name__} with an empty message"
    assert "\n" not in message, f"a message of several lines: {message!r}"
    assert "\r" not in message, f"a message of several lines: {message!r}"
    if names:
        assert any(name.casefold() in message.casefold() for name in names), (
            f"the message names none of {names}: {message!r}"
        )
    return message


def outcome(
    parse: Callable[[], T], error_type: type[SafeSignalError], *names: str
) -> T | SafeSignalError:
    """``parse()``'s value, or its ``error_type`` (message checked); anything else propagates."""
    try:
        return parse()
    except error_type as error:
        check_message(error, *names)
        return error


def db_contents(path: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every table's rows, in order, for comparing a database before and after."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return [
            (table, connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall())
            for table in tables
        ]
    finally:
        connection.close()


def file_digest(path: Path) -> str:
    """A hash of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
