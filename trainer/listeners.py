"""A list of listeners that does not keep their owners alive.

A screen subscribes its own bound method to the session it shows. Held strongly, that would make
a reference cycle (screen -> session -> bound method -> screen) which only Python's cyclic
garbage collector can free, at any moment, even halfway through Qt painting the screen. Bound
methods are therefore held through :class:`weakref.WeakMethod`: when the screen goes, its listener
goes with it. Plain functions and other callables are held as given.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

_Ref = Callable[[], Callable[[T], None] | None]


class _Strong(Generic[T]):
    """A reference that always answers with its callable, shaped like a weak one."""

    def __init__(self, listener: Callable[[T], None]) -> None:
        self._listener = listener

    def __call__(self) -> Callable[[T], None]:
        return self._listener


class Listeners(Generic[T]):
    """Callables to call with one value each time something changes."""

    def __init__(self) -> None:
        self._refs: list[_Ref[T]] = []

    def add(self, listener: Callable[[T], None]) -> None:
        """Call ``listener(value)`` on every :meth:`notify`, for as long as its owner lives."""
        if inspect.ismethod(listener):
            self._refs.append(weakref.WeakMethod(listener))
        else:
            self._refs.append(_Strong(listener))

    def notify(self, value: T) -> None:
        """Call every living listener in the order they were added; forget the dead ones."""
        living = []
        for ref in list(self._refs):
            listener = ref()
            if listener is None:
                continue
            living.append(ref)
            listener(value)
        if len(living) != len(self._refs):
            self._refs = [ref for ref in self._refs if ref() is not None]

    def __len__(self) -> int:
        return sum(1 for ref in self._refs if ref() is not None)
