"""Another program holding Safe Signal's database: a plain SQLite connection of its own (no mock)
that takes the write lock, as a database viewer or a backup tool does, until it lets go."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import TracebackType


class OtherProgram:
    """A second connection to the database at ``path`` that holds its write lock while inside
    ``with`` (or between :meth:`hold` and :meth:`let_go`). ``begin`` is ``"IMMEDIATE"`` or
    ``"EXCLUSIVE"``."""

    def __init__(self, path: Path, begin: str = "IMMEDIATE") -> None:
        self._conn = sqlite3.connect(str(path), isolation_level=None, timeout=0)
        self._begin = begin

    def hold(self) -> None:
        """Take the write lock (a transaction that writes nothing yet)."""
        self._conn.execute(f"BEGIN {self._begin}")

    def let_go(self) -> None:
        """End the transaction: the lock is free again."""
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def close(self) -> None:
        """Let go and close the connection."""
        self.let_go()
        self._conn.close()

    def __enter__(self) -> OtherProgram:
        self.hold()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
