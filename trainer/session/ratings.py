"""The 0-10 Numeric Rating Scale for tension and pain, validated at the core."""

from __future__ import annotations

from typing import Final

from trainer.errors import RatingError

RATING_MIN: Final = 0
RATING_MAX: Final = 10


def validate_rating(value: object, what: str) -> int | None:
    """Return ``value`` as a rating 0-10, or ``None`` when the person chose to skip it.

    ``what`` names the scale ("tension", "pain") for the message. A skipped rating is ``None``,
    never 0: 0 means "none at all", which is an answer, not a skip.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RatingError(
            f"The {what} rating must be a whole number from {RATING_MIN} to {RATING_MAX} "
            f"(or skipped); got {value!r}."
        )
    if not RATING_MIN <= value <= RATING_MAX:
        raise RatingError(
            f"The {what} rating must be from {RATING_MIN} (none) to {RATING_MAX} "
            f"(worst imaginable); got {value}."
        )
    return value
