"""Finding saved changes SQLite is about to drop from a damaged write-ahead log, before it does.

SQLite keeps new changes in ``safesignal.db-wal`` until a checkpoint copies them into the file.
When it opens a database after a crash it reads that log frame by frame and keeps everything up
to the last commit whose checksums hold; the rest it ignores without a word. Most of what it
ignores is normal: a kill or a power cut in the middle of a write leaves the last, unfinished
transaction behind (the program never heard "saved"), or frames of an older round of the log
(another salt) that a checkpoint already copied. What is *not* normal is a transaction that was
written whole and then became unreadable: a damaged disk block, a file changed by another
program, a power cut that kept the file's length but not its contents. That was saved, and it
is lost.

:func:`scan_wal` reads the log once, in chunks, and tells the two apart (the format is SQLite's,
https://www.sqlite.org/fileformat2.html#walformat). The rule, frame by frame of the current salt:

- the chain of checksums breaks at a frame (bad checksum, or page number 0): SQLite drops that
  frame and everything after it;
- a commit frame it drops was *saved* when it was written whole: another frame of the current
  salt was begun after it (the writer went on), or it ends the file exactly (a write cut short
  leaves the file shorter than a whole frame, since a file grows only as its bytes arrive);
- a last frame cut short (the file ends inside it) is the normal trace of a kill and is never
  reported, nor is a commit frame followed only by frames of an older salt (the one case a
  torn write and damage look alike: the frame's header written over a reused log, its page not
  yet).

A log whose own header is unreadable is dropped whole by SQLite; its commit frames (of the salt
its first frame carries) count as lost the same way.

:func:`find_lost_tail` is what the store calls before it opens a file: when saved changes would
be lost it copies the log aside (``safesignal.db-wal.damaged-<time>``, 0600) before SQLite
touches it and returns what to tell the person, once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Final

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

WAL_HEADER_SIZE: Final = 32
FRAME_HEADER_SIZE: Final = 24
_MAGIC_LITTLE: Final = 0x377F0682  # checksums read the words little-endian
_MAGIC_BIG: Final = 0x377F0683  # ... big-endian
_VERSION: Final = 3007000
_MASK: Final = 0xFFFFFFFF
# Read this much of the log at a time (whole frames): a 50 MB log never sits in memory at once.
_CHUNK_BYTES: Final = 4 * 1024 * 1024
# Below this many bytes of frames the checksums are summed in plain Python (about 25 ms a
# megabyte), unless numpy is loaded already: importing it at start-up costs about 100 ms. Above
# it numpy sums a chunk of frames at once (about 1 ms a megabyte).
_NUMPY_FROM_BYTES: Final = 4 * 1024 * 1024
_STAMP: Final = "%Y%m%d-%H%M%S"

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WalScan:
    """What one reading of a -wal found (frames are counted from 1, as SQLite counts them)."""

    size: int  # bytes in the file
    header_ok: bool  # magic, version, page size and the header's own checksum hold
    page_size: int  # 0 when the header does not say a usable one
    frames: int  # whole frames in the file
    kept_frames: int  # frames SQLite keeps: up to its last valid commit
    first_bad: int | None  # the frame of the current salt where the checksum chain breaks
    dropped_frames: int  # frames of the current salt SQLite drops from there on
    lost_commits: int  # of those, commit frames that were written whole: saved, and lost
    torn_bytes: int  # bytes of a last frame cut short (normal after a kill)

    @property
    def loses_saved_data(self) -> bool:
        """Whether opening the database would silently drop changes that had been saved."""
        return self.lost_commits > 0


@dataclass(frozen=True)
class LostTail:
    """Saved changes a damaged -wal holds that SQLite cannot read, and where the log was copied."""

    wal: Path
    scan: WalScan
    copy: Path | None  # the copy set aside; None when it could not be made (see ``why_no_copy``)
    why_no_copy: str | None = None

    @property
    def message(self) -> str:
        """What to tell the person, once, in plain words."""
        if self.copy is not None:
            kept = (
                f"A copy of the damaged part was set aside as {self.copy}, in case it can be "
                "read back later."
            )
        else:
            kept = (
                "A copy of the damaged part could not be set aside"
                f"{f' ({self.why_no_copy})' if self.why_no_copy else ''}."
            )
        return (
            "Some of your most recent changes could not be read back, most likely after a "
            "crash, a power cut or a disk problem; it is not something you did. Everything "
            "saved before them is kept and Safe Signal works as usual, but the last sessions or "
            f"ratings saved before it stopped may be missing from your history. {kept}"
        )


def scan_wal(path: Path) -> WalScan | None:
    """Read the -wal at ``path`` once and say what SQLite will keep and drop; ``None`` when
    there is no such file."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below; opened once, read in chunks)
    except FileNotFoundError:
        return None
    with handle:
        size = os.fstat(handle.fileno()).st_size  # what is beyond it now is not looked at
        header = handle.read(WAL_HEADER_SIZE) if size >= WAL_HEADER_SIZE else b""
        if len(header) < WAL_HEADER_SIZE:
            return WalScan(size, False, 0, 0, 0, None, 0, 0, size)
        magic, version, page_size, _seq, salt1, salt2, ck1, ck2 = struct.unpack(">8I", header)
        page_ok = 512 <= page_size <= 65536 and page_size & (page_size - 1) == 0
        big = magic == _MAGIC_BIG
        header_ok = (
            magic in (_MAGIC_LITTLE, _MAGIC_BIG)
            and version == _VERSION
            and page_ok
            and _sums_python(_words(header[:24], big), 0, 0) == (ck1, ck2)
        )
        if not page_ok:  # frames cannot even be told apart
            return WalScan(size, False, 0, 0, 0, None, 0, 0, size - WAL_HEADER_SIZE)
        frame_size = FRAME_HEADER_SIZE + page_size
        frames = (size - WAL_HEADER_SIZE) // frame_size
        torn = (size - WAL_HEADER_SIZE) % frame_size
        use_numpy = _numpy_pays(frames * frame_size)
        salt: tuple[int, int] | None = (salt1, salt2) if header_ok else None
        previous = (ck1, ck2)
        chain_ok = header_ok
        kept = 0
        first_bad: int | None = 0 if not header_ok else None
        dropped = 0
        lost = 0
        pending_commit = False  # a dropped commit frame not yet known to be written whole
        in_salt = True  # still in the frames of the current salt
        index = 0
        for chunk in _chunks(handle, frames, frame_size):
            count = len(chunk) // frame_size
            heads = [
                struct.unpack_from(">6I", chunk, n * frame_size) for n in range(count)
            ]  # page, commit size, salt 1, salt 2, checksum 1, checksum 2
            if salt is None and heads:  # an unreadable header: the salt its first frame has
                salt = (heads[0][2], heads[0][3])
            sums_ok = (
                _check_numpy(chunk, count, page_size, big, previous, heads)
                if use_numpy and chain_ok
                else None
            )
            for n, (page, commit, s1, s2, c1, c2) in enumerate(heads):
                index += 1
                if not in_salt:
                    break
                if (s1, s2) != salt:  # frames of an older round: the log ends here for SQLite
                    in_salt = False
                    break
                if chain_ok:
                    if sums_ok is not None:
                        good = page != 0 and sums_ok[n]
                    else:
                        frame = chunk[n * frame_size : (n + 1) * frame_size]
                        data = frame[:8] + frame[FRAME_HEADER_SIZE:]
                        good = page != 0 and _sums_python(_words(data, big), *previous) == (c1, c2)
                    if good:
                        previous = (c1, c2)
                        if commit:
                            kept = index
                        continue
                    chain_ok = False
                    first_bad = index
                # Dropped: the chain broke here or before.
                dropped += 1
                if pending_commit:  # the writer went on past the commit before: it was whole
                    lost += 1
                pending_commit = commit != 0
            if not in_salt:
                break
        if pending_commit:
            # The last dropped commit frame of the salt: whole if a frame was begun after it
            # (the header of a frame cut short carries the salt) or if it ends the file.
            if in_salt and index == frames and torn == 0:
                lost += 1
            elif in_salt and index == frames and torn >= FRAME_HEADER_SIZE and salt is not None:
                handle.seek(WAL_HEADER_SIZE + frames * frame_size)
                head = handle.read(FRAME_HEADER_SIZE)
                if len(head) == FRAME_HEADER_SIZE and struct.unpack(">6I", head)[2:4] == salt:
                    lost += 1
        if first_bad == 0:
            first_bad = 1 if dropped else None
        return WalScan(size, header_ok, page_size, frames, kept, first_bad, dropped, lost, torn)


def find_lost_tail(db_path: Path, now: datetime, *, set_aside: bool = True) -> LostTail | None:
    """Before ``db_path`` is opened: whether its -wal holds saved changes SQLite would drop.
    When it does, the log is copied aside (unless ``set_aside`` is false: a folder that is only
    read) and what to tell the person is returned. Said once: a log already set aside as it is
    now (same size and time) is not reported again. Never raises; a log that cannot be read is
    left for SQLite, and logged."""
    wal = Path(f"{db_path}-wal")
    try:
        scan = scan_wal(wal)
    except OSError as exc:
        _log.warning("could not look at %s: %s", wal, exc)
        return None
    if scan is None or not scan.loses_saved_data:
        return None
    _log.warning(
        "%s: %d saved change(s) SQLite cannot read (%d of %d frames dropped)",
        wal,
        scan.lost_commits,
        scan.dropped_frames,
        scan.frames,
    )
    if not set_aside:
        return LostTail(wal, scan, None, "the data folder is only read, so it is left as it was")
    try:
        if _already_set_aside(wal):
            return None
        copy = _copy_aside(wal, now)
    except OSError as exc:
        _log.warning("could not copy %s aside: %s", wal, exc)
        return LostTail(wal, scan, None, exc.strerror or str(exc))
    return LostTail(wal, scan, copy)


def _already_set_aside(wal: Path) -> bool:
    """Whether a copy of ``wal`` as it is now (same size, same modification time) is there."""
    now = wal.stat()
    for other in wal.parent.glob(f"{wal.name}.damaged-*"):
        with contextlib.suppress(OSError):
            was = other.stat()
            if was.st_size == now.st_size and was.st_mtime_ns == now.st_mtime_ns:
                return True
    return False


def _copy_aside(wal: Path, now: datetime) -> Path:
    """Copy ``wal`` to a new ``<name>.damaged-<time>`` beside it (0600, its time kept)."""
    stamp = now.astimezone(UTC).strftime(_STAMP)
    target = wal.with_name(f"{wal.name}.damaged-{stamp}")
    number = 2
    while True:
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            target = wal.with_name(f"{wal.name}.damaged-{stamp}~{number}")
            number += 1
    try:
        with open(fd, "wb") as out, open(wal, "rb") as source:
            while block := source.read(_CHUNK_BYTES):
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(target, 0o600)  # whatever the umask
        found = wal.stat()
        os.utime(target, ns=(found.st_atime_ns, found.st_mtime_ns))
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return target


def _chunks(handle: BinaryIO, frames: int, frame_size: int) -> Iterator[bytes]:
    """The whole frames of the log, a few megabytes at a time."""
    per_chunk = max(1, _CHUNK_BYTES // frame_size)
    left = frames
    read = handle.read
    while left > 0:
        count = min(per_chunk, left)
        data = read(count * frame_size)
        whole = len(data) // frame_size
        if whole == 0:
            return
        yield data[: whole * frame_size]
        left -= whole
        if whole < count:
            return


def _numpy_pays(frame_bytes: int) -> bool:
    """Whether numpy sums the checksums of this many bytes of frames (see _NUMPY_FROM_BYTES)."""
    return frame_bytes >= _NUMPY_FROM_BYTES or ("numpy" in sys.modules and frame_bytes > 65536)


def _words(data: bytes, big: bool) -> tuple[int, ...]:
    return struct.unpack(f"{'>' if big else '<'}{len(data) // 4}I", data)


def _sums_python(words: tuple[int, ...], s0: int, s1: int) -> tuple[int, int]:
    """SQLite's WAL checksum of ``words``, carried on from ``(s0, s1)``."""
    it = iter(words)
    for first, second in zip(it, it, strict=True):
        s0 = (s0 + first + s1) & _MASK
        s1 = (s1 + second + s0) & _MASK
    return s0, s1


def _check_numpy(
    chunk: bytes,
    count: int,
    page_size: int,
    big: bool,
    previous: tuple[int, int],
    heads: list[tuple[int, ...]],
) -> list[bool]:
    """For each frame of ``chunk``, whether its checksum holds, carried on from the checksum
    its frame header before it stores (``previous`` for the first): while the chain holds the
    stored and the computed sums are the same, so every frame can be summed at once.

    One step of the sum maps (s0, s1) to (s0 + s1 + a, s0 + 2 s1 + a + b), a linear map M plus
    (a, a + b); n steps are M^n applied to the start plus the sum of M^(n-j) (a_j, a_j + b_j),
    all modulo 2^32, which numpy's unsigned 32-bit arithmetic does by itself."""
    import numpy as np

    frame_size = FRAME_HEADER_SIZE + page_size
    words = np.frombuffer(chunk, dtype=">u4" if big else "<u4", count=count * frame_size // 4)
    words = words.reshape(count, frame_size // 4).astype(np.uint32)
    data = np.concatenate((words[:, :2], words[:, FRAME_HEADER_SIZE // 4 :]), axis=1)
    first, second = data[:, 0::2], data[:, 1::2]
    steps = first.shape[1]
    q00, q01, q10, q11, power = _powers(steps)
    both = first + second
    c0 = (first * q00 + both * q01).sum(axis=1, dtype=np.uint32)
    c1 = (first * q10 + both * q11).sum(axis=1, dtype=np.uint32)
    stored = np.array([head[4:6] for head in heads], dtype=np.uint32)
    start = np.empty_like(stored)
    start[0] = previous
    start[1:] = stored[:-1]
    s0 = power[0] * start[:, 0] + power[1] * start[:, 1] + c0
    s1 = power[2] * start[:, 0] + power[3] * start[:, 1] + c1
    good: npt.NDArray[np.bool_] = (s0 == stored[:, 0]) & (s1 == stored[:, 1])
    return [bool(value) for value in good]


def _powers(
    steps: int,
) -> tuple[
    npt.NDArray[np.uint32],
    npt.NDArray[np.uint32],
    npt.NDArray[np.uint32],
    npt.NDArray[np.uint32],
    npt.NDArray[np.uint32],
]:
    """M^(steps-j) for j = 1..steps (its four entries, each an array) and M^steps."""
    import numpy as np

    entries = np.empty((steps + 1, 4), dtype=np.uint32)
    m00, m01, m10, m11 = 1, 0, 0, 1  # M^0
    for k in range(steps + 1):
        entries[steps - k] = (m00, m01, m10, m11)  # row steps-k holds M^k
        # M^(k+1) = M^k @ [[1, 1], [1, 2]]
        m00, m01, m10, m11 = (
            (m00 + m01) & _MASK,
            (m00 + 2 * m01) & _MASK,
            (m10 + m11) & _MASK,
            (m10 + 2 * m11) & _MASK,
        )
    # entries[j] = M^(steps-j): rows 1..steps are the weights, row 0 is M^steps.
    weights = entries[1:]
    return weights[:, 0], weights[:, 1], weights[:, 2], weights[:, 3], entries[0]
