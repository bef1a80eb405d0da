"""Stand-ins shared by the widget tests: a session recorder, preferences in a dict, and a sound
output that records what it is asked to play instead of reaching the speakers."""

from __future__ import annotations

from datetime import UTC, datetime

from trainer.content.audio import CueStream
from trainer.session.clock import FakeClock
from trainer.session.machine import Session, SessionPlan

SR = 44100


class Recorder:
    """Takes the session's writes (the store is tested elsewhere)."""

    def start_session(self, *args: object) -> int:
        return 1

    def checkpoint_session(self, *args: object, **kwargs: object) -> None:
        return None

    def finish_session(self, *args: object, **kwargs: object) -> None:
        return None


class Preferences:
    """Preferences kept in a dict, as the store-backed ones keep them in the database."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, key: str, default: str) -> str:
        return self.values.get(key, default)

    def set(self, key: str, value: str) -> None:
        self.values[key] = value


class RecordingOutput:
    """Stands in for the speakers: keeps every stream it is asked to play."""

    def __init__(self) -> None:
        self.played: list[tuple[CueStream, bool]] = []
        self.fade_outs = 0
        self.closed = False
        self.failure: str | None = None
        self.play_error: Exception | None = None

    def play(self, stream: CueStream, *, replace: bool) -> None:
        if self.play_error is not None:
            raise self.play_error
        self.played.append((stream, replace))

    def fade_out(self) -> None:
        self.fade_outs += 1
        for stream, _ in self.played:
            stream.fade_out()

    def poll(self) -> str | None:
        return self.failure

    def close(self) -> None:
        self.closed = True


class Factory:
    """An output factory that hands out one RecordingOutput and counts how often it was asked."""

    def __init__(self) -> None:
        self.output = RecordingOutput()
        self.calls = 0

    def __call__(self, sample_rate: int) -> RecordingOutput:
        self.calls += 1
        assert sample_rate == SR
        return self.output


def started_session(plan: SessionPlan, clock: FakeClock) -> Session:
    """A session of ``plan`` on ``clock``, its before-ratings skipped, written to a
    :class:`Recorder`: ready for a screen to begin."""
    session = Session(
        plan,
        clock=clock,
        utc_now=lambda: datetime(2026, 3, 1, tzinfo=UTC),
        recorder=Recorder(),
        profile_id=1,
    )
    session.confirm_before(None, None)
    return session
