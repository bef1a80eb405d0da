"""The store's sqlite-utils database, made on first need: what the first screen reads takes only
plain SQL, and importing sqlite-utils (which imports numpy too) would delay the window."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import sqlite_utils

# Statements that only read (SELECT) or set the connection up (PRAGMA): Python's sqlite3 opens
# no transaction for them, so running them on the connection is what sqlite-utils would do.
PLAIN: Final = frozenset({"SELECT", "PRAGMA"})


def first_word(sql: str) -> str:
    """The statement's first keyword, upper-cased."""
    words = sql.lstrip().split(None, 1)
    return words[0].upper() if words else ""


class LazyDatabase:
    """Stands in for ``sqlite_utils.Database`` on ``conn``: plain statements and a table's
    ``rows_where`` go straight to the connection until anything else is asked for; then the
    real database is made, and from then on everything goes through it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._real: sqlite_utils.Database | None = None

    @property
    def made(self) -> bool:
        """Whether the real sqlite-utils database exists yet."""
        return self._real is not None

    def real(self) -> sqlite_utils.Database:
        """The sqlite-utils database (made, and sqlite-utils imported, the first time)."""
        if self._real is None:
            import sqlite_utils

            self._real = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._real

    def forget(self) -> None:
        """Drop the real database, and all it has cached of the file; the next need makes a
        new one on the same connection."""
        self._real = None

    def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> sqlite3.Cursor:
        """As ``sqlite_utils.Database.execute``."""
        if self._real is None and first_word(sql) in PLAIN:
            return (
                self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)
            )
        return self.real().execute(sql, parameters)

    def __getitem__(self, name: str) -> Any:
        return self.real()[name] if self._real is not None else LazyTable(self, name)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)


class LazyTable:
    """Stands in for a ``sqlite_utils`` table: ``rows_where`` reads with plain SQL, as sqlite-utils
    writes it, while the real database is not made; anything else makes it and hands over."""

    def __init__(self, db: LazyDatabase, name: str) -> None:
        self._db = db
        self.name = name

    def rows_where(
        self,
        where: str | None = None,
        where_args: Sequence[Any] | dict[str, Any] | None = None,
        order_by: str | None = None,
        select: str = "*",
        limit: int | None = None,
        offset: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """As ``sqlite_utils.db.Table.rows_where``: each row as a dictionary."""
        if self._db.made:
            yield from self._db.real()[self.name].rows_where(
                where, where_args, order_by=order_by, select=select, limit=limit, offset=offset
            )
            return
        quoted = self.name.replace('"', '""')
        sql = f'SELECT {select} FROM "{quoted}"'
        if where is not None:
            sql += f" WHERE {where}"
        if order_by is not None:
            sql += f" ORDER BY {order_by}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        if offset is not None:
            sql += f"{'' if limit is not None else ' LIMIT -1'} OFFSET {int(offset)}"
        cursor = self._db.conn.execute(sql, where_args or [])
        columns = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(columns, row, strict=True))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db.real()[self.name], name)
