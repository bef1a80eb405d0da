"""Which sound the pacer makes: a name the settings can hold without loading the synthesis."""

from __future__ import annotations

from enum import StrEnum


class CueMode(StrEnum):
    """Which sound the pacer makes."""

    OFF = "off"
    TONE = "tone"
    CHIME = "chime"
    VOICE = "voice"  # a calm word at each change, where a speech engine exists (else a chime)
