"""The entry point: options, the data folder, and a real start-up in a separate process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trainer import __version__
from trainer.safety.paths import DB_FILENAME, ENV_DATA_DIR
from trainer.store.migrations import SCHEMA_VERSION
from trainer.store.store import Store
from ui.shell.app import parse_args


def test_version_prints_and_exits(capsys):
    from ui.shell.app import main

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"safesignal {__version__}"


def test_unknown_options_are_left_for_qt():
    args, rest = parse_args(["--data-dir", "/tmp/x", "-platform", "offscreen"])
    assert args.data_dir == "/tmp/x"
    assert rest == ["-platform", "offscreen"]


def test_a_mistyped_option_is_refused_not_ignored(capsys):
    with pytest.raises(SystemExit) as exited:
        parse_args(["--data-dri", "/tmp/x"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == (
        "safesignal: unrecognised option --data-dri (see safesignal --help)\n"
    )


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--theme", "purple"], "argument --theme: invalid choice: 'purple'"),
        (["--data-dir"], "argument --data-dir: expected one argument"),
    ],
)
def test_the_apps_option_mistakes_are_one_line(capsys, arguments: list[str], said: str):
    """Found: four lines (argparse's usage first) where the README promises one."""
    with pytest.raises(SystemExit) as exited:
        parse_args(arguments)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith(f"safesignal: {said}")
    assert err.endswith("(see safesignal --help)\n")


def run_app(
    *args: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != ENV_DATA_DIR}
    env.update({"QT_QPA_PLATFORM": "offscreen", **(env_extra or {})})
    return subprocess.run(
        [sys.executable, "-m", "ui", *args, "--exit-after-paint"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_starts_paints_and_creates_its_database(tmp_path: Path):
    result = run_app("--data-dir", str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert "first paint after" in result.stdout
    store = Store(tmp_path / "data" / DB_FILENAME)
    assert store.schema_version == SCHEMA_VERSION
    store.close()


def test_neither_importing_nor_starting_the_app_loads_scipy(tmp_path: Path) -> None:
    """scipy.stats takes most of a second to import; only computing a statistic loads it."""
    code = (
        "import sys, trainer.analysis.progress, ui.shell.app\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))\n"
    )
    imported = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "[]"
    started = run_app(
        "--data-dir", str(tmp_path / "data"), env_extra={"PYTHONPROFILEIMPORTTIME": "1"}
    )
    assert started.returncode == 0, started.stderr
    modules = [
        line.rsplit("|", 1)[-1].strip()
        for line in started.stderr.splitlines()
        if line.startswith("import time:")
    ]
    assert "ui.shell.app" in modules  # the import times were written
    assert [m for m in modules if m.split(".")[0] == "scipy"] == []


def test_environment_variable_chooses_the_data_folder(tmp_path: Path):
    result = run_app(env_extra={ENV_DATA_DIR: str(tmp_path / "from-env")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-env" / DB_FILENAME).exists()


def test_newer_database_is_refused_with_a_message(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    import sqlite3

    conn = sqlite3.connect(data / DB_FILENAME)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = (data / DB_FILENAME).read_bytes()
    result = run_app("--data-dir", str(data))
    assert result.returncode == 2
    assert "newer version of Safe Signal" in result.stderr
    assert "Traceback" not in result.stderr
    assert (data / DB_FILENAME).read_bytes() == before
