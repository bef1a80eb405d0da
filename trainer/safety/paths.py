"""Where Safe Signal keeps its data: a command-line folder, an environment variable or the default."""

from __future__ import annotations

import os
import stat
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


def make_private(data_dir: Path) -> str | None:
    """Make an existing data folder private to this user (mode 0700) when others may enter,
    read or write it (a folder made by hand, or copied with loose permissions).

    Returns what to tell the person once (on stderr), or ``None`` when there was nothing to do:
    the folder is missing, already private, or this is not a Unix-like system. A folder of
    another user, or on a read-only disk, is left as it is and the message says so."""
    if os.name != "posix":
        return None
    try:
        found = os.stat(data_dir)
    except OSError:
        return None  # not there yet: it is made private when it is made
    if not stat.S_ISDIR(found.st_mode):
        return None
    loose = stat.S_IMODE(found.st_mode) & 0o077
    if not loose:
        return None
    was = f"{stat.S_IMODE(found.st_mode):04o}"
    if found.st_uid == os.geteuid():
        try:
            os.chmod(data_dir, stat.S_IMODE(found.st_mode) & ~0o077 | 0o700)
        except OSError:
            pass
        else:
            return (
                f"The data folder {data_dir} could be opened by other people on this computer "
                f"(permissions {was}); it is now private to you (0700)."
            )
    return (
        f"The data folder {data_dir} can be opened by other people on this computer "
        f"(permissions {was}), and Safe Signal could not change that. To keep your health "
        f"data private, ask the folder's owner to run: chmod 700 {data_dir}"
    )
