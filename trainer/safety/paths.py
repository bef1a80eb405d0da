"""Where Safe Signal keeps its data: a command-line folder, an environment variable or the default."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Final

ENV_DATA_DIR: Final = "SAFESIGNAL_DATA_DIR"
DB_FILENAME: Final = "safesignal.db"


def default_data_dir(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    home: Path | None = None,
) -> Path:
    """The platform's per-user app-data folder (the same places QStandardPaths uses).

    Linux and other Unix: ``$XDG_DATA_HOME/safesignal`` (``~/.local/share/safesignal``);
    macOS: ``~/Library/Application Support/Safe Signal``; Windows: ``%APPDATA%\\Safe Signal``.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    home = Path.home() if home is None else home
    if platform.startswith("win"):
        base = env.get("APPDATA")
        return (Path(base) if base else home / "AppData" / "Roaming") / "Safe Signal"
    if platform == "darwin":
        return home / "Library" / "Application Support" / "Safe Signal"
    xdg = env.get("XDG_DATA_HOME", "")
    base_dir = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"
    return base_dir / "safesignal"


def resolve_data_dir(cli_value: str | None, env: Mapping[str, str] | None = None) -> Path:
    """``--data-dir`` wins, then ``$SAFESIGNAL_DATA_DIR``, then :func:`default_data_dir`."""
    env = os.environ if env is None else env
    if cli_value:
        return _expanded(cli_value)
    if env.get(ENV_DATA_DIR):
        return _expanded(env[ENV_DATA_DIR])
    return default_data_dir(env)


def _expanded(folder: str) -> Path:
    """``~`` and ``~user`` expanded; left as written, as a shell does, when there is no such user
    (or no home): ``Path.expanduser`` raises RuntimeError for those."""
    try:
        return Path(folder).expanduser()
    except RuntimeError:
        return Path(folder)
