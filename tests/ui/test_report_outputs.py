"""``safesignal report --out`` writes only regular files (issue 17): a folder, a pipe or a link to
a device is refused in one line and left as it was; a symbolic link to a file is followed, so its
target gets the report and the link stays a link."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

import trainer.safety.files
import ui.report.document
from trainer.cli import main as cli_main
from trainer.safety.paths import ENV_DATA_DIR

NOW = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_data_dir_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)


@pytest.fixture(autouse=True)
def devices_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """However the code under test goes wrong, it never replaces a device or a pipe (the tests
    may run as root)."""
    replace = os.replace

    def guarded(src: str | Path, dst: str | Path) -> None:
        if not Path(dst).is_symlink() and (Path(dst).is_char_device() or Path(dst).is_fifo()):
            raise AssertionError(f"replaced {dst}")
        replace(src, dst)

    monkeypatch.setattr(trainer.safety.files.os, "replace", guarded)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-outputs") / "data"
    assert cli_main(["demo", "--data-dir", str(folder), "--seed", "3"], now=lambda: NOW) == 0
    return folder


def report(data: Path, out: Path) -> int:
    return cli_main(
        ["report", "--data-dir", str(data), "--profile", "Me (demo)", "--out", str(out)],
        now=lambda: NOW,
        tz=UTC,
        write_report=ui.report.document.write_report,
    )


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def test_a_pipe_is_refused_and_stays_a_pipe(
    qapp: object, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "r.pdf"
    os.mkfifo(fifo)
    capsys.readouterr()
    assert report(data, fifo) == 2
    assert one_line(capsys) == (
        f"safesignal report: Could not write the report to {fifo}: that is a pipe (a FIFO), not "
        "a file; give a file name."
    )
    assert fifo.is_fifo()
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


def test_a_folder_is_refused(
    qapp: object, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "r.pdf"
    folder.mkdir()
    capsys.readouterr()
    assert report(data, folder) == 2
    assert "is a folder" in one_line(capsys)
    assert folder.is_dir()
    assert not list(folder.iterdir())


def test_a_link_to_a_device_is_refused(
    qapp: object, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    device = Path("/dev/full") if Path("/dev/full").is_char_device() else Path("/dev/null")
    if not device.is_char_device():
        pytest.skip("no /dev/full or /dev/null here")
    link = tmp_path / "r.pdf"
    link.symlink_to(device)
    capsys.readouterr()
    assert report(data, link) == 2
    assert "that is a device, not a file" in one_line(capsys)
    assert link.is_symlink()
    assert device.is_char_device()


def test_a_link_to_a_file_writes_the_file_and_stays_a_link(
    qapp: object, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kept" / "report.pdf"
    target.parent.mkdir()
    target.write_bytes(b"an older report")
    link = tmp_path / "latest.pdf"
    link.symlink_to(target)
    assert report(data, link) == 0
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in target.parent.iterdir()] == ["report.pdf"]
