"""Tests for trainer/cli.py: export, import and demo from the command line, their messages and
exit codes, and that ``safesignal COMMAND`` runs without Qt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from trainer.cli import COMMANDS, main
from trainer.content.breathing import BreathingPattern
from trainer.safety.paths import DB_FILENAME, ENV_DATA_DIR
from trainer.session.clock import LocalZone
from trainer.session.machine import Ratings, SessionPlan, SessionStatus
from trainer.store.exchange import COLUMNS, HEALTH_DATA_WARNING
from trainer.store.store import Store

T0 = datetime(2024, 5, 1, 9, 30, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[2]


def now() -> datetime:
    return T0 + timedelta(days=30)


@pytest.fixture
def data(tmp_path: Path, box: BreathingPattern) -> Path:
    """A data folder whose default profile has three sessions (one with areas marked)."""
    folder = tmp_path / "data"
    store = Store.open_in(folder)
    plan = SessionPlan("box-4-4-4-4", "Box breathing", box, 19)
    me = store.profiles.default_id()
    for day in range(3):
        started = T0 + timedelta(days=day)
        session = store.sessions.start_session(plan, me, started, Ratings(5, 6))
        store.sessions.finish_session(
            session,
            ended_at=started + timedelta(minutes=6),
            practised_s=304.0,
            status=SessionStatus.COMPLETED,
            after=Ratings(3, None),
        )
    store.regions.save(session, ["neck"], ["left_hand"])
    store.close()
    return folder


@pytest.fixture(autouse=True)
def no_data_dir_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)


def run(*argv: str | Path) -> int:
    return main([str(arg) for arg in argv], now=now, tz=UTC)


def counts(folder: Path) -> dict[str, tuple[int, int]]:
    """Per profile: (sessions, marked areas)."""
    store = Store(folder / DB_FILENAME)
    try:
        return {
            p.name: (
                len(store.sessions.of_profile(p.id)),
                sum(len(a) + len(b) for a, b in store.regions.by_session(p.id).values()),
            )
            for p in store.profiles.all()
        }
    finally:
        store.close()


def one_line_error(capsys: pytest.CaptureFixture[str], command: str) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"safesignal {command}: ") or lines[0].startswith("safesignal:")
    assert "Traceback" not in captured.err
    return lines[0]


# -- export -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_writes_the_file_and_warns_about_health_data(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    out = tmp_path / f"sessions.{fmt}"
    assert run("export", "--data-dir", data, "--format", fmt, "--out", out) == 0
    said = capsys.readouterr()
    assert f"Exported 3 sessions of “Me” to {out} ({fmt.upper()})." in said.out
    assert HEALTH_DATA_WARNING in said.out
    assert said.err == ""
    text = out.read_text(encoding="utf-8")
    if fmt == "csv":
        assert text.splitlines()[0] == ",".join(COLUMNS)
        assert len(text.splitlines()) == 4
    else:
        assert len(json.loads(text)["sessions"]) == 3


def test_the_format_can_come_from_the_file_name(data: Path, tmp_path: Path) -> None:
    assert run("export", "--data-dir", data, "--out", tmp_path / "s.JSON") == 0
    assert json.loads((tmp_path / "s.JSON").read_text(encoding="utf-8"))["version"] == 2
    assert run("export", "--data-dir", data, "--out", tmp_path / "s.csv") == 0
    assert (tmp_path / "s.csv").read_text(encoding="utf-8").startswith("id,profile,")


def test_export_without_a_known_format_is_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("export", "--data-dir", data, "--out", tmp_path / "s.txt") == 2
    assert "--format csv or --format json" in one_line_error(capsys, "export")
    assert not (tmp_path / "s.txt").exists()


def test_export_to_stdout_keeps_messages_on_stderr(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("export", "--data-dir", data, "--format", "json", "--out", "-") == 0
    said = capsys.readouterr()
    assert len(json.loads(said.out)["sessions"]) == 3
    assert HEALTH_DATA_WARNING in said.err


def test_export_in_a_named_time_zone(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    assert run("export", "--data-dir", data, "--out", out, "--timezone", "Asia/Kolkata") == 0
    first = json.loads(out.read_text(encoding="utf-8"))["sessions"][0]
    assert first["started_at_local"] == "2024-05-01T15:00:00+05:30"


@pytest.mark.parametrize("zone", ["Mars/Base", "Europe", "", "../../etc/passwd"])
def test_an_unknown_time_zone_is_a_user_error(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], zone: str
) -> None:
    out = tmp_path / "s.csv"
    assert run("export", "--data-dir", data, "--out", out, "--timezone", zone) == 2
    assert f"Unknown time zone “{zone}”" in one_line_error(capsys, "export")
    assert not out.exists()


def test_export_from_a_folder_without_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "nothing-here"
    assert run("export", "--data-dir", empty, "--out", tmp_path / "s.csv") == 2
    assert "There is no Safe Signal data in" in one_line_error(capsys, "export")
    assert not empty.exists()  # looking does not create a database


def test_an_unknown_profile_names_the_profiles(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("export", "--data-dir", data, "--profile", "Kim", "--out", tmp_path / "s.csv") == 2
    assert "no profile called “Kim”; the profiles are “Me”" in one_line_error(capsys, "export")


def test_the_data_folder_can_come_from_the_environment(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(data))
    assert run("export", "--out", tmp_path / "s.csv") == 0


# -- import -------------------------------------------------------------------------------------


def test_an_import_keeps_after_ratings_given_here_and_says_so(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rescued = tmp_path / "rescued.json"
    assert run("export", "--data-dir", data, "--out", rescued) == 0
    store = Store(data / DB_FILENAME)
    try:  # the first was left unfinished here, then rated at a start (the file has 3, empty)
        store.db.execute(
            "UPDATE sessions SET status = 'interrupted', post_tension = 7, post_pain = 8 "
            "WHERE id = (SELECT min(id) FROM sessions)"
        )
        store.db.conn.commit()
    finally:
        store.close()
    capsys.readouterr()
    assert run("import", rescued, "--data-dir", data) == 0
    assert capsys.readouterr().out.strip() == (
        "Imported 1 session into “Me” from rescued.json. 2 sessions were already there and "
        "were left as they were. 1 session already had after-ratings you gave here; yours "
        "were kept, not the ones in the file."
    )
    store = Store(data / DB_FILENAME)
    try:
        (first_id,) = store.db.execute("SELECT min(id) FROM sessions").fetchone()
        first = store.sessions.get(first_id)
        assert (first.status, first.after) == (SessionStatus.COMPLETED, Ratings(7, 8))
    finally:
        store.close()


def test_import_round_trip_and_twice_adds_nothing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "backup.json"
    assert run("export", "--data-dir", data, "--out", backup) == 0
    fresh = tmp_path / "fresh"
    capsys.readouterr()
    assert run("import", backup, "--data-dir", fresh) == 0
    assert capsys.readouterr().out.strip() == "Imported 3 sessions into “Me” from backup.json."
    assert counts(fresh) == counts(data) == {"Me": (3, 2)}
    assert run("import", backup, "--data-dir", fresh) == 0
    assert capsys.readouterr().out.strip() == (
        "Imported 0 sessions into “Me” from backup.json. "
        "3 sessions were already there and were left as they were."
    )
    assert counts(fresh) == {"Me": (3, 2)}


def test_an_empty_export_imports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.json"
    path.write_text('{"format": "safesignal-sessions", "version": 1, "sessions": []}')
    assert run("import", path, "--data-dir", tmp_path / "d") == 0
    assert "has no sessions; nothing was imported" in capsys.readouterr().out


def test_a_malformed_file_is_refused_with_its_line_and_nothing_changes(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "backup.json"
    run("export", "--data-dir", data, "--out", backup)
    document = json.loads(backup.read_text(encoding="utf-8"))
    for session in document["sessions"]:  # new to the database, so they would be added
        session["started_at_utc"] = session["started_at_utc"].replace("2024", "2023")
    document["sessions"][2]["pain_before"] = 12
    text = json.dumps(document, indent=2)
    backup.write_text(text, encoding="utf-8")
    line = text.count("\n", 0, text.rindex('"pain_before"')) + 1
    before = counts(data)
    capsys.readouterr()
    assert run("import", backup, "--data-dir", data) == 2
    error = one_line_error(capsys, "import")
    assert error.startswith(f"safesignal import: backup.json, line {line}: session 3: pain_before")
    assert counts(data) == before


def test_a_json_syntax_error_is_refused_with_line_and_column(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "format": "safesignal-sessions",\n  "version": 1,\n  "sessions": [}\n')
    before = counts(data)
    assert run("import", broken, "--data-dir", data) == 2
    assert "broken.json, line 4, column 16: not valid JSON" in one_line_error(capsys, "import")
    assert counts(data) == before


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.json", None, "There is no file"),
        ("folder", "dir", "is a folder, not a file"),
        ("latin.json", b"Schmerz: \xe4", "is not UTF-8 text"),
        ("newer.json", b'{"format": "safesignal-sessions", "version": 3, "sessions": []}', "newer"),
    ],
)
def test_unreadable_or_newer_files_are_one_line_user_errors(
    data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | str | None,
    expected: str,
) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    before = counts(data)
    assert run("import", path, "--data-dir", data) == 2
    assert expected in one_line_error(capsys, "import")
    assert counts(data) == before


def test_a_malformed_file_does_not_create_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    assert run("import", bad, "--data-dir", tmp_path / "new") == 2
    assert not (tmp_path / "new").exists()


# -- demo ---------------------------------------------------------------------------------------


def test_demo_is_created_labelled_and_deleted_in_one_step(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = counts(data)
    assert run("demo", "--data-dir", data, "--profile", "Alex") == 0
    said = capsys.readouterr().out
    assert "Created the demo profile “Alex (demo)”" in said
    assert 'safesignal demo --delete --profile "Alex (demo)"' in said
    made = counts(data)
    assert made["Me"] == before["Me"]
    sessions, areas = made["Alex (demo)"]
    assert sessions > 40
    assert areas > 0

    assert run("demo", "--data-dir", data, "--profile", "Alex") == 2
    assert "already a demo profile “Alex (demo)”" in one_line_error(capsys, "demo")

    assert run("demo", "--delete", "--data-dir", data, "--profile", "Alex (demo)") == 0
    assert capsys.readouterr().out.strip() == (
        f"Deleted the demo profile “Alex (demo)” and its {sessions} sessions."
    )
    assert counts(data) == before


def test_the_demo_is_reproducible(tmp_path: Path) -> None:
    exports = []
    for name in ("one", "two"):
        assert run("demo", "--data-dir", tmp_path / name, "--profile", "Alex") == 0
        out = tmp_path / f"{name}.json"
        assert (
            run("export", "--data-dir", tmp_path / name, "--profile", "Alex (demo)", "--out", out)
            == 0
        )
        exports.append(json.loads(out.read_text(encoding="utf-8"))["sessions"])
    assert exports[0] == exports[1]
    assert run("demo", "--data-dir", tmp_path / "three", "--profile", "Alex", "--seed", "7") == 0
    out = tmp_path / "three.json"
    run("export", "--data-dir", tmp_path / "three", "--profile", "Alex (demo)", "--out", out)
    assert json.loads(out.read_text(encoding="utf-8"))["sessions"] != exports[0]


def test_demo_without_a_name_uses_the_default_profiles(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("demo", "--data-dir", data) == 0
    assert "Me (demo)" in counts(data)
    assert run("demo", "--delete", "--data-dir", data) == 0
    assert set(counts(data)) == {"Me"}
    capsys.readouterr()
    assert run("demo", "--delete", "--data-dir", data) == 2  # never the default profile itself
    assert "no demo profile called “Me (demo)”" in one_line_error(capsys, "demo")
    assert counts(data)["Me"] == (3, 2)


def test_a_profile_that_is_not_a_demo_is_not_deleted(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = counts(data)
    assert run("demo", "--delete", "--data-dir", data, "--profile", "Me") == 2
    assert "“Me” is not a demo profile, so it is not deleted" in one_line_error(capsys, "demo")
    assert counts(data) == before


# -- the command line itself ------------------------------------------------------------------


# -- report (drawn by ui.report.document; here with a stand-in, as the core has no Qt) -------------------


class FakeReport:
    """Records what the report command asks to be drawn, and writes a token file."""

    def __init__(self) -> None:
        self.calls: list[dict[str, object]] = []

    def __call__(self, path: Path, **options: object) -> int:
        self.calls.append({"path": path, **options})
        path.write_bytes(b"%PDF-fake")
        table = options["table"]
        first_day = options["first_day"]
        if first_day is None:
            return len(table)  # type: ignore[arg-type]
        stamps = table.stamps.tolist()  # type: ignore[attr-defined]
        return sum(datetime.fromtimestamp(s, UTC).date() >= first_day for s in stamps)


def run_report(*argv: str | Path, writer: FakeReport | None = None) -> int:
    return main(["report", *(str(arg) for arg in argv)], now=now, tz=UTC, write_report=writer)


def test_report_hands_the_profiles_sessions_to_the_writer(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    writer = FakeReport()
    out = tmp_path / "r.PDF"
    assert run_report("--data-dir", data, "--out", out, "--since", "2024-05-02", writer=writer) == 0
    (call,) = writer.calls
    assert call["path"] == out
    assert call["profile_name"] == "Me"
    assert len(call["table"]) == 3  # type: ignore[arg-type]
    assert call["regions"].by_session() == {3: ("neck",)}  # type: ignore[attr-defined]
    assert call["first_day"] == date(2024, 5, 2)
    assert call["today"] == now().date()
    assert call["created_at"] == now()
    assert call["tz"] is UTC
    said = capsys.readouterr()
    assert said.out == (
        f"Wrote the report of 2 sessions of “Me” to {out}. It holds health information: keep "
        "it private.\n"
    )
    assert said.err == ""


def test_report_days_are_in_the_time_zone_asked_for(data: Path, tmp_path: Path) -> None:
    writer = FakeReport()
    out = tmp_path / "r.pdf"
    assert (
        run_report(
            "--data-dir", data, "--out", out, "--timezone", "Pacific/Kiritimati", writer=writer
        )
        == 0
    )
    assert writer.calls[0]["today"] == (now() + timedelta(hours=14)).date()


def test_report_without_a_zone_uses_this_machines_rules(data: Path, tmp_path: Path) -> None:
    writer = FakeReport()
    out = tmp_path / "r.pdf"
    assert (
        main(["report", "--data-dir", str(data), "--out", str(out)], now=now, write_report=writer)
        == 0
    )
    assert isinstance(writer.calls[0]["tz"], LocalZone)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--out", "r.txt"], "Give --out a file name ending in .pdf (not “"),
        (["--out", "missing/r.pdf"], "the folder"),
        (["--since", "2024-5-1"], "--since “2024-5-1” is not a date; use YYYY-MM-DD"),
        (["--since", "2024-13-01"], "is not a date; use YYYY-MM-DD, such as 2024-05-01."),
        (["--profile", "Nobody"], "There is no profile called “Nobody”; the profiles are “Me”."),
        (["--timezone", "Europe"], "Unknown time zone “Europe”"),
    ],
)
def test_report_mistakes_are_one_line_and_exit_2(
    data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    expected: str,
) -> None:
    writer = FakeReport()
    options = {"--out": str(tmp_path / "r.pdf"), "--data-dir": str(data)}
    for flag, value in zip(argv[::2], argv[1::2], strict=True):
        options[flag] = str(tmp_path / value) if flag == "--out" else value
    assert run_report(*(x for pair in options.items() for x in pair), writer=writer) == 2
    assert expected in one_line_error(capsys, "report")
    assert writer.calls == []


def test_report_without_data_or_without_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    writer = FakeReport()
    assert (
        run_report("--data-dir", tmp_path / "none", "--out", tmp_path / "r.pdf", writer=writer) == 2
    )
    assert "There is no Safe Signal data in" in one_line_error(capsys, "report")
    assert run_report("--data-dir", tmp_path, writer=writer) == 2
    assert "the following arguments are required: --out" in one_line_error(capsys, "report")
    assert not (tmp_path / "r.pdf").exists()


def test_report_without_a_writer_says_where_it_runs(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # trainer.cli alone (python -m trainer.cli) has no Qt to draw the PDF with.
    assert run_report("--data-dir", data, "--out", tmp_path / "r.pdf") == 2
    assert "run safesignal report" in one_line_error(capsys, "report")
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["export", "--format", "csv"], "the following arguments are required: --out"),
        (["export", "--out", "x", "--format", "xml"], "invalid choice: 'xml'"),
        (["export", "--out", "x", "--bogus"], "unrecognized arguments: --bogus"),
        (["import"], "the following arguments are required: FILE"),
        (["expot"], "invalid choice: 'expot'"),
        ([], "the following arguments are required: COMMAND"),
        # Found: an unknown option before the command was called a missing COMMAND.
        (["--bogus"], "unrecognised option --bogus"),
        (["--data-dir", "d", "--verbose", "export"], "unrecognised option --verbose"),
        (["demo", "--seed", "x"], "invalid int value"),
    ],
)
def test_usage_mistakes_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    assert run(*argv) == 2
    line = one_line_error(capsys, argv[0] if argv else "")
    assert expected in line
    assert line.endswith("--help)")


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    for command in COMMANDS:
        assert run(command, "--help") == 0
        assert "--data-dir" in capsys.readouterr().out
    assert run("--help") == 0
    assert "export" in capsys.readouterr().out


def test_a_database_problem_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)  # private, as the app makes it: no note about its permissions
    (folder / DB_FILENAME).write_bytes(b"this is not sqlite" * 100)
    assert run("export", "--data-dir", folder, "--out", tmp_path / "x.csv") == 2
    assert "damaged or is not a Safe Signal database" in one_line_error(capsys, "export")


# -- through the real entry point, without Qt ---------------------------------------------------


@pytest.fixture
def clean_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != ENV_DATA_DIR}
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def test_python_m_ui_app_export_runs_without_a_display(
    data: Path, tmp_path: Path, clean_env: dict[str, str]
) -> None:
    out = tmp_path / "s.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui.shell.app",
            "export",
            "--data-dir",
            str(data),
            "--out",
            str(out),
        ],
        cwd=REPO,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Exported 3 sessions" in result.stdout
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4


def test_the_entry_point_never_imports_qt_for_a_command(
    data: Path, tmp_path: Path, clean_env: dict[str, str]
) -> None:
    # PySide6 is made unimportable, as on a machine without Qt; the commands must not notice.
    code = (
        "import sys\n"
        "sys.modules['PySide6'] = None\n"
        "from ui.shell.app import main\n"
        "codes = [\n"
        f"    main(['demo', '--data-dir', {str(data)!r}, '--profile', 'Alex']),\n"
        f"    main(['export', '--data-dir', {str(data)!r}, '--out', {str(tmp_path / 'a.json')!r}]),\n"
        f"    main(['import', {str(tmp_path / 'a.json')!r}, '--data-dir', {str(tmp_path / 'b')!r}]),\n"
        f"    main(['demo', '--delete', '--data-dir', {str(data)!r}, '--profile', 'Alex']),\n"
        f"    main(['import', {str(tmp_path / 'nope.json')!r}]),\n"
        "]\n"
        "qt = ('PySide6', 'shiboken6', 'pyqtgraph')\n"
        "loaded = sorted(m for m, v in sys.modules.items() if v and m.split('.')[0] in qt)\n"
        "print(codes, loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[0, 0, 0, 0, 2] []"
    assert "Traceback" not in result.stderr
    assert "There is no file" in result.stderr


def test_the_apps_data_dir_before_the_command_is_accepted(
    data: Path, tmp_path: Path, clean_env: dict[str, str]
) -> None:
    """Found: ``safesignal --data-dir D export ...`` was refused ("put the command first")."""
    out = tmp_path / "x.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui.shell.app",
            "--data-dir",
            str(data),
            "export",
            "--out",
            str(out),
        ],
        cwd=REPO,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"Exported 3 sessions of “Me” to {out} (CSV)." in result.stdout
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("first", [["--data-dir", "{data}"], ["--data-dir={data}"]])
def test_the_command_line_takes_the_data_dir_before_the_command(
    data: Path, tmp_path: Path, first: list[str]
) -> None:
    out = tmp_path / "s.json"
    argv = [arg.format(data=data) for arg in first]
    assert run(*argv, "export", "--out", out) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["sessions"]) == 3


def test_the_data_dir_after_the_command_counts_over_the_one_before(
    data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "s.json"
    assert (
        run("--data-dir", tmp_path / "elsewhere", "export", "--data-dir", data, "--out", out) == 0
    )
    assert len(json.loads(out.read_text(encoding="utf-8"))["sessions"]) == 3


def test_an_empty_data_dir_before_the_command_is_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--data-dir", "", "export", "--out", tmp_path / "s.csv") == 2
    assert "--data-dir was given an empty folder name" in one_line_error(capsys, "export")


def test_other_app_options_before_a_command_are_pointed_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from ui.shell.app import is_command_line, parse_args

    assert is_command_line(["--data-dir", "D", "export"])
    assert is_command_line(["--data-dir=D", "--data-dir", "E", "demo"])
    assert not is_command_line(["--data-dir", "D"])
    assert not is_command_line(["--theme", "dark", "export"])
    with pytest.raises(SystemExit):
        parse_args(["--theme", "dark", "export"])
    assert capsys.readouterr().err == (
        "safesignal: export is a command: give it before the app's other options, as in "
        "safesignal [--data-dir DIR] export [options] (see safesignal --help)\n"
    )


@pytest.mark.parametrize("command", ["demo", "export", "import"])
def test_an_empty_profile_name_is_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Found: ``demo --profile ""`` made a profile called "(demo)"."""
    extra = {"demo": [], "export": ["--out", tmp_path / "s.csv"], "import": [tmp_path / "x"]}
    before = counts(data)
    assert run(command, "--data-dir", data, "--profile", " ", *extra[command]) == 2
    assert one_line_error(capsys, command) == (
        f"safesignal {command}: --profile was given an empty name; name the profile, or leave "
        "--profile out for your own."
    )
    assert counts(data) == before


@pytest.mark.parametrize("inside", [False, True])
def test_a_data_folder_that_is_a_file_is_said_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], inside: bool
) -> None:
    """Found: "(File exists)" for a --data-dir that is a file."""
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine", encoding="utf-8")
    folder = blocker / "data" if inside else blocker
    assert run("demo", "--data-dir", folder) == 2
    assert one_line_error(capsys, "demo") == (
        f"safesignal demo: {blocker} is a file, not a folder; Safe Signal keeps its data in a "
        "folder. Give --data-dir a folder (a new name makes a new one)."
    )
    assert blocker.read_text(encoding="utf-8") == "mine"
