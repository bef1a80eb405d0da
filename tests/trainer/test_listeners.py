"""Listeners call in order, and hold bound methods without keeping their objects alive."""

from __future__ import annotations

import gc

from trainer.listeners import Listeners


class Screen:
    def __init__(self) -> None:
        self.seen: list[int] = []

    def on_change(self, value: int) -> None:
        self.seen.append(value)


def test_listeners_are_called_in_the_order_they_were_added() -> None:
    calls: list[str] = []
    listeners: Listeners[int] = Listeners()
    listeners.add(lambda v: calls.append(f"first {v}"))
    listeners.add(lambda v: calls.append(f"second {v}"))
    listeners.notify(3)
    assert calls == ["first 3", "second 3"]


def test_a_bound_method_is_called_while_its_object_lives() -> None:
    screen = Screen()
    listeners: Listeners[int] = Listeners()
    listeners.add(screen.on_change)
    listeners.notify(1)
    listeners.notify(2)
    assert screen.seen == [1, 2]


def test_a_bound_method_does_not_keep_its_object_alive() -> None:
    listeners: Listeners[int] = Listeners()
    screen = Screen()
    listeners.add(screen.on_change)
    assert len(listeners) == 1
    del screen
    gc.collect()
    assert len(listeners) == 0
    listeners.notify(5)  # nothing left to call, and no error


def test_a_cycle_through_the_listener_is_freed_without_the_cyclic_collector() -> None:
    """Screen -> thing it observes -> screen's method must not be a strong cycle."""

    class Observed:
        def __init__(self) -> None:
            self.listeners: Listeners[int] = Listeners()

    class Watching(Screen):
        def __init__(self) -> None:
            super().__init__()
            self.observed = Observed()
            self.observed.listeners.add(self.on_change)

    gc.disable()
    try:
        watching = Watching()
        observed = watching.observed
        del watching  # freed by reference counting alone: no cycle holds it
        assert len(observed.listeners) == 0
    finally:
        gc.enable()


def test_plain_functions_and_builtin_methods_are_kept() -> None:
    got: list[int] = []
    listeners: Listeners[int] = Listeners()
    listeners.add(got.append)  # a builtin method: its list cannot be weakly referenced
    gc.collect()
    listeners.notify(9)
    assert got == [9]
