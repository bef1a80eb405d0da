"""Counts in words, the same on every screen, in every command and in the report."""

from __future__ import annotations


def sessions_text(n: int) -> str:
    """``1 session``, ``12 sessions``, ``1,204 sessions``."""
    return f"{n:,} session" if n == 1 else f"{n:,} sessions"
