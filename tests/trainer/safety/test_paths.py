"""Tests for trainer/safety/paths.py: where the data folder is (flag, environment, platform default)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from trainer.safety.paths import (
    DB_FILENAME,
    ENV_DATA_DIR,
    default_data_dir,
    make_private,
    resolve_data_dir,
)

HOME = Path("/home/ada")


def test_names() -> None:
    assert ENV_DATA_DIR == "SAFESIGNAL_DATA_DIR"
    assert DB_FILENAME == "safesignal.db"


def test_command_line_wins_over_environment(tmp_path: Path) -> None:
    env = {ENV_DATA_DIR: "/from/env", "XDG_DATA_HOME": "/xdg"}
    assert resolve_data_dir(str(tmp_path / "cli"), env) == tmp_path / "cli"


def test_environment_wins_over_default() -> None:
    env = {ENV_DATA_DIR: "/from/env", "XDG_DATA_HOME": "/xdg"}
    assert resolve_data_dir(None, env) == Path("/from/env")


@pytest.mark.parametrize("cli", [None, ""])
def test_default_when_nothing_is_given(cli: str | None) -> None:
    env = {"XDG_DATA_HOME": "/xdg", "APPDATA": "/appdata"}
    assert resolve_data_dir(cli, env) == default_data_dir(env)


def test_empty_environment_variable_is_ignored() -> None:
    env = {ENV_DATA_DIR: "", "XDG_DATA_HOME": "/xdg"}
    assert resolve_data_dir(None, env) == default_data_dir(env)


def test_tilde_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    assert resolve_data_dir("~/cli", {}) == tmp_path / "cli"
    assert resolve_data_dir(None, {ENV_DATA_DIR: "~/env"}) == tmp_path / "env"


def test_real_environment_is_read_when_none_is_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-os-environ"))
    assert resolve_data_dir(None) == tmp_path / "from-os-environ"


def test_linux_default_without_xdg() -> None:
    assert default_data_dir({}, "linux", HOME) == HOME / ".local" / "share" / "safesignal"


def test_linux_default_with_xdg() -> None:
    env = {"XDG_DATA_HOME": "/data/ada"}
    assert default_data_dir(env, "linux", HOME) == Path("/data/ada/safesignal")


@pytest.mark.parametrize("xdg", ["relative/share", "", "./share"])
def test_linux_ignores_relative_or_empty_xdg(xdg: str) -> None:
    env = {"XDG_DATA_HOME": xdg}
    assert default_data_dir(env, "linux", HOME) == HOME / ".local" / "share" / "safesignal"


def test_other_unix_follows_xdg() -> None:
    env = {"XDG_DATA_HOME": "/data/ada"}
    assert default_data_dir(env, "freebsd14", HOME) == Path("/data/ada/safesignal")


def test_macos_default() -> None:
    env = {"XDG_DATA_HOME": "/data/ada"}  # not used on macOS
    expected = HOME / "Library" / "Application Support" / "Safe Signal"
    assert default_data_dir(env, "darwin", HOME) == expected


def test_windows_default_with_appdata() -> None:
    appdata = "/Users/ada/AppData/Roaming"
    assert default_data_dir({"APPDATA": appdata}, "win32", HOME) == Path(appdata) / "Safe Signal"


def test_windows_default_without_appdata() -> None:
    expected = HOME / "AppData" / "Roaming" / "Safe Signal"
    assert default_data_dir({}, "win32", HOME) == expected


@pytest.mark.parametrize("mode", [0o777, 0o755, 0o750, 0o711, 0o701])
def test_an_existing_folder_open_to_others_is_made_private_and_said_once(
    tmp_path: Path, mode: int
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(mode)

    said = make_private(folder)

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert said is not None
    assert f"{mode:04o}" in said
    assert "private to you" in said
    assert make_private(folder) is None  # once: the next start has nothing to say


def test_a_private_or_missing_folder_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    assert make_private(folder) is None
    assert not folder.exists()
    folder.mkdir()
    folder.chmod(0o500)
    assert make_private(folder) is None
    assert stat.S_IMODE(folder.stat().st_mode) == 0o500


def test_a_folder_of_someone_else_is_not_changed_but_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(folder).st_uid + 1)

    said = make_private(folder)

    assert stat.S_IMODE(folder.stat().st_mode) == 0o777
    assert said is not None
    assert "could not change" in said
    assert f"chmod 700 {folder}" in said


def test_a_folder_that_cannot_be_changed_is_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o755)

    def read_only_disk(*_: object) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "chmod", read_only_disk)

    said = make_private(folder)

    assert said is not None
    assert "could not change" in said
