"""The note a restore keeps while it runs, so that one cut short is finished at the next start.

Before a restore moves or replaces anything it writes ``restore-journal.json`` in the data
folder: which backup goes in, where a damaged database is moved, and what the database being
replaced was. The note is written whole or not at all (a temporary file, flushed to disk, then
renamed) and removed once the backup is in place. A note found at start-up means the restore
was cut short (a crash, a kill, a power cut): :func:`trainer.safety.backup.finish_restore`
finishes it, or puts the database back when its backup is gone.

This module is small on purpose: the app looks for the note before its window shows, without
loading the backups' machinery.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from trainer.errors import StoreError

JOURNAL_FILENAME: Final = "restore-journal.json"
_FORMAT: Final = 1


@dataclass(frozen=True)
class RestoreJournal:
    """What a restore under way is doing (paths are absolute once read)."""

    backup: Path  # the backup being put in place
    sessions: int  # how many sessions it holds (for the message)
    aside: Path | None  # where the damaged database is moved, when it is
    saved_as: Path | None  # the "before-restore" backup of the database being replaced
    replaces: int | None  # the file id (inode) of the healthy database being replaced
    started_at: datetime


def journal_path(data_dir: Path) -> Path:
    """Where the note of a restore under way is kept."""
    return Path(data_dir) / JOURNAL_FILENAME


def restore_unfinished(data_dir: Path) -> bool:
    """Whether a restore was cut short in ``data_dir`` (its note is still there)."""
    return os.path.lexists(journal_path(data_dir))


def _as_text(path: Path | None, data_dir: Path) -> str | None:
    """A path inside the data folder is kept relative to it (the folder may be moved)."""
    if path is None:
        return None
    try:
        return Path(path).resolve().relative_to(data_dir.resolve()).as_posix()
    except ValueError:
        return str(Path(path).resolve())


def _as_path(text: object, data_dir: Path) -> Path | None:
    if text is None:
        return None
    if not isinstance(text, str) or not text:
        raise ValueError("not a path")
    path = Path(text)
    return path if path.is_absolute() else data_dir / path


def write_journal(data_dir: Path, journal: RestoreJournal) -> None:
    """Write the note (private, whole or not at all, on disk before this returns)."""
    data_dir = Path(data_dir)
    content = {
        "format": _FORMAT,
        "backup": _as_text(journal.backup, data_dir),
        "sessions": journal.sessions,
        "aside": _as_text(journal.aside, data_dir),
        "saved_as": _as_text(journal.saved_as, data_dir),
        "replaces": journal.replaces,
        "started_at": journal.started_at.isoformat(),
    }
    target = journal_path(data_dir)
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{JOURNAL_FILENAME}.", suffix=".part", dir=data_dir
        )
    except OSError as exc:
        raise StoreError(
            f"Could not start the restore: nothing can be written in {data_dir} "
            f"({exc.strerror}). Nothing was changed."
        ) from exc
    try:
        with open(handle, "w", encoding="utf-8") as stream:
            json.dump(content, stream, indent=1)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(name, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise StoreError(
            f"Could not start the restore ({exc.strerror}). Check that there is space on the "
            "disk. Nothing was changed."
        ) from exc
    fsync_folder(data_dir)


def read_journal(data_dir: Path) -> RestoreJournal | None:
    """The note of a restore cut short, or ``None`` when there is none. A note that cannot be
    read raises :class:`StoreError` saying what to do (nothing is guessed)."""
    data_dir = Path(data_dir)
    path = journal_path(data_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path, str(getattr(exc, "strerror", None) or exc)) from exc
    try:
        found: Any = json.loads(text)
        if not isinstance(found, dict) or found.get("format") != _FORMAT:
            raise ValueError("unknown format")
        backup = _as_path(found["backup"], data_dir)
        sessions = found["sessions"]
        replaces = found["replaces"]
        if (
            backup is None
            or not isinstance(sessions, int)
            or not (replaces is None or isinstance(replaces, int))
        ):
            raise ValueError("missing fields")
        return RestoreJournal(
            backup=backup,
            sessions=sessions,
            aside=_as_path(found["aside"], data_dir),
            saved_as=_as_path(found["saved_as"], data_dir),
            replaces=replaces,
            started_at=datetime.fromisoformat(found["started_at"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise _unreadable(path, "its content is not what Safe Signal writes") from exc


def _unreadable(path: Path, why: str) -> StoreError:
    return StoreError(
        f"A restore was cut short, and its note {path} cannot be read ({why}). Your data was "
        f"not changed. Look in the folder for the database and its backups, then delete {path.name} "
        "to open Safe Signal again."
    )


def remove_journal(data_dir: Path) -> None:
    """Remove the note: the restore is over."""
    try:
        journal_path(data_dir).unlink(missing_ok=True)
    except OSError as exc:
        raise StoreError(
            f"The backup is in place, but the note of the restore could not be removed "
            f"({exc.strerror}); delete {journal_path(data_dir)} yourself."
        ) from exc
    fsync_folder(Path(data_dir))


def fsync_folder(folder: Path) -> None:
    """Make renames and removals in ``folder`` last through a power cut (POSIX only)."""
    if os.name != "posix":  # pragma: no cover - Windows cannot open a folder
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
