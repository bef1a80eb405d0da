"""A session the database could not take (a full disk, a read-only data folder) saved to a file
instead, so nothing the person recorded is lost.

The file is a JSON sessions export (trainer/store/exchange.py) holding just this session, so
``safesignal import FILE`` (or the app's import) adds it later. It is written whole or not at
all, readable only by this user.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO, cast

from trainer.safety.files import write_privately
from trainer.session.clock import iso_utc
from trainer.session.machine import Ratings, Session, SessionStatus
from trainer.store.exchange import ExchangeError, write_json


def rescue_record(
    session: Session,
    after: Ratings,
    *,
    profile: str,
    ended_at: datetime,
    regions: tuple[Sequence[str], Sequence[str]] = ((), ()),
) -> dict[str, Any]:
    """The session as it is in memory (with the after-ratings given), as an export object."""
    if session.started_at is None or session.before is None:
        raise ExchangeError("This session had not started, so there is nothing to save.")
    status = session.status
    if status is SessionStatus.IN_PROGRESS:  # left before its end was decided: keep what was done
        status = SessionStatus.ABANDONED
    return {
        "id": None,
        "profile": profile,
        "started_at_utc": iso_utc(session.started_at),
        "ended_at_utc": iso_utc(max(ended_at, session.started_at)),
        "started_at_local": None,
        "exercise_id": session.plan.exercise_id,
        "exercise_title": session.plan.title,
        "kind": session.plan.kind,
        "status": status.value,
        "planned_s": session.plan.planned_s,
        "practised_s": round(session.practised_s, 3),
        "tension_before": session.before.tension,
        "tension_after": after.tension,
        "pain_before": session.before.pain,
        "pain_after": after.pain,
        "pain_regions": list(regions[0]),
        "comfort_regions": list(regions[1]),
        "notes": "",
        "settings": {"title": session.plan.title, **session.plan.settings()},
    }


def save_rescued(path: Path, record: dict[str, Any], *, profile: str, now: datetime) -> None:
    """Write one session to ``path`` as a JSON export, atomically (0600)."""
    path = Path(path)
    if path.is_dir():
        raise ExchangeError(f"{path} is a folder; give a file name for the session.")

    def failed(reason: str) -> ExchangeError:
        return ExchangeError(f"Could not write {path}: {reason}")

    with write_privately(path, failed) as stream:
        write_json([record], cast(TextIO, stream), profile=profile, exported_at=now)
