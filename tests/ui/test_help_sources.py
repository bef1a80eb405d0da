"""Help's sources say what each study tested, on whom, and no more than it found."""

from __future__ import annotations

import html
import re

import pytest

from trainer.content.catalog import Catalog
from trainer.content.scripts import Script, load_scripts
from ui.shell.help import REFERENCES, sources_html


@pytest.fixture(scope="module")
def scripts() -> tuple[Script, ...]:
    return load_scripts()


def plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def study(who: str) -> str:
    (found,) = [found for name, _link, found in REFERENCES if name.startswith(who)]
    return found


def test_the_prt_trial_is_described_as_what_it_was_and_the_app_as_untested(
    catalog: Catalog, scripts
) -> None:
    ashar = study("Ashar et al. 2022")
    assert "eight sessions with a therapist" in ashar
    assert "screened" in ashar
    assert "back pain" in ashar
    assert "Safe Signal itself has not been tested in a trial" in ashar
    page = plain(sources_html(catalog, scripts))
    assert "Safe Signal itself has not been tested in a trial" in page
    tracking = next(s for s in scripts if s.id == "somatic-tracking")
    assert "eight therapist-led sessions" in tracking.source
    assert "has not been tested in a trial" in tracking.source


def test_find_my_pace_is_not_credited_with_the_heart_rate_method() -> None:
    shaffer = study("Shaffer & Meehan 2020")
    assert "largest heart-rate swing" in shaffer
    assert "Find my pace has no sensor" in shaffer
    assert "comfortable slow pace, not a measured resonance rate" in shaffer
    assert "(how Find my pace works)" not in shaffer
