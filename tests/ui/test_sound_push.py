"""Tests for the push-mode output in ui/common/sound.py: the feeder that writes the mixer's sum
into the sink on a timer of the audio thread (so Python is entered ~50 times a second, not ~340)
keeps the sink's buffer at BUFFER_S, never more, tops up by what was played after a late tick,
and keeps the device's silent lead, closing tail and ``finished``. A fake clock plays the sink."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QIODevice

from tests.ui.fakes import SR
from tests.ui.test_sound import FakeSink, Server, fake_multimedia
from trainer.content.audio import CueStream, Mixer, to_pcm16
from trainer.session.clock import FakeClock
from ui.common.sound import (
    BUFFER_S,
    CLOSE_TAIL_S,
    FEED_MS,
    OPEN_LEAD_S,
    QtCueOutput,
    _end_all_threads,
    _Feeder,
    _MixerDevice,
)

BUFFER_BYTES = 2 * round(BUFFER_S * SR)


class ClockSink:
    """A push-mode sink played by a fake clock: it takes at most its buffer ahead of what has
    played (``bytesFree``); if what it holds runs out before the next write, that is a dropout
    (``dry``, filled with silence)."""

    def __init__(self, clock: FakeClock, buffer_bytes: int = BUFFER_BYTES) -> None:
        self.clock = clock
        self.buffer_bytes = buffer_bytes
        self.started_s = clock.now_s()
        self.heard = bytearray()
        self.dry = 0
        self.take_at_most: int | None = None  # a write takes no more than this (then the rest)

    def bufferSize(self) -> int:
        return self.buffer_bytes

    def queued(self) -> int:
        """Bytes written and not yet played (after noting a dropout if none are left)."""
        due = 2 * round((self.clock.now_s() - self.started_s) * SR)
        if len(self.heard) < due:
            self.dry += 1
            self.heard += bytes(due - len(self.heard))
        return len(self.heard) - due

    def bytesFree(self) -> int:
        return max(0, self.buffer_bytes - self.queued())

    def write(self, data: bytes) -> int:
        taken = min(len(data), self.bytesFree())
        if self.take_at_most is not None:
            taken = min(taken, self.take_at_most)
        self.heard += data[:taken]
        return taken


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def feeder_for(mixer: Mixer, sink: ClockSink) -> tuple[_Feeder, _MixerDevice, list[bool]]:
    finished: list[bool] = []
    device = _MixerDevice(mixer, lambda: finished.append(True))
    device.open(QIODevice.OpenModeFlag.ReadOnly)
    return _Feeder(device, sink, sink, BUFFER_BYTES), device, finished


def test_each_tick_tops_the_buffer_up_to_buffer_s_and_no_more(qapp, clock: FakeClock) -> None:
    """The lead first, then the mix, exactly; after every tick BUFFER_S is queued, never more
    (so a fade is heard as soon as with a pulling sink), and nothing runs dry."""
    mixer = Mixer(SR)
    samples = np.sin(np.linspace(0, 400, SR)) * 0.5
    samples[0] = samples[-1] = 0.0
    mixer.play(CueStream.of(samples, SR))
    sink = ClockSink(clock)
    feeder, device, _ = feeder_for(mixer, sink)
    feeder.feed()
    assert sink.queued() == BUFFER_BYTES
    for _ in range(40):
        clock.advance(FEED_MS / 1000)
        assert sink.queued() > 0
        feeder.feed()
        assert sink.queued() == BUFFER_BYTES
    assert sink.dry == 0
    lead = 2 * round(OPEN_LEAD_S * SR)
    assert bytes(sink.heard[:lead]) == bytes(lead)  # the silent lead ...
    pcm = to_pcm16(samples.astype(np.float32))
    played = bytes(sink.heard[lead:])
    assert played == pcm[: len(played)]  # ... then the cue, sample for sample
    device.close()


def test_a_late_tick_tops_up_by_what_was_played_and_nothing_runs_dry(
    qapp, clock: FakeClock
) -> None:
    mixer = Mixer(SR)
    mixer.play(CueStream.of(np.full(2 * SR, 0.25), SR))
    sink = ClockSink(clock)
    feeder, device, _ = feeder_for(mixer, sink)
    feeder.feed()
    clock.advance(FEED_MS / 1000)
    feeder.feed()
    late_s = FEED_MS / 1000 + 0.04  # a tick 40 ms late
    clock.advance(late_s)
    assert sink.queued() == BUFFER_BYTES - 2 * round(late_s * SR)  # still sound queued
    before = len(sink.heard)
    feeder.feed()
    assert len(sink.heard) - before == 2 * round(late_s * SR)  # what was played, written
    assert sink.queued() == BUFFER_BYTES
    assert sink.dry == 0
    clock.advance(BUFFER_S + 0.01)  # a tick later than the whole buffer: a dropout, then ...
    feeder.feed()
    assert sink.dry == 1
    assert sink.queued() == BUFFER_BYTES  # ... topped up again at once
    device.close()


def test_a_write_the_sink_takes_only_in_part_loses_nothing(qapp, clock: FakeClock) -> None:
    mixer = Mixer(SR)
    samples = np.sin(np.linspace(0, 300, SR // 2)) * 0.5
    mixer.play(CueStream.of(samples, SR))
    sink = ClockSink(clock)
    sink.take_at_most = 1000  # bytes a write
    feeder, device, _ = feeder_for(mixer, sink)
    for _ in range(60):
        feeder.feed()
        clock.advance(0.005)
    lead = 2 * round(OPEN_LEAD_S * SR)
    played = bytes(sink.heard[lead:])
    assert len(played) > 10_000
    assert played == to_pcm16(samples.astype(np.float32))[: len(played)]
    device.close()


def test_the_closing_tail_is_written_then_finished_is_told(qapp, clock: FakeClock) -> None:
    """Closing: the cue, then CLOSE_TAIL_S of silence (longer than the buffer, so the cue has
    been played out when the stream is let go), then ``finished``; nothing more is written."""
    mixer = Mixer(SR)
    cue = np.full(SR // 10, 0.25)
    mixer.play(CueStream.of(cue, SR))
    sink = ClockSink(clock)
    feeder, device, finished = feeder_for(mixer, sink)
    device.closing = True
    for _ in range(100):
        feeder.feed()
        clock.advance(FEED_MS / 1000)
        if device.finished:
            break
    assert device.finished
    assert sink.dry == 0
    lead, tail = round(OPEN_LEAD_S * SR), round(CLOSE_TAIL_S * SR)
    assert len(sink.heard) == 2 * (lead + len(cue) + tail)
    heard = np.frombuffer(bytes(sink.heard), "<i2")
    assert np.all(heard[lead : lead + len(cue)] != 0)
    assert not np.any(heard[lead + len(cue) :])  # the tail is silent
    assert CLOSE_TAIL_S > BUFFER_S
    QCoreApplication.processEvents()
    assert finished == [True]  # told on the device's thread after the write
    written = len(sink.heard)
    clock.advance(FEED_MS / 1000)
    feeder.feed()
    assert len(sink.heard) == written  # nothing after the end
    device.close()


class PullOnlySink(FakeSink):
    """A backend that cannot be written to: ``start()`` with no device gives nothing."""

    PULL_ONLY = True


@pytest.fixture
def pull_only(qapp, monkeypatch) -> Iterator[Server]:
    made = Server(PullOnlySink)
    fake_multimedia(monkeypatch, made)
    yield made
    _end_all_threads()


def test_a_sink_that_cannot_be_written_to_reads_the_mixer_instead(pull_only: Server) -> None:
    output = QtCueOutput(SR)
    samples = np.full(SR // 2, 0.25)
    output.play(CueStream.of(samples, SR), replace=False)
    output.wait_for_audio_thread()
    assert output.is_open
    (sink,) = pull_only.sinks
    assert sink.source is not None
    assert not sink.pushed
    heard = np.concatenate([pull_only.play(SR // 60) for _ in range(30)])
    assert np.max(heard) == pytest.approx(0.25, abs=1e-3)
    assert output.poll() is None
    output.end()


def test_the_output_pushes_the_sum_into_the_sink(qapp, monkeypatch) -> None:
    server = Server()
    fake_multimedia(monkeypatch, server)
    try:
        output = QtCueOutput(SR)
        output.play(CueStream.of(np.full(SR // 2, 0.25), SR), replace=False)
        output.wait_for_audio_thread()
        (sink,) = server.sinks
        assert sink.pushed
        assert sink.source is None
        assert len(sink.queue) == sink.buffer_bytes == BUFFER_BYTES  # topped up to BUFFER_S
        heard = np.concatenate([server.play(SR // 60) for _ in range(10)])
        assert np.max(heard) == pytest.approx(0.25, abs=1e-3)
        output.end()
    finally:
        _end_all_threads()
