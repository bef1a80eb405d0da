"""Shared test set-up: every Qt test runs on the offscreen platform, with no window shown."""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
