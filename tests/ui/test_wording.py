"""What the shipped words may claim: no flat promise that a sensation is safe, no "deep"
breathing advice. Checks every guided script, the exercise catalog, help, the welcome and every
string written in the code of the screens and the core."""

from __future__ import annotations

import ast
import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from trainer.app.words import WHERE_IT_HURTS
from trainer.content.catalog import Catalog
from trainer.content.scripts import Script, load_scripts
from trainer.session.machine import Ratings, SessionStatus
from trainer.store.sessions import StoredSession
from ui.practice.summary import SummaryScreen
from ui.shell.help import SHORTCUTS, figures_html, sources_html
from ui.shell.welcome import HELP_TEXT, NOT_MEDICAL_ADVICE, PAIN_TEXT
from ui.widgets.rating_scale import RatingScale

ROOT = Path(__file__).resolve().parents[2]

# A sentence that says outright that a sensation (or the body) is safe or harmless. "Safe to
# notice" is about noticing, not about the sensation, and is allowed; so is a sentence that
# hedges through the person's clinician ("if your clinician has told you...").
FLAT_CLAIMS = (
    re.compile(r"\bnot a sign of (danger|damage|harm)\b"),
    re.compile(r"\bnot a threat\b"),
    re.compile(
        r"\b(it|this|that|they|both|sensations?|feelings?|pain|(the|your) body)\s+(is|are)\s+"
        r"safe\b(?!\s+to\b)"
    ),
)
HEDGE = re.compile(r"\bclinician\b")
DEEP = re.compile(r"\bdeep(ly|er)?\b")
# "Deep" may be said only to say not to breathe deeply.
NOT_DEEP = re.compile(r"\b(not|no need to breathe|never) deeply\b")


def plain(text: str) -> str:
    """Markup taken out and spaces evened, lower case."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()).lower()


def sentences(text: str) -> Iterator[str]:
    yield from (s.strip() for s in re.split(r"(?<=[.!?;])\s+", plain(text)) if s.strip())


def script_texts(scripts: tuple[Script, ...]) -> Iterator[tuple[str, str]]:
    for script in scripts:
        for field in (script.title, script.description, script.source):
            yield script.id, field
        for version in script.versions:
            for step in version.steps:
                yield f"{script.id} {version.minutes} min {step.start_s:g} s", step.text


def code_strings() -> Iterator[tuple[str, str]]:
    """Every string literal (and f-string's literal parts) in ui/ and trainer/."""
    for folder in ("ui", "trainer"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", node.value


@pytest.fixture(scope="module")
def shipped(catalog: Catalog) -> list[tuple[str, str]]:
    scripts = load_scripts()
    texts = list(script_texts(scripts))
    for exercise in catalog.exercises:
        texts += [(exercise.id, exercise.description), (exercise.id, exercise.source)]
    texts += [("help: sources", sources_html(catalog, scripts)), ("help: figures", figures_html())]
    texts += [("welcome", PAIN_TEXT), ("welcome", HELP_TEXT), ("welcome", NOT_MEDICAL_ADVICE)]
    texts += list(code_strings())
    return texts


def flat_claims(texts: list[tuple[str, str]]) -> list[str]:
    found = []
    for where, text in texts:
        for sentence in sentences(text):
            if HEDGE.search(sentence):
                continue
            if any(claim.search(sentence) for claim in FLAT_CLAIMS):
                found.append(f"{where}: {sentence}")
    return found


def test_the_check_catches_the_flat_claims_it_is_for() -> None:
    caught = flat_claims(
        [
            ("a", "This sensation is real. It is also not a sign of danger."),
            ("b", "Gentle attention can teach your brain that sensations are safe."),
            ("c", "Each calm moment tells your brain a little more clearly: this is safe."),
            ("d", "You are showing your brain that this feeling is not a threat."),
            ("e", "<p>It can learn that the body is safe.</p>"),
        ]
    )
    assert [c[0] for c in caught] == ["a", "b", "c", "d", "e"]
    allowed = [
        ("f", "The sensation is real, and it is safe to notice it for a moment."),
        ("g", "If your clinician has told you it is not a sign of damage, it may ease."),
        ("h", "Your brain can learn to treat it as safe."),
    ]
    assert flat_claims(allowed) == []


def test_no_shipped_text_says_flatly_that_a_sensation_is_safe(shipped) -> None:
    assert flat_claims(shipped) == []


def test_the_welcome_says_the_exercises_are_for_pain_a_clinician_has_checked() -> None:
    text = plain(PAIN_TEXT)
    assert "not all lasting pain is neuroplastic" in text
    assert "pain a clinician has checked" in text


# Words that give practice the credit for a change: the figures show how ratings move alongside
# practice, never what caused a change.
CAUSAL_CLAIMS = (
    re.compile(r"\b(practice|it|this|the app) (is|are) helping\b"),
    re.compile(r"\bwhat helps you\b"),
    re.compile(r"\bshows? (how|that) (practice|it|this) (helps|works|is working)\b"),
)


def test_the_check_catches_the_causal_claims_it_is_for() -> None:
    assert all(
        any(claim.search(plain(text)) for claim in CAUSAL_CLAIMS)
        for text in (
            "Changes over weeks, not one session, show how practice is helping.",
            "Over the weeks you can see what helps you.",
        )
    )


def test_no_shipped_text_credits_practice_with_a_change(shipped) -> None:
    found = [
        f"{where}: {sentence}"
        for where, text in shipped
        for sentence in sentences(text)
        if any(claim.search(sentence) for claim in CAUSAL_CLAIMS)
    ]
    assert found == []


def test_the_summary_and_the_welcome_say_what_the_figures_can_show(qtbot) -> None:
    from ui.practice.summary import SummaryScreen

    summary = SummaryScreen()
    qtbot.addWidget(summary)
    for text in (summary.note.text(), HELP_TEXT):
        assert "how your ratings move alongside your practice" in plain(text)
    assert "not what caused a change" in plain(summary.note.text())


BREATH_WORDS = re.compile(r"\b(breath|breaths|breathe|breathing|rhythm|in for|inhale)\b")


def deep_advice(texts: list[tuple[str, str]]) -> list[str]:
    """Sentences about breathing that use "deep", other than to say not to breathe deeply."""
    return [
        f"{where}: {sentence}"
        for where, text in texts
        for sentence in sentences(text)
        if BREATH_WORDS.search(sentence) and DEEP.search(NOT_DEEP.sub("", sentence))
    ]


def test_the_deep_check_catches_deep_advice_and_allows_not_deeply() -> None:
    assert deep_advice([("a", "In for 7, out for 11. A deep, unhurried rhythm.")]) != []
    assert deep_advice([("b", "Take a deep breath.")]) != []
    assert deep_advice([("c", "Breathe gently, not deeply.")]) == []
    assert deep_advice([("d", "A value is nested far too deep.")]) == []


def test_deep_is_never_breathing_advice(shipped) -> None:
    assert deep_advice(shipped) == []


# -- one name for each thing, said plainly (issue 18's wording findings) --------------------------

OTHER_NAMES_OF_WHERE_IT_HURTS = re.compile(r"\bwhere (do )?you feel it\b")


def test_where_it_hurts_has_one_name_everywhere(shipped, qtbot, window) -> None:
    other = [where for where, text in shipped if OTHER_NAMES_OF_WHERE_IT_HURTS.search(plain(text))]
    assert other == []
    assert window.home.where_first.text().replace("&", "") == WHERE_IT_HURTS
    assert WHERE_IT_HURTS in [title for title, _keys in SHORTCUTS]  # Help's keys
    window.switch_buttons.button(1).click()
    window.attention_home.start()
    assert window.stack.currentWidget() is window.where
    assert window.where.accessibleName() == WHERE_IT_HURTS
    assert WHERE_IT_HURTS in [label.text() for label in window.where.findChildren(QLabel)]


def test_the_skip_choice_under_a_scale_says_it_plainly(qtbot, clock) -> None:
    scale = RatingScale("Easy and calming", clock)  # the pace finder's scale
    qtbot.addWidget(scale)
    skip = next(
        b for b in scale.findChildren(QPushButton) if b.isCheckable() and b.text()[0] == "S"
    )
    assert skip.text() == "Skip this rating"
    assert skip.accessibleName() == "Skip the easy and calming rating"
    code = [text for _where, text in code_strings()]
    assert not any(re.search(r"\bskip \{?name", text.lower()) for text in code)


def test_a_pair_rated_neither_time_says_not_rated_once(qtbot) -> None:
    screen = SummaryScreen()
    qtbot.addWidget(screen)
    screen.show_session(
        StoredSession(
            id=1,
            profile_id=1,
            exercise_id="coherent",
            kind="breathing",
            settings={"title": "Coherent breathing"},
            started_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
            ended_at=datetime(2026, 11, 20, 8, 5, tzinfo=UTC),
            planned_s=300.0,
            practised_s=300.0,
            status=SessionStatus.COMPLETED,
            before=Ratings(None, 6),
            after=Ratings(None, 4),
            notes="",
        )
    )
    assert screen.tension.text() == "not rated"
    assert screen.pain.text() == "6 → 4"
