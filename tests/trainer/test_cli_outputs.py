"""Where the commands write and what they read (issue 17): ``export`` writes only regular files
(a symbolic link is followed), imports refuse what is not a regular file or is too large before
reading it, and writing to standard output ends cleanly on a closed pipe or a full disk."""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import trainer.safety.files
import trainer.store.exchange
from tests.trainer.conftest import add_finished
from trainer.cli import EXIT_BROKEN_PIPE, main
from trainer.content.breathing import BreathingPattern
from trainer.safety.errorlog import LOG_FILENAME
from trainer.safety.paths import DB_FILENAME, ENV_DATA_DIR
from trainer.session.machine import Ratings
from trainer.store.exchange import MAX_IMPORT_BYTES, ExchangeError, read_text
from trainer.store.store import Store

T0 = datetime(2024, 5, 1, 9, 30, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_data_dir_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)


@pytest.fixture
def data(tmp_path: Path, box: BreathingPattern) -> Path:
    """A data folder whose default profile has two finished sessions."""
    folder = tmp_path / "data"
    store = Store.open_in(folder)
    days = timedelta(days=1)
    add_finished(store, box, 2, first=T0, step=days, after=Ratings(3, None), practised_s=304.0)
    store.close()
    return folder


def run(*argv: str | Path) -> int:
    return main([str(arg) for arg in argv], now=lambda: T0 + timedelta(days=30), tz=UTC)


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    assert "mistake in the program" not in captured.err
    return lines[0]


# -- export writes only regular files -----------------------------------------------------------


def test_export_refuses_a_fifo_and_leaves_it_a_fifo(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], devices_kept: None
) -> None:
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    assert run("export", "--data-dir", data, "--out", fifo) == 2
    assert "a pipe (a FIFO), not a file" in one_line(capsys)
    assert fifo.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out.csv"]  # no temporary file


def test_export_refuses_a_folder(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out.csv"
    folder.mkdir()
    assert run("export", "--data-dir", data, "--out", folder) == 2
    assert "is a folder" in one_line(capsys)
    assert folder.is_dir()
    assert not list(folder.iterdir())


@pytest.fixture
def devices_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """However the code under test goes wrong, it never replaces a device: the tests may run as
    root, and a broken /dev/null breaks the whole machine."""
    replace = os.replace

    def guarded(src: str | Path, dst: str | Path) -> None:
        if not Path(dst).is_symlink() and (Path(dst).is_char_device() or Path(dst).is_fifo()):
            raise AssertionError(f"replaced {dst}")
        replace(src, dst)

    monkeypatch.setattr(trainer.safety.files.os, "replace", guarded)


@pytest.mark.parametrize("device", ["/dev/full", "/dev/null"])
def test_export_refuses_a_device(
    data: Path, capsys: pytest.CaptureFixture[str], device: str, devices_kept: None
) -> None:
    """Found (as root): ``--out /dev/full`` said "Exported" and made /dev/full a 0600 file."""
    if not Path(device).is_char_device():
        pytest.skip(f"{device} is not a device here")
    before = os.stat(device)
    assert run("export", "--data-dir", data, "--format", "csv", "--out", device) == 2
    line = one_line(capsys)
    assert line == (
        f"safesignal export: Could not write {device}: that is a device, not a file; give a file "
        "name."
    )
    after = os.stat(device)
    assert (after.st_mode, after.st_rdev, after.st_ino) == (
        before.st_mode,
        before.st_rdev,
        before.st_ino,
    )


def test_export_through_a_symbolic_link_writes_its_target_and_keeps_the_link(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real" / "sessions.csv"
    target.parent.mkdir()
    target.write_text("an older export\n", encoding="utf-8")
    link = tmp_path / "latest.csv"
    link.symlink_to(target)
    assert run("export", "--data-dir", data, "--out", link) == 0
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("id,profile,")
    assert (target.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["sessions.csv"]


def test_export_through_a_dangling_link_creates_its_target(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "new.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert run("export", "--data-dir", data, "--out", link) == 0
    assert link.is_symlink()
    assert len(json.loads(target.read_text(encoding="utf-8"))["sessions"]) == 2


def test_export_through_a_link_to_a_device_is_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], devices_kept: None
) -> None:
    if not Path("/dev/null").is_char_device():
        pytest.skip("no /dev/null here")
    link = tmp_path / "out.csv"
    link.symlink_to("/dev/null")
    assert run("export", "--data-dir", data, "--out", link) == 2
    assert "that is a device, not a file" in one_line(capsys)
    assert link.is_symlink()
    assert Path("/dev/null").is_char_device()


def test_a_loop_of_links_is_one_line(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    assert run("export", "--data-dir", data, "--out", tmp_path / "a.csv") == 2
    assert "Could not write" in one_line(capsys)


# -- import reads only regular files of a stated size -------------------------------------------


def cli_process(
    *argv: str | Path, stdout: int | None = subprocess.PIPE, memory_mb: int = 1024
) -> subprocess.CompletedProcess[str]:
    """``python -m trainer.cli`` in a process of its own, limited in memory and time, so that a
    command that would hang or fill the memory fails the test instead."""

    def limit() -> None:  # in the child, before it starts
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_mb << 20, memory_mb << 20))

    env = {key: value for key, value in os.environ.items() if key != ENV_DATA_DIR}
    return subprocess.run(
        [sys.executable, "-m", "trainer.cli", *map(str, argv)],
        cwd=REPO,
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=limit if sys.platform != "win32" else None,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_importing_a_fifo_with_no_writer_is_refused_at_once(data: Path, tmp_path: Path) -> None:
    """Found: ``import`` of a FIFO with no writer waited for ever."""
    fifo = tmp_path / "sessions.json"
    os.mkfifo(fifo)
    result = cli_process("import", "--data-dir", data, fifo)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"safesignal import: {fifo} is not a regular file (a device or a pipe, say), so it "
        "cannot be an export; give the file an export was saved to."
    ]


@pytest.mark.skipif(not Path("/dev/zero").is_char_device(), reason="no /dev/zero here")
def test_importing_dev_zero_is_refused_before_reading(data: Path) -> None:
    """Found: ``import /dev/zero`` read until the memory ran out: "a mistake in the program"."""
    result = cli_process("import", "--data-dir", data, "/dev/zero")
    assert result.returncode == 2, result.stderr
    assert "/dev/zero is not a regular file" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_file_above_the_limit_is_refused_naming_the_limit(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as stream:  # sparse: no disk is used
        stream.truncate(MAX_IMPORT_BYTES + 1)
    before = db_bytes(data)
    assert run("import", "--data-dir", data, big) == 2
    assert one_line(capsys) == (
        f"safesignal import: {big} is 51 MB; Safe Signal imports files of at most 50 MB, so this "
        "is not one of its exports."
    )
    assert db_bytes(data) == before


def test_read_text_never_reads_more_than_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that grows between the check of its size and its reading is still refused."""
    path = tmp_path / "growing.json"
    path.write_text("{}", encoding="utf-8")
    real_fstat = os.fstat

    def small(fd: int) -> os.stat_result:  # as if the file were still small when looked at
        found = real_fstat(fd)
        return os.stat_result((*found[:6], 1, *found[7:10]))

    path.write_text("x" * 100, encoding="utf-8")
    monkeypatch.setattr(trainer.store.exchange.os, "fstat", small)
    with pytest.raises(ExchangeError, match="larger than 1 MB"):
        read_text(path, max_bytes=10)
    assert read_text(path, max_bytes=100) == "x" * 100


def db_bytes(folder: Path) -> bytes:
    return (folder / DB_FILENAME).read_bytes()


# -- writing to standard output -----------------------------------------------------------------


def test_a_pipe_closed_early_ends_quietly(data: Path, tmp_path: Path) -> None:
    """Found: ``export --out - | head`` was "a mistake in the program" (exit 70) with a traceback
    in the log. Now it ends as other tools do when their reader stops: quietly, exit 141."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first row is written
    try:
        result = cli_process(
            "export", "--data-dir", data, "--format", "csv", "--out", "-", stdout=write_end
        )
    finally:
        os.close(write_end)
    assert result.returncode == EXIT_BROKEN_PIPE
    assert result.stderr == ""
    assert not (data / LOG_FILENAME).exists()


def test_a_full_disk_on_stdout_is_one_line(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sys, "stdout", FullDisk())
    assert run("export", "--data-dir", data, "--format", "json", "--out", "-") == 2
    assert one_line(capsys) == (
        "safesignal export: Could not write to standard output: the disk is full. Free some space "
        "and try again."
    )
    assert not (data / LOG_FILENAME).exists()


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="no /dev/full here")
def test_stdout_on_dev_full_says_the_disk_is_full(data: Path) -> None:
    with open("/dev/full", "w") as full:
        result = cli_process(
            "export", "--data-dir", data, "--format", "csv", "--out", "-", stdout=full.fileno()
        )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "safesignal export: Could not write to standard output: the disk is full. Free some space "
        "and try again."
    ]


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="no /dev/full here")
def test_a_message_to_a_full_disk_says_so(data: Path, tmp_path: Path) -> None:
    """The export itself went to a file; only the "Exported..." line meets the full disk."""
    with open("/dev/full", "w") as full:
        result = cli_process(
            "export", "--data-dir", data, "--out", tmp_path / "s.csv", stdout=full.fileno()
        )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "safesignal export: the disk is full, so this could not be written; free some space and "
        "try again."
    ]


# -- what an import says about a file that is not a JSON export ---------------------------------


def test_a_csv_export_given_to_import_is_named_as_csv(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found: a CSV export given to import was called "not valid JSON"."""
    csv_file = tmp_path / "sessions.csv"
    assert run("export", "--data-dir", data, "--out", csv_file) == 0
    capsys.readouterr()
    assert run("import", "--data-dir", data, csv_file) == 2
    assert one_line(capsys) == (
        "safesignal import: sessions.csv is a CSV export, made for spreadsheets; an import reads "
        "the JSON form of an export (Export… as JSON in History, or safesignal export --format "
        "json)."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "f is not a Safe Signal export (it is empty); an import reads the JSON form"),
        ("a,b\n1,2\n", "f is not a Safe Signal export (it does not begin with {); an import"),
        ('{"format": }', "f, line 1, column 12: not valid JSON (Expecting value)."),
    ],
)
def test_text_that_is_not_json_says_what_was_expected(text: str, expected: str) -> None:
    with pytest.raises(ExchangeError) as caught:
        trainer.store.exchange.parse_export(text, "f")
    assert str(caught.value).startswith(expected)


def test_escape_codes_in_a_file_name_never_reach_the_terminal(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s\x1b[2J.csv"
    assert run("export", "--data-dir", data, "--out", out) == 0
    said = capsys.readouterr()
    assert "\x1b" not in said.out
    assert "s\ufffd[2J.csv" in said.out
    assert run("import", "--data-dir", data, tmp_path / "gone\x1b]0;x\x07.json") == 2
    line = one_line(capsys)
    assert not any(ord(c) < 0x20 for c in line)
    assert "gone\ufffd]0;x\ufffd.json" in line
