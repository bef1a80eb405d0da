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


def test_cyclic_sighing_and_four_seven_eight_claim_no_more_than_is_known(catalog: Catalog) -> None:
    balban = study("Balban et al. 2023")
    assert "Healthy volunteers" in balban
    assert "improved mood" in balban
    assert "small margin" in balban
    assert "the most" not in balban
    sighing = catalog.get("cyclic-sighing").source
    assert "healthy volunteers" in sighing
    assert "small margin" in sighing
    assert "most" not in sighing
    four = catalog.get("four-seven-eight").source
    assert "Andrew Weil" in four
    assert "little research" in four


@pytest.mark.parametrize(
    ("script_id", "cited"),
    [
        ("body-scan", "Kabat-Zinn"),
        ("attention-shifting", "Eccleston"),
        ("breath-counting", "Levinson et al."),
    ],
)
def test_attention_exercises_name_a_source_listed_among_the_studies(
    catalog: Catalog, scripts, script_id, cited
) -> None:
    source = next(s for s in scripts if s.id == script_id).source
    assert re.search(rf"{cited}.*(19|20)\d\d", source), source
    assert any(name.startswith(cited) for name, _link, _found in REFERENCES)
    assert cited in plain(sources_html(catalog, scripts))
