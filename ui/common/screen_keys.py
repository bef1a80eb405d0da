"""Each screen's keys, written once: the "?" keys window of that screen and Help's list of keys
both read them (no Qt here, so Help opens without loading the screens)."""

from __future__ import annotations

from typing import Final

from trainer.app.words import WHERE_IT_HURTS

Keys = tuple[tuple[str, str], ...]  # (keys, what they do), as Help lists them
ScreenKeys = tuple[str, Keys]  # the screen's name in Help, and its keys

THESE_KEYS: Final = ("?", "these keys")

HOME_KEYS: Final[ScreenKeys] = (
    "Breathing exercises",
    (
        ("Enter", "start"),
        ("↑ ↓", "choose another exercise"),
        ("Alt+C", "show or hide the other exercises, the length and the options"),
        ("Alt+L / Alt+B", "length / number of breaths"),
        ("Alt+N / Alt+E / Alt+W", "no holds / ease in / where it hurts first"),
        ("Ctrl+N / Ctrl+E / Ctrl+D", "new pattern / edit / duplicate"),
        ("F2 / Del", "rename / delete your own pattern"),
        ("Ctrl+R", "find my pace"),
        ("Ctrl+H", "history"),
        THESE_KEYS,
    ),
)
ATTENTION_HOME_KEYS: Final[ScreenKeys] = (
    "Attention exercises",
    (
        ("Enter", "start"),
        ("↑ ↓", "choose another exercise"),
        ("Alt+C", "show or hide the other exercises and the length"),
        ("Alt+L", "length"),
        ("Ctrl+H", "history"),
        THESE_KEYS,
    ),
)
RATING_KEYS: Final[ScreenKeys] = (
    "Rating",
    (
        ("0–9", "choose a number (1 then 0 for 10)"),
        ("← →", "a little less or more"),
        ("Home / End", "0 / 10"),
        ("S", "skip this rating"),
        ("Tab", "the next scale"),
        ("Enter", "continue"),
        ("Esc", "back (before the practice); not now (after it: what is not rated is skipped)"),
        THESE_KEYS,
    ),
)
PRACTICE_KEYS: Final[ScreenKeys] = (
    "Practice",
    (
        ("Space", "pause or resume"),
        ("Esc", "end early (asks first)"),
        ("1 2 3 / V", "circle, column or wave / the next pacer"),
        ("F", "focus: the pacer alone, full screen"),
        ("M", "sound: off, tone, chime (and a voice, where the computer can speak)"),
        ("+ and -", "louder / softer"),
        ("E", "eyes closed: the sound leads and the pacer dims"),
        THESE_KEYS,
    ),
)
FOCUS_KEYS: Final[ScreenKeys] = (
    "Focus",
    (
        ("Esc or F", "back (the session goes on)"),
        ("Space", "pause or resume"),
        ("1 2 3 / V", "choose the pacer"),
        ("W", "phase words on or off"),
        ("M, + and -, E", "as in practice"),
    ),
)
FINDER_KEYS: Final[ScreenKeys] = (
    "Find my pace",
    (
        ("Enter", "begin, confirm, or go on to the next pace"),
        ("Space", "pause or resume"),
        ("0–9, S", "rate how it felt, or skip"),
        ("Esc", "stop (asks first), or back to the exercises"),
        THESE_KEYS,
    ),
)
WHERE_KEYS: Final[ScreenKeys] = (
    WHERE_IT_HURTS,
    (
        ("Arrows", "move the ring over the body map"),
        ("Space", "mark or unmark the area under the ring"),
        ("Enter", "next / continue"),
        ("S", "skip"),
        ("Esc", "back"),
        THESE_KEYS,
    ),
)
ATTENTION_KEYS: Final[ScreenKeys] = (
    "Attention exercise",
    (
        ("Space", "pause or resume"),
        ("N or →", "skip to the next prompt"),
        ("Esc", "end early (asks first)"),
        ("L", "large text"),
        ("T", "speak the prompts"),
        THESE_KEYS,
    ),
)
SUMMARY_KEYS: Final[ScreenKeys] = (
    "After practice",
    (
        ("Enter or Esc", "back to the exercises"),
        ("H", "history"),
        THESE_KEYS,
    ),
)
KEPT_SESSION_KEYS: Final[ScreenKeys] = (
    "A kept session's after-ratings",
    (
        ("0–9, S", "rate, or skip one rating"),
        ("Tab", "the next scale"),
        ("Enter", "save the after-ratings"),
        ("Esc", "leave them empty"),
        THESE_KEYS,
    ),
)
HISTORY_KEYS: Final[ScreenKeys] = (
    "History",
    (
        ("Esc", "back"),
        ("Alt+P", "period"),
        ("Alt+F / Alt+T", "from / to (dates)"),
        ("Alt+X / Alt+W", "exercise / where it hurt"),
        ("Ctrl+Tab", "the next tab (Alt+U, R, C, B, A, S go straight to one)"),
        ("Ctrl+P", "a report for your clinician (PDF)"),
        ("Ctrl+E", "export the sessions (JSON or CSV)"),
        ("F2", "write a note (in Sessions)"),
        ("Del / Ctrl+Z", "delete a session / put it back"),
        THESE_KEYS,
    ),
)


def keys_sentence(keys: Keys) -> str:
    """A screen's keys in one line, for a screen reader: "Space: pause or resume; Esc: ..."."""
    return "Keys: " + "; ".join(f"{key}: {action}" for key, action in keys) + "."
