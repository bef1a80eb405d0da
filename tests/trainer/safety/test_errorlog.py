"""Tests for trainer/safety/errorlog.py and the command line's handling of errors: a bug is logged with
its traceback to the data folder (0600, rotating) and reported in one line with exit code 70; a
known problem stays one line with exit code 2; commands that write refuse a folder in use."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from trainer import cli
from trainer.cli import main
from trainer.errors import StoreError
from trainer.safety.errorlog import (
    EXIT_UNEXPECTED,
    LOG_BACKUPS,
    LOG_FILENAME,
    LOG_MAX_BYTES,
    close_log,
    log_unexpected,
    unexpected_message,
)
from trainer.safety.lock import DataFolderLock
from trainer.safety.paths import DB_FILENAME, ENV_DATA_DIR
from trainer.store.store import Store


@pytest.fixture(autouse=True)
def fresh_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)
    yield
    close_log()


def boom() -> None:
    raise RuntimeError("the secret detail of a bug")


def caught() -> BaseException:
    try:
        boom()
    except RuntimeError as exc:
        return exc
    raise AssertionError("boom did not raise")


def test_an_unexpected_error_is_logged_with_its_traceback_privately(tmp_path: Path):
    exc = caught()
    log = log_unexpected(tmp_path / "data", type(exc), exc, exc.__traceback__, "a test")
    assert log == (tmp_path / "data" / LOG_FILENAME).absolute()
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "in boom" in text
    assert "RuntimeError: the secret detail of a bug" in text
    assert "Unexpected error in a test" in text
    if os.name == "posix":
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700


def test_the_log_rotates_at_about_a_megabyte_keeping_three_old_files(tmp_path: Path):
    exc = caught()
    big = RuntimeError("x" * 200_000)
    for _ in range(40):  # ~8 MB of errors
        assert log_unexpected(tmp_path, RuntimeError, big, exc.__traceback__) is not None
    logs = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(LOG_FILENAME))
    assert logs == [LOG_FILENAME] + [f"{LOG_FILENAME}.{n}" for n in range(1, LOG_BACKUPS + 1)]
    for name in logs:
        assert (tmp_path / name).stat().st_size <= LOG_MAX_BYTES
        if os.name == "posix":
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600


def test_a_log_that_cannot_be_written_is_reported_as_none_not_raised(tmp_path: Path):
    exc = caught()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert log_unexpected(blocker, type(exc), exc, exc.__traceback__) is None
    assert log_unexpected(None, type(exc), exc, exc.__traceback__) is None


def test_the_message_says_sessions_are_safe_and_where_the_log_is(tmp_path: Path):
    text = unexpected_message(tmp_path / LOG_FILENAME)
    assert "sessions you recorded are safe" in text
    assert str(tmp_path / LOG_FILENAME) in text
    assert "Traceback" not in text
    assert "could not be written" in unexpected_message(None)


# -- the command line ---------------------------------------------------------------------------


def test_a_bug_in_a_command_is_one_line_exit_70_and_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    data = tmp_path / "data"
    Store.open_in(data).close()

    def broken(*args: object) -> int:
        boom()
        return 0

    monkeypatch.setitem(cli._RUNNERS, "export", broken)
    code = main(["export", "--data-dir", str(data), "--out", str(tmp_path / "x.csv")])
    assert code == EXIT_UNEXPECTED == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    assert "secret detail" not in err
    assert err.startswith("safesignal export: something unexpected went wrong")
    assert "your recorded sessions are safe" in err
    log = (data / LOG_FILENAME).absolute()
    assert str(log) in err
    assert "RuntimeError: the secret detail of a bug" in log.read_text(encoding="utf-8")


def test_a_known_problem_stays_one_line_with_exit_2_and_no_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    def refused(*args: object) -> int:
        raise StoreError("The disk is full. Free some space and try again.")

    monkeypatch.setitem(cli._RUNNERS, "export", refused)
    code = main(["export", "--data-dir", str(tmp_path), "--out", str(tmp_path / "x.csv")])
    assert code == 2
    assert capsys.readouterr().err == (
        "safesignal export: The disk is full. Free some space and try again.\n"
    )
    assert not (tmp_path / LOG_FILENAME).exists()


def test_a_bug_in_a_real_process_never_shows_a_traceback(tmp_path: Path):
    """The whole way through a real process: a store that blows up on opening."""
    import subprocess

    data = tmp_path / "data"
    Store.open_in(data).close()
    code = (
        "import sys, trainer.store.store as s\n"
        "def bad(*a, **k): raise ZeroDivisionError('inside')\n"
        "s.Store.__init__ = bad\n"
        "from trainer.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "export",
            "--data-dir",
            str(data),
            "--out",
            "-",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert result.returncode == 70
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "ZeroDivisionError: inside" in (data / LOG_FILENAME).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "command",
    [["import", "FILE"], ["demo"], ["demo", "--delete"]],
    ids=["import", "demo", "demo-delete"],
)
def test_commands_that_write_refuse_a_folder_in_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
):
    data = tmp_path / "data"
    store = Store.open_in(data)
    store.close()
    export = tmp_path / "export.json"
    assert main(["export", "--data-dir", str(data), "--out", str(export)]) == 0
    if command[0] == "demo" and "--delete" in command:
        assert main(["demo", "--data-dir", str(data)]) == 0
    capsys.readouterr()
    before = (data / DB_FILENAME).read_bytes()
    argv = [str(export) if part == "FILE" else part for part in command]
    with DataFolderLock(data, "the app"):
        code = main([*argv, "--data-dir", str(data)])
        err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert f"Safe Signal is already using {data}" in err
    assert "the app" in err
    assert (data / DB_FILENAME).read_bytes() == before
    # Once the app has closed, the same command works.
    assert main([*argv, "--data-dir", str(data)]) == 0


def test_reading_commands_work_while_the_app_is_open(tmp_path: Path):
    data = tmp_path / "data"
    Store.open_in(data).close()
    with DataFolderLock(data, "the app"):
        assert main(["export", "--data-dir", str(data), "--out", str(tmp_path / "x.json")]) == 0
