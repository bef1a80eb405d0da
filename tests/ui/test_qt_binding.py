"""Guards against a Qt binding that corrupts Python's reference counts.

PySide6-Essentials 6.12.0 released a reference to ``None`` on every call of a method returning
nothing. On Python 3.11 ``None`` is an ordinary object, so after some thousands of calls (a few
seconds of animation at 60 frames a second) Python aborts with "deallocating None". This test makes
such a release fail here, instead of in a person's practice session.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap

CALLS = 2_000  # few enough that a leaking binding fails this test rather than aborting


def test_void_calls_keep_none_alive(qapp):
    pixmap = QPixmap(64, 64)
    pen = QPen(QColor("#3d9a93"))
    before = sys.getrefcount(None)
    for _ in range(CALLS // 5):  # five calls that return nothing per round
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen.setWidthF(2.0)
        painter.setPen(pen)
        painter.drawEllipse(QPointF(32, 32), 20.0, 20.0)
        painter.end()
    lost = before - sys.getrefcount(None)
    assert lost < 100, f"{lost} references to None were lost over {CALLS} calls into Qt"
