"""Tests for trainer/session/rescue.py: a session the database refused, as a one-session JSON export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.content.breathing import BreathingPattern
from trainer.session.machine import Ratings, Session, SessionPlan, SessionStatus
from trainer.session.rescue import rescue_record, save_rescued
from trainer.store.exchange import ExchangeError, parse_export

T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


class Refusing:
    """A recorder that takes the start and refuses everything after (the disk filled up)."""

    def start_session(self, *args: object) -> int:
        return 7

    def finish_session(self, *args: object, **kwargs: object) -> None:
        raise OSError("no space")


def test_an_unfinished_session_is_saved_as_abandoned_with_its_practice(
    tmp_path: Path, clock, box: BreathingPattern
):
    plan = SessionPlan("box-4-4-4-4", "Box breathing", box, 19)
    session = Session(plan, clock=clock, utc_now=lambda: T0, recorder=Refusing(), profile_id=1)
    with pytest.raises(ExchangeError, match="had not started"):
        rescue_record(session, Ratings(None, None), profile="Me", ended_at=T0)
    session.confirm_before(5, 5)
    clock.advance(plan.lead_in_s + 40.0)
    record = rescue_record(
        session, Ratings(None, None), profile="Me", ended_at=T0 + timedelta(minutes=1)
    )
    assert record["status"] == "abandoned"
    assert record["practised_s"] == pytest.approx(40.0)
    out = tmp_path / "s.json"
    save_rescued(out, record, profile="Me", now=T0)
    (new,) = parse_export(out.read_text(encoding="utf-8"))
    assert new.status is SessionStatus.ABANDONED
    assert new.started_at == T0
    assert (new.before.tension, new.before.pain) == (5, 5)
    with pytest.raises(ExchangeError, match="is a folder"):
        save_rescued(tmp_path, record, profile="Me", now=T0)
