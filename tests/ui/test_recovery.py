"""The offer at start after a crash: the unfinished session is kept as interrupted, and the
person may add its after-ratings now or leave them empty."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from trainer.content.catalog import Catalog
from trainer.session.clock import FakeClock
from trainer.session.machine import Ratings, SessionStatus
from trainer.session.recovery import RecoveredSession
from trainer.store.store import Store
from ui.practice.recovery import AfterRatingsDialog
from ui.shell.main_window import MainWindow

STARTED = datetime(2026, 2, 27, 18, 0, tzinfo=UTC)


def crashed(store: Store, catalog: Catalog, profile_id: int, practised_s: float) -> int:
    """A session whose app died after ``practised_s`` seconds had been checkpointed."""
    plan = catalog.exercises[0].plan(10)
    sid = store.sessions.start_session(plan, profile_id, STARTED, Ratings(7, 5))
    store.sessions.checkpoint_session(sid, practised_s=practised_s, at=STARTED.replace(minute=5))
    return sid


class Offers:
    """Stands in for the offer: keeps each recovered session shown, answers from ``replies``."""

    def __init__(self) -> None:
        self.asked: list[RecoveredSession] = []
        self.whens: list[str | None] = []
        self.replies: list[Ratings | None] = []

    def ask(
        self, parent: object, recovered: RecoveredSession, clock: object, when: str | None = None
    ) -> Ratings | None:
        self.asked.append(recovered)
        self.whens.append(when)
        return self.replies.pop(0)


@pytest.fixture
def offers(monkeypatch: pytest.MonkeyPatch) -> Offers:
    made = Offers()
    monkeypatch.setattr(AfterRatingsDialog, "ask", made.ask)
    return made


def test_the_offer_saves_after_ratings_or_leaves_them_empty(
    window: MainWindow, store: Store, catalog: Catalog, offers: Offers
) -> None:
    me = window.profile_id
    ana = store.profiles.create("Ana")
    first = crashed(store, catalog, me, 240.0)
    hers = crashed(store, catalog, ana, 60.0)
    second = crashed(store, catalog, me, 20.0)
    offers.replies = [Ratings(3, None), None]

    window.offer_recovery()

    assert [r.id for r in offers.asked] == [first, second]  # only the person's own: Ana's is quiet
    # Two of them: each is told apart by its start ("Your session of Friday 01 March, 10:00").
    assert all(re.fullmatch(r"\w+day \d\d \w+, \d\d:\d\d", w or "") for w in offers.whens)
    assert (
        offers.asked[1]
        .message(offers.whens[1])
        .startswith(
            f"Your session of {offers.whens[1]} ({catalog.exercises[0].title}, under a minute"
        )
    )
    assert offers.asked[0].message() == (
        f"Your last session ({catalog.exercises[0].title}, 4 min practised) stopped "
        "unexpectedly. It has been kept."
    )
    kept = store.sessions.get(first)
    assert (kept.status, kept.before, kept.after) == (
        SessionStatus.INTERRUPTED,
        Ratings(7, 5),
        Ratings(3, None),
    )
    assert kept.practised_s == 240.0
    left = store.sessions.get(second)
    assert (left.status, left.after) == (SessionStatus.INTERRUPTED, Ratings(None, None))
    assert store.sessions.get(hers).status is SessionStatus.INTERRUPTED
    window.offer_recovery()  # nothing more to offer
    assert len(offers.asked) == 2


class Killed(BaseException):
    """The process is killed while the offer is on screen."""


def test_a_kill_while_the_offer_is_open_offers_it_again_at_the_next_start(
    window: MainWindow, store: Store, catalog: Catalog, offers: Offers, monkeypatch
) -> None:
    sid = crashed(store, catalog, window.profile_id, 90.0)
    from trainer.session.recovery import recover_unfinished

    found = recover_unfinished(store.sessions, store.app_settings)  # as ui.shell.app does

    def killed(*args: object, **kwargs: object) -> Ratings | None:
        raise Killed

    monkeypatch.setattr(AfterRatingsDialog, "ask", killed)
    with pytest.raises(Killed):
        window.offer_recovery(found)
    assert store.sessions.get(sid).status is SessionStatus.INTERRUPTED
    monkeypatch.setattr(AfterRatingsDialog, "ask", offers.ask)
    # The next start: nothing is in progress any more, but the offer was never answered.
    assert recover_unfinished(store.sessions, store.app_settings) == []
    offers.replies = [None]
    window.offer_recovery([])
    assert [r.id for r in offers.asked] == [sid]
    # Carried over from an earlier start: named by its start, never "your last session".
    [when] = offers.whens
    assert when is not None
    assert re.fullmatch(r"\w+day \d\d \w+, \d\d:\d\d", when)
    assert offers.asked[0].carried_over
    assert offers.asked[0].message(when) == (
        f"Your session of {when} ({catalog.exercises[0].title}, 2 min practised) stopped "
        "before its after-ratings. It has been kept."
    )
    window.offer_recovery([])  # left empty: an answer, so not offered again
    assert len(offers.asked) == 1


def test_an_offer_carried_over_is_not_called_the_last_session_after_newer_ones(
    window: MainWindow, store: Store, catalog: Catalog, offers: Offers, qtbot, clock: FakeClock
) -> None:
    from trainer.session.recovery import note_offers, recover_unfinished

    sid = crashed(store, catalog, window.profile_id, 90.0)
    recover_unfinished(store.sessions, store.app_settings)  # an earlier start, not answered
    note_offers(store.app_settings, [sid])
    newer = catalog.exercises[0].plan(10)  # practised since, at a later start
    later = store.sessions.start_session(
        newer, window.profile_id, STARTED.replace(day=28), Ratings(4, 4)
    )
    store.sessions.mark_interrupted(later, ended_at=STARTED.replace(day=28, minute=3))
    offers.replies = [None]
    window.offer_recovery([])
    [found] = offers.asked
    assert found.id == sid
    assert offers.whens[0] is not None
    assert "Friday 27 February" in offers.whens[0]  # 18:00 UTC is the 27th in any zone here
    dialog = AfterRatingsDialog(found, clock, when=offers.whens[0])
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "A session was kept"
    assert "last session" not in dialog.message.text().lower()
    assert dialog.message.text().startswith(f"Your session of {offers.whens[0]} (")
    assert "stopped before its after-ratings" in dialog.message.text()


def test_a_single_session_is_your_last_session(
    window: MainWindow, store: Store, catalog: Catalog, offers: Offers
) -> None:
    crashed(store, catalog, window.profile_id, 90.0)
    offers.replies = [None]
    window.offer_recovery()
    assert offers.whens == [None]


def test_the_dialog_saves_ratings_by_keyboard(qtbot, clock: FakeClock) -> None:
    found = RecoveredSession(
        1, 1, "Box breathing", "breathing", STARTED, STARTED, 20.0, Ratings(2, 2)
    )
    dialog = AfterRatingsDialog(found, clock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert "Box breathing, under a minute practised" in dialog.message.text()
    dialog.tension.setFocus()
    qtbot.keyClick(dialog.tension, Qt.Key.Key_4)
    qtbot.keyClick(dialog.tension, Qt.Key.Key_Return)  # pain not answered yet: not saved
    assert dialog.ratings is None
    assert dialog.isVisible()
    assert "pain" in dialog.hint.text()
    qtbot.keyClick(dialog.pain, Qt.Key.Key_S)
    qtbot.keyClick(dialog.pain, Qt.Key.Key_Return)
    assert dialog.ratings == Ratings(4, None)
    assert dialog.result() == AfterRatingsDialog.DialogCode.Accepted


def test_the_dialog_leaves_them_empty_with_its_button_or_esc(qtbot, clock: FakeClock) -> None:
    found = RecoveredSession(
        1, 1, "Box breathing", "breathing", STARTED, STARTED, 300.0, Ratings(2, 2)
    )
    for leave in ("button", "esc"):
        dialog = AfterRatingsDialog(found, clock)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.tension.set_value(3)
        if leave == "button":
            qtbot.mouseClick(dialog.leave_button, Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(dialog.tension, Qt.Key.Key_Escape)
        assert dialog.ratings is None
        assert dialog.result() == AfterRatingsDialog.DialogCode.Rejected
        assert not dialog.isVisible()


def test_a_running_session_saves_its_progress_on_the_frame_ticks(
    window: MainWindow, store: Store, clock: FakeClock, ticker, press
) -> None:
    press(Qt.Key.Key_Return)  # the first exercise
    press(Qt.Key.Key_5)
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_6)
    press(Qt.Key.Key_Return)
    assert window.session is not None
    sid = window.session.session_id
    assert sid is not None
    lead_in_s = window.session.plan.lead_in_s
    run_s = lead_in_s + 11.5
    for _ in range(round(run_s * 10)):  # 10 frames a second
        clock.advance(0.1)
        ticker.fire()
    last_write_s = 5.0 * math.floor(run_s / 5.0)  # every 5 s of running, not every frame
    saved = store.sessions.get(sid).practised_s
    assert saved == pytest.approx(last_write_s - lead_in_s, abs=0.15)
    press(Qt.Key.Key_Space)  # a pause saves at once
    assert store.sessions.get(sid).practised_s == pytest.approx(11.5, abs=0.15)
    assert store.sessions.get(sid).status is SessionStatus.IN_PROGRESS


def test_ctrl_and_a_digit_in_the_dialog_is_no_rating(qtbot, clock: FakeClock) -> None:
    """Ctrl+2 (attention exercises elsewhere) once set a rating of 2 here: only plain digits
    rate, as on the rating screen."""
    found = RecoveredSession(
        1, 1, "Box breathing", "breathing", STARTED, STARTED, 300.0, Ratings(2, 2)
    )
    dialog = AfterRatingsDialog(found, clock)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.tension.setFocus()
    for modifier in (
        Qt.KeyboardModifier.ControlModifier,
        Qt.KeyboardModifier.AltModifier,
        Qt.KeyboardModifier.MetaModifier,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    ):
        for key in (Qt.Key.Key_2, Qt.Key.Key_S, Qt.Key.Key_End):
            qtbot.keyClick(dialog.tension, key, modifier)
    assert not dialog.tension.answered
    assert dialog.tension.value is None
    qtbot.keyClick(dialog.tension, Qt.Key.Key_1)
    qtbot.keyClick(dialog.tension, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert dialog.tension.value == 1  # Ctrl+0 neither rates nor makes the 1 a 10
    qtbot.keyClick(dialog.tension, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)
    assert dialog.tension.value == 2  # the keypad's digits are plain digits
    qtbot.keyClick(dialog.tension, Qt.Key.Key_Return)
    assert dialog.ratings is None  # pain is not answered yet
