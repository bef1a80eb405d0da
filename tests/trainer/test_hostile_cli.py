"""Hostile input for the command line (trainer/cli.py) and the data folder's resolution
(trainer/safety/paths.py): any arguments end with exit code 0 or 2, a mistake is one line on stderr and
never a traceback, and a refused command changes nothing in the database.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.trainer.hostile import db_contents
from trainer.cli import EXIT_OK, EXIT_USER_ERROR, main
from trainer.errors import FolderInUseError
from trainer.safety.lock import DataFolderLock
from trainer.safety.paths import DB_FILENAME, ENV_DATA_DIR, default_data_dir, resolve_data_dir
from trainer.store.store import Store

NOW = datetime(2024, 6, 1, 9, 30, tzinfo=UTC)
# What a shell can pass: any text but NUL, which no operating system can put in an argument.
ARG_TEXT = st.text(st.characters(exclude_characters="\x00"), max_size=12)
WORDS = st.sampled_from(
    [
        "export",
        "import",
        "demo",
        "report",
        "restore",
        "--data-dir",
        "--profile",
        "--format",
        "--out",
        "--timezone",
        "--since",
        "--seed",
        "--delete",
        "--help",
        "--version",
        "-h",
        "csv",
        "json",
        "-",
        "out.csv",
        "out.json",
        "out.pdf",
        "Me",
        "Nobody",
        "",
        " ",
        "--",
        "Europe/Berlin",
        "Europe",
        "../../etc/passwd",
        "2024-02-30",
        "2024-05-01",
        "١٢",
        "-1",
        "99999999999999999999",
        "file.json",
        "missing.json",
        "data",
        "=",
        "--format=xml",
        "--data-dir=",
        "~nosuchuser",
        "~",
        "\n",
        "a\nb",
        "\ud800",
    ]
)
ARGV = st.lists(WORDS | ARG_TEXT, max_size=7)
GOOD_EXPORT = {
    "format": "safesignal-sessions",
    "version": 1,
    "sessions": [
        {
            "started_at_utc": "2024-05-01T09:30:00Z",
            "exercise_id": "coherent-5-5",
            "kind": "breathing",
            "status": "completed",
            "planned_s": 300,
            "practised_s": 300,
        }
    ],
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with a database, and a good export beside it."""
    folder = tmp_path_factory.mktemp("cli-template")
    Store.open_in(folder / "data").close()
    (folder / "file.json").write_text(json.dumps(GOOD_EXPORT), encoding="utf-8")
    return folder


def run_cli(argv: list[str], folder: Path) -> tuple[int, str, str]:
    """Run the command in ``folder`` (its working folder, home and default data folder)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("HOME", str(folder))
        patch.setenv("XDG_DATA_HOME", str(folder / "xdg"))
        patch.setenv(ENV_DATA_DIR, str(folder / "data"))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv, now=lambda: NOW, tz=UTC)
    return code, out.getvalue(), err.getvalue()


VALUES = WORDS | ARG_TEXT
OPTIONS = st.sampled_from(
    ["--profile", "--format", "--out", "--timezone", "--since", "--seed", "--data-dir"]
)
# A command and its options, each given a hostile value: these get past argparse to the command.
COMMAND_ARGV = st.builds(
    lambda command, pairs, extra: [command, *[x for pair in pairs for x in pair], *extra],
    st.sampled_from(["export", "import", "demo", "report"]),
    st.lists(st.tuples(OPTIONS, VALUES), max_size=3, unique_by=lambda pair: pair[0]),
    st.lists(
        st.sampled_from(["file.json", "missing.json", "--delete", "data"]) | VALUES, max_size=1
    ),
)


@settings(max_examples=150)
@given(ARGV | COMMAND_ARGV)
def test_any_arguments_exit_0_or_2_with_a_one_line_mistake(
    tmp_path_factory: pytest.TempPathFactory, template: Path, argv: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("cli", numbered=True)
    shutil.copytree(template, folder, dirs_exist_ok=True)
    db = folder / "data" / DB_FILENAME
    before = db_contents(db)
    code, out, err = run_cli(argv, folder)
    event(f"{ascii(argv[0]) if argv else 'nothing'}: exit {code}")
    assert code in (EXIT_OK, EXIT_USER_ERROR), (code, out, err)
    assert "Traceback" not in out + err
    if code == EXIT_USER_ERROR:
        lines = err.splitlines()
        assert len(lines) == 1, f"a mistake of {len(lines)} lines: {err!r}"
        assert lines[0].startswith("safesignal")
        assert db_contents(db) == before
    # Nothing but the data folder (and what --out named) was written: never the real home's data.
    assert not (folder / "xdg").exists() or "--data-dir" in " ".join(argv)


@given(
    ARG_TEXT, st.dictionaries(st.sampled_from([ENV_DATA_DIR, "XDG_DATA_HOME", "APPDATA"]), ARG_TEXT)
)
def test_the_data_folder_is_always_a_path(cli_value: str, env: dict[str, str]) -> None:
    for platform in ("linux", "darwin", "win32"):
        assert isinstance(default_data_dir(env, platform, Path("/home/someone")), Path)
    resolved = resolve_data_dir(cli_value or None, env)
    if cli_value.strip() and not cli_value.startswith("~"):
        assert resolved == Path(cli_value)


# -- the bugs these properties found -------------------------------------------------------------


def test_an_empty_data_dir_is_a_mistake_not_the_default_folder(
    template: Path, tmp_path: Path
) -> None:
    """Found: --data-dir "" (an unset shell variable, say) silently used the default data folder,
    so an import went into the person's real data instead of failing."""
    shutil.copytree(template, tmp_path, dirs_exist_ok=True)
    code, _, err = run_cli(["import", "--data-dir", "", "file.json"], tmp_path)
    assert code == EXIT_USER_ERROR
    assert err.count("\n") == 1
    assert "--data-dir" in err
    assert db_contents(tmp_path / "data" / DB_FILENAME) == db_contents(
        template / "data" / DB_FILENAME
    )


def test_an_unknown_argument_holding_a_line_break_is_one_line(tmp_path: Path) -> None:
    """Found: argparse's "unrecognized arguments: a\\nb" printed the argument's line break."""
    code, _, err = run_cli(["demo", "a\nb"], tmp_path)
    assert code == EXIT_USER_ERROR
    assert err.count("\n") == 1
    assert "unrecognized arguments" in err
    assert not os.path.exists(tmp_path / "data")


def test_a_data_dir_of_a_user_that_does_not_exist_is_left_as_written(tmp_path: Path) -> None:
    """Found (with HYPOTHESIS_PROFILE=thorough): --data-dir ~0 raised RuntimeError (Could not
    determine home directory) out of Path.expanduser, a traceback for the person."""
    assert resolve_data_dir("~nosuchuser/data", {}) == Path("~nosuchuser/data")
    assert resolve_data_dir(None, {ENV_DATA_DIR: "~0"}) == Path("~0")
    code, _, err = run_cli(["export", "--data-dir", "~nosuchuser", "--out", "x.csv"], tmp_path)
    assert code == EXIT_USER_ERROR
    assert "There is no Safe Signal data in ~nosuchuser" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "--profile", "Nobody", "file.json"],  # no such profile
        ["demo", "--profile", "a\x01b"],  # a name with a control character
    ],
)
def test_a_refused_command_leaves_no_new_folder_or_database_behind(
    template: Path, tmp_path: Path, argv: list[str]
) -> None:
    shutil.copy(template / "file.json", tmp_path / "file.json")
    fresh = tmp_path / "fresh"
    code, _out, err = run_cli([*argv, "--data-dir", str(fresh)], tmp_path)
    assert code == EXIT_USER_ERROR, err
    assert not fresh.exists()  # neither the folder, nor a database, nor a lock file


def test_a_refused_command_in_an_empty_folder_leaves_it_empty(template: Path, tmp_path: Path):
    shutil.copy(template / "file.json", tmp_path / "file.json")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _out, err = run_cli(
        ["import", "--profile", "Nobody", "file.json", "--data-dir", str(empty)], tmp_path
    )
    assert code == EXIT_USER_ERROR, err
    assert list(empty.iterdir()) == []


def test_deleting_a_demo_where_there_is_no_data_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    code, _out, err = run_cli(["demo", "--delete", "--data-dir", str(missing)], tmp_path)
    assert code == EXIT_USER_ERROR
    assert "There is no Safe Signal data" in err
    assert not missing.exists()


def test_a_command_refused_by_the_lock_removes_nothing_of_the_holders(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app starts and makes its database just as an import reaches for the lock: the
    refused import must not tidy away the app's new database."""
    shutil.copy(template / "file.json", tmp_path / "file.json")
    data = tmp_path / "racing"

    def the_app_got_there_first(self: DataFolderLock) -> None:
        Store.open_in(data).close()
        raise FolderInUseError(f"Safe Signal is already using {data} (process 1, the app).")

    monkeypatch.setattr(DataFolderLock, "acquire", the_app_got_there_first)
    code, _out, err = run_cli(["import", "file.json", "--data-dir", str(data)], tmp_path)
    assert code == EXIT_USER_ERROR
    assert "already using" in err
    assert (data / DB_FILENAME).exists()
