"""Tests for trainer/safety/paths.py: where the data folder is (flag, environment, platform default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.safety.paths import DB_FILENAME, ENV_DATA_DIR, default_data_dir, resolve_data_dir

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
