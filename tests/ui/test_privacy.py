"""Privacy: a whole session through the real widgets, from the home screen to the history, opens
no network connection. Every way Python makes an internet socket is watched and refused; the
test fails if any was tried. (Qt's local socket for a second copy is a Unix socket or named
pipe through Qt, not the network, and the window under test does not use it.)"""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt

from trainer.content.catalog import END_CUE_S, LEAD_IN_S
from trainer.session.machine import SessionStatus
from ui.shell.main_window import MainWindow

NETWORK_FAMILIES = {socket.AF_INET, socket.AF_INET6}


class NetworkWatch:
    """Records (and refuses) every attempt at a network socket, lookup or connection."""

    def __init__(self) -> None:
        self.tried: list[str] = []

    def refuse(self, what: str) -> OSError:
        self.tried.append(what)
        return OSError(f"no network in this test: {what}")


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> NetworkWatch:
    watch = NetworkWatch()
    real_init = socket.socket.__init__

    def init(self, family=-1, type=-1, proto=-1, fileno=None):
        if family in NETWORK_FAMILIES or (family == -1 and fileno is None):
            raise watch.refuse(f"socket({family})")
        real_init(self, family, type, proto, fileno)

    def connect(self, address):
        raise watch.refuse(f"connect({address!r})")

    def create_connection(address, *args, **kwargs):
        raise watch.refuse(f"create_connection({address!r})")

    def getaddrinfo(host, *args, **kwargs):
        raise watch.refuse(f"getaddrinfo({host!r})")

    monkeypatch.setattr(socket.socket, "__init__", init)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return watch


def test_the_watch_catches_a_connection(network: NetworkWatch):
    """The watch itself works: otherwise the test below could never fail."""
    with pytest.raises(OSError, match="no network"):
        socket.create_connection(("example.org", 80))
    with pytest.raises(OSError, match="no network"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    assert len(network.tried) == 2


def test_a_whole_session_opens_no_network_connection(
    qtbot, window: MainWindow, store, clock, ticker, dialogs, press, network: NetworkWatch
):
    qtbot.keyClick(window.home.list, Qt.Key.Key_Return)
    window.before.tension.set_value(6)
    window.before.pain.set_value(5)
    qtbot.keyClick(window.before, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.practice
    planned = window.session.plan.planned_s
    for _ in range(20):  # frames through the whole practice, a pause in the middle
        clock.advance((LEAD_IN_S + planned) / 20)
        ticker.fire()
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Space)
    clock.advance(END_CUE_S + 1.0)
    ticker.fire()
    assert window.stack.currentWidget() is window.after
    window.after.tension.set_value(3)
    window.after.pain.set_value(3)
    qtbot.mouseClick(window.after.continue_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.summary
    (row,) = store.sessions.of_profile(window.profile_id)
    assert row.status is SessionStatus.COMPLETED
    press(Qt.Key.Key_Return)
    press(Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.history)
    assert window.history.table.model().rowCount() == 1
    assert network.tried == []
