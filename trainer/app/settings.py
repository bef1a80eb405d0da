"""Settings: the keys, defaults and checks of the app-wide and the per-profile choices.

Settings are kept as text through a "prefs-like" object (``get(key, default)`` and
``set(key, value)``, as :class:`trainer.store.settings.ProfilePreferencesTable`). Two groups:

* :class:`AppSettings`, for this computer: the theme, and whether the welcome has been seen.
* :class:`ProfileSettings`, for each person: reduced motion, the sound cue and its volume, the
  soft background sound (off unless chosen), the session length offered first, the pacer's look
  and what a quick reset asks (:class:`CheckIn`).
  ``sound_mode``, ``sound_volume`` and ``pacer_visual`` are the keys the practice screen already
  reads and writes.

Loading never fails on a bad stored value: that setting falls back to its default and its key is
reported. Text typed by a person or read from a file is checked by :func:`app_setting_from_text`
and :func:`profile_setting_from_text`, which raise :class:`SettingError` with one line naming the
setting and what it allows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, Final, Generic, Protocol, TypeVar

from trainer.content.cues import CueMode
from trainer.errors import SafeSignalError

_log = logging.getLogger(__name__)

T = TypeVar("T")

THEME_KEY: Final = "theme"
WELCOME_SEEN_KEY: Final = "welcome_seen"
REDUCED_MOTION_KEY: Final = "reduced_motion"
SOUND_MODE_KEY: Final = "sound_mode"
SOUND_VOLUME_KEY: Final = "sound_volume"
DEFAULT_LENGTH_KEY: Final = "default_length_min"
PACER_VISUAL_KEY: Final = "pacer_visual"
AMBIENT_KEY: Final = "ambient_sound"  # the soft surf under the breathing cues
CHECK_IN_KEY: Final = "quick_check_in"
# Small choices a screen remembers as the person makes them (not shown in the settings dialog).
FOCUS_WORD_KEY: Final = "focus_phase_word"
EYES_CLOSED_KEY: Final = "eyes_closed"
LARGE_TEXT_KEY: Final = "large_text"
SPEAK_PROMPTS_KEY: Final = "speak_prompts"
SPEECH_HUNG_KEY: Final = "speech_hung"  # the speech engine stopped answering: chimes until asked
WHERE_FIRST_KEY: Final = "breathing_where_first"
LAST_PAIN_KEY: Final = "last_pain_regions"
LAST_COMFORT_KEY: Final = "last_comfort_regions"
ACTIVE_PROFILE_KEY: Final = "active_profile"  # an app setting: the profile in use last time
MINI_POSITION_KEY: Final = "mini_pacer_position"  # an app setting: "x,y" of the mini pacer

THEMES: Final = ("system", "light", "dark", "high_contrast")
PACER_VISUALS: Final = ("circle", "column", "wave")  # the same names as ui/pacer.VISUAL_NAMES
VOLUME_MIN_PCT: Final = 0
VOLUME_MAX_PCT: Final = 100
DEFAULT_VOLUME_PCT: Final = 50  # a calm default: see volume_gain (trainer/content/audio.py)
FALLBACK_LENGTH_MIN: Final = 5  # the catalog's default replaces it when loading
ON: Final = "on"
OFF: Final = "off"
_TRUE_WORDS: Final = frozenset({"on", "true", "yes", "1"})
_FALSE_WORDS: Final = frozenset({"off", "false", "no", "0"})
_MISSING: Final = "\x00missing"  # a default no stored text can equal


class CheckIn(Enum):
    """What a quick reset (from a reminder, the tray or the menu) asks before and after it; a
    full session always asks both ratings. What is not asked is stored as skipped, never as 0,
    so it is left out of the history's figures like any skipped rating."""

    ONE_QUESTION = "one_question"  # how tense, 0-10; pain is stored as skipped
    NOTHING = "nothing"  # both are stored as skipped


class SettingError(SafeSignalError, ValueError):
    """A setting given a value it does not allow; the message names the setting and its range."""


class Preferences(Protocol):
    """Where settings are kept: text values by key (a profile's or the whole app's)."""

    def get(self, key: str, default: str) -> str:
        """The value stored for ``key``, or ``default``."""
        ...

    def set(self, key: str, value: str) -> None:
        """Remember ``value`` for ``key`` (may raise :class:`SafeSignalError`)."""
        ...


class MemoryPreferences:
    """Preferences kept only while the program runs (for screens shown without a profile)."""

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    def get(self, key: str, default: str) -> str:
        """The value stored for ``key``, or ``default``."""
        return self._values.get(key, default)

    def set(self, key: str, value: str) -> None:
        """Remember ``value`` for ``key``."""
        self._values[key] = value


class Lengths(Protocol):
    """The session lengths offered (a :class:`trainer.content.catalog.Catalog` is one)."""

    @property
    def lengths_min(self) -> tuple[int, ...]:
        """Every length offered, in minutes."""
        ...

    @property
    def default_minutes(self) -> int:
        """The length offered when nothing else was chosen."""
        ...


@dataclass(frozen=True)
class AppSettings:
    """Settings for this computer, whoever is using it."""

    theme: str = "system"
    welcome_seen: bool = False

    def __post_init__(self) -> None:
        _check(self.theme in THEMES, f"unknown theme {self.theme!r}")
        _check(isinstance(self.welcome_seen, bool), "welcome_seen must be a bool")


@dataclass(frozen=True)
class ProfileSettings:
    """One person's settings: how the pacer moves and sounds, and the length offered first."""

    reduced_motion: bool = False
    sound_mode: CueMode = CueMode.OFF
    sound_volume_pct: int = DEFAULT_VOLUME_PCT
    default_length_min: int = FALLBACK_LENGTH_MIN
    pacer_visual: str = "circle"
    ambient_sound: bool = False
    check_in: CheckIn = CheckIn.ONE_QUESTION  # what a quick reset asks

    def __post_init__(self) -> None:
        _check(isinstance(self.reduced_motion, bool), "reduced_motion must be a bool")
        _check(isinstance(self.sound_mode, CueMode), f"unknown sound {self.sound_mode!r}")
        _check(
            _whole(self.sound_volume_pct)
            and VOLUME_MIN_PCT <= self.sound_volume_pct <= VOLUME_MAX_PCT,
            f"volume {self.sound_volume_pct!r} is outside 0-100 %",
        )
        _check(
            _whole(self.default_length_min) and self.default_length_min > 0,
            f"length {self.default_length_min!r} is not a whole number of minutes",
        )
        _check(self.pacer_visual in PACER_VISUALS, f"unknown pacer {self.pacer_visual!r}")
        _check(isinstance(self.ambient_sound, bool), "ambient_sound must be a bool")
        _check(isinstance(self.check_in, CheckIn), f"unknown check-in {self.check_in!r}")


def _check(ok: bool, problem: str) -> None:
    if not ok:
        raise ValueError(problem)  # a bug in the caller, not something a person typed


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# -- one setting: its key, its name for people, and how it is read and written -----------------


@dataclass(frozen=True)
class _Field:
    """How one setting is stored: key, attribute, name, what it allows, reader and writer."""

    key: str
    attr: str
    name: str
    allowed: str
    parse: Callable[[str], object]  # raises ValueError on text it does not accept
    text: Callable[[object], str]

    def from_text(self, raw: str) -> object:
        """The value of ``raw``, or :class:`SettingError` saying what is allowed."""
        try:
            return self.parse(raw)
        except ValueError:
            shown = raw.strip()
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            raise SettingError(f"{self.name} must be {self.allowed}, not {shown!r}.") from None


def _choice(options: Sequence[str]) -> Callable[[str], object]:
    def parse(raw: str) -> object:
        word = raw.strip().lower().replace(" ", "_").replace("-", "_")
        if word not in options:
            raise ValueError(raw)
        return word

    return parse


def _on_off(raw: str) -> object:
    word = raw.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(raw)


def _cue_mode(raw: str) -> object:
    return CueMode(raw.strip().lower())


def _check_in(raw: str) -> CheckIn:
    return CheckIn(raw.strip().lower().replace(" ", "_").replace("-", "_"))


def _enum_text(value: object) -> str:
    assert isinstance(value, Enum), "only an enum's value is written this way"
    return str(value.value)


def _volume(raw: str) -> object:
    value = int(raw.strip().removesuffix("%").strip())
    if not VOLUME_MIN_PCT <= value <= VOLUME_MAX_PCT:
        raise ValueError(raw)
    return value


def _minutes_in(lengths_min: Sequence[int]) -> Callable[[str], object]:
    def parse(raw: str) -> object:
        value = int(raw.strip().removesuffix("min").strip())
        if value not in lengths_min:
            raise ValueError(raw)
        return value

    return parse


def _on_off_text(value: object) -> str:
    return ON if value else OFF


def _plain_text(value: object) -> str:
    return str(value)


def _one_of(options: Sequence[object]) -> str:
    words = [str(option) for option in options]
    return "one of " + ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]


_APP_FIELDS: Final = (
    _Field(THEME_KEY, "theme", "Theme", _one_of(THEMES), _choice(THEMES), _plain_text),
    _Field(WELCOME_SEEN_KEY, "welcome_seen", "Welcome seen", "on or off", _on_off, _on_off_text),
)


def _profile_fields(lengths: Lengths) -> tuple[_Field, ...]:
    return (
        _Field(
            REDUCED_MOTION_KEY,
            "reduced_motion",
            "Reduced motion",
            "on or off",
            _on_off,
            _on_off_text,
        ),
        _Field(
            SOUND_MODE_KEY,
            "sound_mode",
            "Sound",
            _one_of([mode.value for mode in CueMode]),
            _cue_mode,
            _plain_text,
        ),
        _Field(
            SOUND_VOLUME_KEY,
            "sound_volume_pct",
            "Volume",
            f"a whole number from {VOLUME_MIN_PCT} to {VOLUME_MAX_PCT} (%)",
            _volume,
            _plain_text,
        ),
        _Field(
            DEFAULT_LENGTH_KEY,
            "default_length_min",
            "Default length",
            _one_of(lengths.lengths_min) + " (minutes)",
            _minutes_in(lengths.lengths_min),
            _plain_text,
        ),
        _Field(
            PACER_VISUAL_KEY,
            "pacer_visual",
            "Pacer",
            _one_of(PACER_VISUALS),
            _choice(PACER_VISUALS),
            _plain_text,
        ),
        _Field(
            AMBIENT_KEY, "ambient_sound", "Background sound", "on or off", _on_off, _on_off_text
        ),
        _Field(
            CHECK_IN_KEY,
            "check_in",
            "Before a quick reset",
            _one_of([choice.value for choice in CheckIn]),
            _check_in,
            _enum_text,
        ),
    )


APP_KEYS: Final = tuple(field.key for field in _APP_FIELDS)
PROFILE_KEYS: Final = (
    REDUCED_MOTION_KEY,
    SOUND_MODE_KEY,
    SOUND_VOLUME_KEY,
    DEFAULT_LENGTH_KEY,
    PACER_VISUAL_KEY,
    AMBIENT_KEY,
    CHECK_IN_KEY,
)


# -- loading and saving ---------------------------------------------------------------------


def profile_defaults(lengths: Lengths) -> ProfileSettings:
    """A new profile's settings: everything at its default, the catalog's length first."""
    return ProfileSettings(default_length_min=lengths.default_minutes)


def _load(
    prefs: Preferences, all_fields: Sequence[_Field], bad: list[str] | None
) -> dict[str, Any]:
    """The readable stored values by attribute; the keys of unreadable ones go to ``bad``."""
    values: dict[str, Any] = {}
    for field in all_fields:
        try:
            raw = prefs.get(field.key, _MISSING)
            if raw != _MISSING:
                values[field.attr] = field.from_text(raw)
        except SafeSignalError as exc:  # a bad value, or the store could not be read
            _log.warning(
                "the setting %s could not be read, so it has its default: %s", field.key, exc
            )
            if bad is not None:
                bad.append(field.key)
    return values


def _save(
    prefs: Preferences, settings: object, default: object, all_fields: Sequence[_Field]
) -> tuple[str, ...]:
    written: list[str] = []
    for field in all_fields:
        value = getattr(settings, field.attr)
        text = field.text(value)
        try:
            stored = prefs.get(field.key, _MISSING)
        except SafeSignalError:
            stored = None  # cannot tell what is there: write it
        if stored == text or (stored == _MISSING and value == getattr(default, field.attr)):
            continue
        prefs.set(field.key, text)
        written.append(field.key)
    return tuple(written)


def load_app_settings(prefs: Preferences, *, bad: list[str] | None = None) -> AppSettings:
    """The app's settings; a value that cannot be read is left at its default and its key is
    added to ``bad`` (when given). Never raises for a bad stored value."""
    return replace(AppSettings(), **_load(prefs, _APP_FIELDS, bad))


def save_app_settings(prefs: Preferences, settings: AppSettings) -> tuple[str, ...]:
    """Write the settings that differ from what is stored; return their keys.

    A setting not stored yet and still at its default is not written. Raises what
    ``prefs.set`` raises (:class:`SafeSignalError` when the disk is full, say); keys written
    before the failure stay written.
    """
    return _save(prefs, settings, AppSettings(), _APP_FIELDS)


def load_profile_settings(
    prefs: Preferences, lengths: Lengths, *, bad: list[str] | None = None
) -> ProfileSettings:
    """One profile's settings (a length no longer offered falls back to the catalog's default);
    a value that cannot be read is left at its default and its key added to ``bad``."""
    return replace(profile_defaults(lengths), **_load(prefs, _profile_fields(lengths), bad))


def save_profile_settings(
    prefs: Preferences, settings: ProfileSettings, lengths: Lengths
) -> tuple[str, ...]:
    """Write the settings that differ from what is stored; return their keys.

    Raises :class:`SettingError` (before writing anything) for a length the catalog does not
    offer, and what ``prefs.set`` raises.
    """
    if settings.default_length_min not in lengths.lengths_min:
        raise SettingError(
            f"Default length must be {_one_of(lengths.lengths_min)} (minutes), "
            f"not {settings.default_length_min}."
        )
    return _save(prefs, settings, profile_defaults(lengths), _profile_fields(lengths))


def _field_for(key: str, all_fields: Sequence[_Field]) -> _Field:
    for field in all_fields:
        if field.key == key:
            return field
    known = ", ".join(field.key for field in all_fields)
    raise SettingError(f"There is no setting {key!r}; the settings are {known}.")


def app_setting_from_text(settings: AppSettings, key: str, text: str) -> AppSettings:
    """``settings`` with ``key`` set from ``text`` typed by a person or read from a file.

    Raises :class:`SettingError` with one line naming the setting and what it allows.
    """
    field = _field_for(key, _APP_FIELDS)
    change: dict[str, Any] = {field.attr: field.from_text(text)}
    return replace(settings, **change)


def profile_setting_from_text(
    settings: ProfileSettings, key: str, text: str, lengths: Lengths
) -> ProfileSettings:
    """``settings`` with ``key`` set from ``text`` (see :func:`app_setting_from_text`)."""
    field = _field_for(key, _profile_fields(lengths))
    change: dict[str, Any] = {field.attr: field.from_text(text)}
    return replace(settings, **change)


def setting_names() -> dict[str, str]:
    """Each key with its name for people (``{"sound_volume": "Volume", ...}``)."""
    lengths = _FixedLengths((FALLBACK_LENGTH_MIN,), FALLBACK_LENGTH_MIN)
    return {field.key: field.name for field in (*_APP_FIELDS, *_profile_fields(lengths))}


@dataclass(frozen=True)
class _FixedLengths:
    """A stand-in list of lengths, for naming the settings."""

    lengths_min: tuple[int, ...]
    default_minutes: int


# -- one setting at a time, typed: how screens read and remember their small choices -----------


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One preference, typed: its key, its default, and how it reads from and writes to text."""

    key: str
    default: T
    parse: Callable[[str], T]  # raises ValueError on text it does not accept
    text: Callable[[T], str]


def _flag(raw: str) -> bool:
    return bool(_on_off(raw))


def _flag_text(value: bool) -> str:
    return ON if value else OFF


def _visual(raw: str) -> str:
    return str(_choice(PACER_VISUALS)(raw))


def _cue(raw: str) -> CueMode:
    return CueMode(raw.strip().lower())


def _cue_text(mode: CueMode) -> str:
    return mode.value


def _check_in_text(choice: CheckIn) -> str:
    return choice.value


def _volume_pct(raw: str) -> int:
    return int(str(_volume(raw)))


def _regions(raw: str) -> tuple[str, ...]:
    return tuple(part for part in (p.strip() for p in raw.split(",")) if part)


def _regions_text(regions: tuple[str, ...]) -> str:
    return ",".join(regions)


def _position(raw: str) -> tuple[int, int] | None:
    x, y = raw.split(",")
    return int(x), int(y)


def _position_text(position: tuple[int, int] | None) -> str:
    return "" if position is None else f"{position[0]},{position[1]}"


def _profile_id(raw: str) -> int | None:
    return int(raw)


def _profile_id_text(profile_id: int | None) -> str:
    return "" if profile_id is None else str(profile_id)


REDUCED_MOTION: Final = Setting(REDUCED_MOTION_KEY, False, _flag, _flag_text)
SOUND_MODE: Final = Setting(SOUND_MODE_KEY, CueMode.OFF, _cue, _cue_text)
SOUND_VOLUME: Final = Setting(SOUND_VOLUME_KEY, DEFAULT_VOLUME_PCT, _volume_pct, str)
PACER_VISUAL: Final = Setting(PACER_VISUAL_KEY, "circle", _visual, str)
AMBIENT: Final = Setting(AMBIENT_KEY, False, _flag, _flag_text)  # off unless chosen
CHECK_IN: Final = Setting(CHECK_IN_KEY, CheckIn.ONE_QUESTION, _check_in, _check_in_text)
FOCUS_WORD: Final = Setting(FOCUS_WORD_KEY, True, _flag, _flag_text)  # the phase word in focus
EYES_CLOSED: Final = Setting(EYES_CLOSED_KEY, False, _flag, _flag_text)
LARGE_TEXT: Final = Setting(LARGE_TEXT_KEY, False, _flag, _flag_text)  # attention prompts
SPEAK_PROMPTS: Final = Setting(SPEAK_PROMPTS_KEY, False, _flag, _flag_text)
SPEECH_HUNG: Final = Setting(SPEECH_HUNG_KEY, False, _flag, _flag_text)
WHERE_FIRST: Final = Setting(WHERE_FIRST_KEY, False, _flag, _flag_text)  # before breathing
_NO_REGIONS: tuple[str, ...] = ()
LAST_PAIN: Final = Setting(LAST_PAIN_KEY, _NO_REGIONS, _regions, _regions_text)
LAST_COMFORT: Final = Setting(LAST_COMFORT_KEY, _NO_REGIONS, _regions, _regions_text)
ACTIVE_PROFILE: Final[Setting[int | None]] = Setting(
    ACTIVE_PROFILE_KEY, None, _profile_id, _profile_id_text
)
MINI_POSITION: Final[Setting[tuple[int, int] | None]] = Setting(
    MINI_POSITION_KEY, None, _position, _position_text
)


def read_setting(prefs: Preferences, setting: Setting[T]) -> T:
    """The stored value of ``setting``, or its default when it is not stored, cannot be read
    or does not make sense. Never raises."""
    try:
        raw = prefs.get(setting.key, _MISSING)
        if raw == _MISSING:
            return setting.default
        return setting.parse(raw)
    except (SafeSignalError, ValueError, TypeError):
        _log.warning("the setting %s could not be read, so it has its default", setting.key)
        return setting.default


def write_setting(prefs: Preferences, setting: Setting[T], value: T) -> bool:
    """Remember ``value`` for ``setting``; returns whether it was saved. If it cannot be saved
    (a full disk), the choice still holds for now: this never raises."""
    try:
        prefs.set(setting.key, setting.text(value))
    except SafeSignalError:
        _log.warning("could not save the setting %s", setting.key, exc_info=True)
        return False
    return True
