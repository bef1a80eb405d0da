"""The data folder's permissions and the commands (issue 17). ``export`` and ``report`` on a
folder this user may not write to: they only
read, so they run, and the folder is left exactly as it was (no lock file, no -wal, no -shm).
A folder others may open is made private, and said once.

The tests may run as root, who can write anywhere: then the command runs as the user "nobody"
(with ``setpriv``), for whom the folder really is read-only."""

from __future__ import annotations

import functools
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.trainer.conftest import add_finished
from trainer.content.breathing import BreathingPattern
from trainer.safety.paths import DB_FILENAME
from trainer.session.machine import Ratings
from trainer.store.store import Store

T0 = datetime(2024, 5, 1, 9, 30, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]
AS_ROOT = os.geteuid() == 0


def _other_user() -> list[str]:
    """The command prefix that runs a program as a user who may not write the folder."""
    if not AS_ROOT:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a folder read-only")
    prefix = [setpriv, "--reuid", "nobody", "--regid", "nogroup", "--clear-groups"]
    if not _can_run_as(tuple(prefix)):
        pytest.skip("the user nobody cannot run this Python, its packages or this checkout here")
    return prefix


@functools.cache
def _can_run_as(prefix: tuple[str, ...]) -> bool:
    """Whether the other user can start this Python and import the project and what its
    commands load (a checkout or a virtual environment under a private folder, as on some CI
    machines, is out of its reach)."""
    probe = (
        f"import sys; sys.path.insert(0, {str(REPO)!r}); import trainer.cli, sqlite_utils, numpy"
    )
    run = subprocess.run(
        [*prefix, sys.executable, "-c", probe],
        capture_output=True,
        timeout=60,
        cwd="/",
        check=False,
    )
    return run.returncode == 0


@pytest.fixture
def place() -> Iterator[Path]:
    """A temporary folder the other user can reach (pytest's own is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="safesignal-ro-test-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for inner in folder.rglob("*"):
            if inner.is_dir():
                inner.chmod(0o700)
        shutil.rmtree(folder)


def _fill(store: Store, box: BreathingPattern, days: range) -> None:
    first = T0 + timedelta(days=days.start)
    step = timedelta(days=1)
    add_finished(
        store, box, len(days), first=first, step=step, after=Ratings(3, None), practised_s=304.0
    )


def _read_only(folder: Path) -> dict[str, bytes]:
    """Make ``folder`` read-only for the other user; return what is in it."""
    if AS_ROOT:
        for inner in (folder, *folder.iterdir()):
            os.chown(inner, 65534, -1)  # nobody
    for inner in folder.iterdir():
        inner.chmod(0o600)
    folder.chmod(0o500)
    return {inner.name: inner.read_bytes() for inner in folder.iterdir()}


_RUN = """
import sys
from datetime import UTC, datetime
sys.path.insert(0, {repo!r})
from trainer.cli import main

def draw(out, *, table, **_):
    with open(out, "w") as f:
        f.write("pdf")
    return len(table)

sys.exit(main(sys.argv[1:], now=lambda: datetime(2024, 6, 1, tzinfo=UTC), tz=UTC,
              write_report=draw))
"""


def _run(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_other_user(), sys.executable, "-c", _RUN.format(repo=str(REPO)), *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
        check=False,
    )


def test_export_runs_on_a_read_only_folder_and_leaves_it_as_it_was(
    place: Path, box: BreathingPattern
) -> None:
    data = place / "data"
    store = Store.open_in(data)
    _fill(store, box, range(3))
    store.close()
    before = _read_only(data)

    done = _run("export", "--data-dir", data, "--format", "csv", "--out", "-")

    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) == 1 + 3  # a header and three sessions
    assert "Exported 3 sessions" in done.stderr
    assert {inner.name: inner.read_bytes() for inner in data.iterdir()} == before


def test_export_from_a_read_only_folder_reads_what_a_killed_run_left_in_the_wal(
    place: Path, box: BreathingPattern
) -> None:
    live = place / "live"
    store = Store.open_in(live)
    _fill(store, box, range(2))  # after the open's checkpoint: these are in the -wal only
    data = place / "data"
    data.mkdir()
    for name in (DB_FILENAME, f"{DB_FILENAME}-wal"):  # as a kill -9 leaves the folder
        shutil.copyfile(live / name, data / name)
    store.close()
    before = _read_only(data)
    assert before.get(f"{DB_FILENAME}-wal")  # the sessions are in it

    done = _run("export", "--data-dir", data, "--format", "json", "--out", "-")

    assert done.returncode == 0, done.stderr
    assert "Exported 2 sessions" in done.stderr
    assert {inner.name: inner.read_bytes() for inner in data.iterdir()} == before


def test_report_runs_on_a_read_only_folder(place: Path, box: BreathingPattern) -> None:
    data = place / "data"
    store = Store.open_in(data)
    _fill(store, box, range(4))
    store.close()
    before = _read_only(data)
    out = place / "out"
    out.mkdir()
    out.chmod(0o777)

    done = _run("report", "--data-dir", data, "--out", out / "r.pdf")

    assert done.returncode == 0, done.stderr
    assert "report of 4 sessions" in done.stdout
    assert (out / "r.pdf").read_text() == "pdf"
    assert {inner.name: inner.read_bytes() for inner in data.iterdir()} == before


def test_a_data_folder_open_to_others_is_made_private_and_said_once(
    tmp_path: Path, box: BreathingPattern, capsys: pytest.CaptureFixture[str]
) -> None:
    from trainer.cli import main

    data = tmp_path / "data"
    store = Store.open_in(data)
    _fill(store, box, range(1))
    store.close()
    data.chmod(0o777)
    argv = ["export", "--data-dir", str(data), "--format", "csv", "--out", str(tmp_path / "x.csv")]

    assert main(argv, tz=UTC) == 0
    first = capsys.readouterr().err
    assert main(argv, tz=UTC) == 0
    second = capsys.readouterr().err

    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert f"{data}" in first
    assert "0777" in first
    assert "private to you" in first
    assert second == ""
