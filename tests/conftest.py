"""Shared test set-up: every Qt test runs on the offscreen platform, with no window shown, and
hypothesis runs reproducibly.

Loaded by the core-only run too (.ci/pytest-core.ini), so it must not import Qt.
"""

import os

from hypothesis import HealthCheck, settings

os.environ["QT_QPA_PLATFORM"] = "offscreen"

# Property-based tests (tests/trainer/test_hostile_*.py): the same examples on every run, so CI
# is reproducible, and no per-example deadline (a shared machine can be slow). HYPOTHESIS_PROFILE
# picks another profile, such as "thorough" for a longer local search.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=200,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", parent=settings.get_profile("ci"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
