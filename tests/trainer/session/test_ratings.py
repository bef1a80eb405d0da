"""Tests for trainer/session/ratings.py: the 0-10 scale, where a skip is None and never 0."""

from __future__ import annotations

import math

import pytest

from trainer.errors import RatingError, SafeSignalError
from trainer.session.ratings import RATING_MAX, RATING_MIN, validate_rating


def test_scale_is_zero_to_ten() -> None:
    assert (RATING_MIN, RATING_MAX) == (0, 10)


@pytest.mark.parametrize("value", range(11))
def test_whole_numbers_zero_to_ten_are_accepted(value: int) -> None:
    result = validate_rating(value, "pain")
    assert result == value
    assert type(result) is int


def test_skip_is_none() -> None:
    assert validate_rating(None, "tension") is None


@pytest.mark.parametrize("value", [-1, 11, 100, -100])
def test_out_of_range_is_rejected(value: int) -> None:
    with pytest.raises(RatingError, match=r"The pain rating must be from 0 \(none\) to 10") as exc:
        validate_rating(value, "pain")
    assert str(value) in str(exc.value)


@pytest.mark.parametrize(
    "value", [5.5, 5.0, math.nan, True, False, "7", "", b"7", [7], object()], ids=repr
)
def test_non_integers_are_rejected(value: object) -> None:
    with pytest.raises(RatingError, match="The tension rating must be a whole number from 0 to 10"):
        validate_rating(value, "tension")


@pytest.mark.parametrize("what", ["tension", "pain"])
def test_message_names_the_scale(what: str) -> None:
    with pytest.raises(RatingError) as excinfo:
        validate_rating(12, what)
    assert what in str(excinfo.value)


def test_rating_error_is_for_the_user_and_a_value_error() -> None:
    assert issubclass(RatingError, SafeSignalError)
    assert issubclass(RatingError, ValueError)
