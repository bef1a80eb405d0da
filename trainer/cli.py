"""The command line: ``safesignal export``, ``import``, ``demo``, ``report`` and ``restore``.

``ui.shell.app.main`` hands any command here before it imports Qt. Exit codes: 0 when it worked, 2 for
a problem the person can fix (said in one line on stderr, never a traceback), 70 for an
unexpected error (a bug: one line on stderr, the traceback in the data folder's safesignal.log).

    safesignal export --format csv|json --out FILE [--timezone ZONE]
    safesignal import FILE
    safesignal demo [--delete] [--seed N]
    safesignal report --out FILE.pdf [--since YYYY-MM-DD] [--timezone ZONE]
    safesignal restore --list | safesignal restore FILE [--force]

The PDF report is drawn with Qt, which trainer/ never imports: the caller passes the function
that draws it (``ui.shell.app`` passes ``ui.report.document.write_report_headless``). Everything else about the
command, from its options to its messages, is here.

Every command takes ``--data-dir DIR`` (default: ``$SAFESIGNAL_DATA_DIR`` or the app-data folder),
before the command or after it, and (all but ``restore``) ``--profile NAME`` (default: the first profile, "Me").
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import io
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Final, NoReturn, Protocol

from trainer import __version__
from trainer.app.words import kept_after_text, sessions_text
from trainer.errors import CorruptDatabaseError, SafeSignalError
from trainer.safety.lock import LOCK_FILENAME, DataFolderLock
from trainer.safety.paths import DB_FILENAME, ENV_DATA_DIR, make_private, resolve_data_dir
from trainer.session.clock import LocalZone, utc_now

if TYPE_CHECKING:
    from trainer.analysis.history import RegionMarks, SessionTable
    from trainer.store.profiles import Profile
    from trainer.store.store import Store

# The heavier modules (the store, the exercise files) are imported by the commands themselves, so
# that ``ui.shell.app`` can look at COMMANDS without slowing the app's start.
COMMANDS: Final[tuple[str, ...]] = ("export", "import", "demo", "report", "restore")
EXIT_OK: Final = 0
EXIT_USER_ERROR: Final = 2
# What a shell reports for a program ended by SIGPIPE: its reader (``| head``) stopped reading.
EXIT_BROKEN_PIPE: Final = 128 + 13
_DISK_FULL: Final = frozenset(
    code for code in (getattr(errno, "ENOSPC", None), getattr(errno, "EDQUOT", None)) if code
)
PROG: Final = "safesignal"


class UsageError(SafeSignalError):
    """A command that cannot be carried out as asked (no such profile, an unknown format...)."""


class ReportWriter(Protocol):
    """Draws the PDF report and returns how many sessions it covers (see ``ui.report.document``)."""

    def __call__(
        self,
        path: Path,
        *,
        profile_name: str,
        table: SessionTable,
        regions: RegionMarks,
        tz: tzinfo,
        today: date,
        created_at: datetime,
        first_day: date | None = None,
    ) -> int: ...


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose mistakes are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        message = " ".join(message.split())  # an argument may hold a line break
        self.exit(EXIT_USER_ERROR, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser for every command."""
    folder = OneLineParser(add_help=False)
    folder.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"the folder of the database (default: ${ENV_DATA_DIR}, or your app-data folder)",
    )
    common = OneLineParser(add_help=False, parents=[folder])
    common.add_argument(
        "--profile", metavar="NAME", help="whose sessions (default: the first profile)"
    )
    parser = OneLineParser(
        prog=PROG,
        description="Safe Signal's commands. Run safesignal without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(  # before the command too, as the app takes it (and as git does)
        "--data-dir",
        dest="data_dir_first",
        metavar="DIR",
        help="the folder of the database, for any command (also after it; that one counts)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    export = commands.add_parser(
        "export",
        parents=[common],
        help="write a profile's sessions to a CSV or JSON file",
        description="Write a profile's sessions to a file, one row per session, oldest first. "
        "The file holds health information: keep it private.",
    )
    export.add_argument("--format", choices=("csv", "json"), help="default: from --out's suffix")
    export.add_argument(
        "--out", metavar="FILE", required=True, help="the file to write; - for stdout"
    )
    export.add_argument(
        "--timezone",
        metavar="ZONE",
        help="zone of the started_at_local column, such as Europe/Berlin (default: this machine's)",
    )

    imported = commands.add_parser(
        "import",
        parents=[common],
        help="add the sessions of a JSON export (sessions already there are skipped)",
        description="Add the sessions of a JSON export made by safesignal export. The whole file "
        "is checked first: if anything in it is wrong, nothing is imported.",
    )
    imported.add_argument("file", metavar="FILE", help="a JSON export")

    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="create (or --delete) a demo profile with a made-up 60-day history",
        description='Create a profile called "NAME (demo)" with a made-up, plausible 60-day '
        "history, to show the app without anyone's real data; --delete removes it again.",
    )
    demo.add_argument(
        "--delete", action="store_true", help="delete the demo profile and all its sessions"
    )
    demo.add_argument(
        "--seed", type=int, default=None, help="a number for a different made-up history"
    )

    report = commands.add_parser(
        "report",
        parents=[common],
        help="write a PDF report of a profile's practice, for a clinician",
        description="Write a PDF report for a clinician: the profile and the days covered, the "
        "figures (each with the number of sessions behind it and, for changes, a 95% confidence "
        "interval), plots of the ratings, and every session in a table. The file holds health "
        "information: keep it private.",
    )
    report.add_argument("--out", metavar="FILE.pdf", required=True, help="the PDF file to write")
    report.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        help="only sessions on this day or later (default: all sessions)",
    )
    report.add_argument(
        "--timezone",
        metavar="ZONE",
        help="zone of the days and times, such as Europe/Berlin (default: this machine's)",
    )

    restore = commands.add_parser(
        "restore",
        parents=[folder],
        help="list the backups (--list) or put one back in place of the database",
        description="Backups are made each day Safe Signal starts (the last 7 are kept) and "
        "before each update of the database. --list shows them, newest first; restore FILE "
        "(a name from the list, or the path of a backup) checks it and puts it in place of the "
        "database, after backing up the database as it is. Close Safe Signal first.",
    )
    restore.add_argument("--list", action="store_true", help="list the backups, newest first")
    restore.add_argument(
        "--force",
        action="store_true",
        help="replace a database written by a newer version of Safe Signal (it is backed up first)",
    )
    restore.add_argument(
        "file", metavar="FILE", nargs="?", help="a backup's name from --list, or its path"
    )
    return parser


def unknown_leading_option(arguments: Sequence[str]) -> str | None:
    """The first option before the command that no command takes (``--verbose export``), on
    one line; ``None`` when there is none."""
    rest = list(arguments)
    while rest and rest[0].startswith("-"):
        first = rest.pop(0)
        if first == "--data-dir":
            rest = rest[1:]
        elif first not in {"-h", "--help", "--version"} and not first.startswith("--data-dir="):
            return " ".join(first.split())
    return None


def main(
    argv: Sequence[str] | None = None,
    *,
    now: Callable[[], datetime] = utc_now,
    tz: tzinfo | None = None,
    write_report: ReportWriter | None = None,
) -> int:
    """Run one command; return the exit code. ``now`` and ``tz`` (the local zone) are for tests;
    ``write_report`` draws the PDF of ``report`` (without it, that command says where to run it)."""
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    unknown = unknown_leading_option(arguments)
    if unknown is not None:  # argparse would say only that COMMAND is missing
        print(f"{PROG}: unrecognised option {unknown} (see {PROG} --help)", file=sys.stderr)
        return EXIT_USER_ERROR
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exited:  # --help, --version, or a mistake already reported
        return exited.code if isinstance(exited.code, int) else EXIT_USER_ERROR
    if args.data_dir is None:  # safesignal --data-dir DIR export ...
        args.data_dir = args.data_dir_first
    if getattr(args, "profile", None) is not None and not args.profile.strip():
        print(
            f"{PROG} {args.command}: --profile was given an empty name; name the profile, "
            "or leave --profile out for your own.",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    run = _RUNNERS[args.command]
    if args.command == "report":
        run = functools.partial(_report, write_report=write_report)
    try:
        _remove_stale_read_copies()
        _make_private(args)
        _finish_interrupted_restore(args)
        _look_at_wal(args, now)
        code = run(args, now, tz)
        sys.stdout.flush()  # here, so that a closed pipe or a full disk is met in this try
        return code
    except SafeSignalError as exc:
        message = _plain(" ".join(str(exc).split()))
        if isinstance(exc, CorruptDatabaseError) and args.command != "restore":
            message += f" To put back a backup: {PROG} restore --list."
        print(f"{PROG} {args.command}: {message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (| head): nothing to say, as other tools
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        if exc.errno not in _DISK_FULL:
            return _unexpected(args, exc)
        _silence_stdout()
        print(
            f"{PROG} {args.command}: the disk is full, so this could not be written; free some "
            "space and try again.",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    except Exception as exc:  # a bug: logged with its traceback, one line for the person
        return _unexpected(args, exc)


_CONTROL_RE: Final = re.compile("[\x00-\x1f\x7f-\x9f]")


def _plain(text: str) -> str:
    """``text`` (a file name, say) with no control character a terminal would act on."""
    return _CONTROL_RE.sub("\ufffd", text)


def _silence_stdout() -> None:
    """Send what is left in stdout's buffer nowhere: it could not be written, and Python would
    try again at exit and print an error about it."""
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        fileno = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fileno)
        os.close(devnull)


def _remove_stale_read_copies() -> None:
    """The private copies of a read-only database that an ``export`` or ``report`` killed
    outright left in the temporary folder are removed (see :mod:`trainer.safety.read_copies`)."""
    from trainer.safety.read_copies import remove_stale_read_copies

    remove_stale_read_copies()


def _make_private(args: argparse.Namespace) -> None:
    """An existing data folder that others may open is made private (0700), said once on
    stderr; one that cannot be (someone else's) is warned about."""
    said = make_private(_data_dir(args))
    if said is not None:
        print(f"{PROG}: {_plain(said)}", file=sys.stderr)


def _finish_interrupted_restore(args: argparse.Namespace) -> None:
    """Before a command touches the data folder: a restore cut short there (a crash, a kill)
    is finished, or undone when its backup is gone, and said in one line on stderr."""
    from trainer.safety.restore_journal import restore_unfinished

    data_dir = _data_dir(args)
    if restore_unfinished(data_dir):
        from trainer.safety.backup import finish_restore

        finished = finish_restore(data_dir)  # under a lock of its own
        if finished is not None:
            print(f"{PROG}: {_plain(finished.message)}", file=sys.stderr)


def _look_at_wal(args: argparse.Namespace, now: Callable[[], datetime]) -> None:
    """Before a command opens the database: saved changes that a damaged ``-wal`` holds and
    SQLite would drop without a word are found, the log is copied aside, and that is said in
    one line on stderr (see :mod:`trainer.safety.wal_check`). Not while the app or another
    command has the folder: its SQLite read the log when it opened it, and may be writing to
    it now. (The commands' stores do not look again.)"""
    data_dir = _data_dir(args)
    try:
        if (data_dir / f"{DB_FILENAME}-wal").stat().st_size == 0:
            return  # the everyday case: a clean close emptied it
    except OSError:
        return
    from trainer.errors import FolderInUseError
    from trainer.safety.wal_check import find_lost_tail

    writable = os.access(data_dir, os.W_OK)
    if writable:
        lock = DataFolderLock(data_dir, f"the {args.command} command")
        try:
            lock.acquire()
        except FolderInUseError:
            return
        try:
            lost = find_lost_tail(data_dir / DB_FILENAME, now())
        finally:
            lock.release()
    else:  # the files are only read (from a copy), never changed: nothing to set aside
        lost = find_lost_tail(data_dir / DB_FILENAME, now(), set_aside=False)
    if lost is not None:
        print(f"{PROG}: {_plain(lost.message)}", file=sys.stderr)


def _unexpected(args: argparse.Namespace, exc: Exception) -> int:
    """Log an unexpected error to the data folder's log; say so in one line; exit code 70."""
    from trainer.safety.errorlog import EXIT_UNEXPECTED, log_unexpected

    try:
        data_dir: Path | None = _data_dir(args)
    except Exception:
        data_dir = None
    log = log_unexpected(data_dir, type(exc), exc, exc.__traceback__, f"{PROG} {args.command}")
    where = f"the details are in {log}" if log else "the details could not be logged"
    print(
        f"{PROG} {args.command}: something unexpected went wrong (a mistake in the program); "
        f"your recorded sessions are safe, and {where}.",
        file=sys.stderr,
    )
    return EXIT_UNEXPECTED


def _data_dir(args: argparse.Namespace) -> Path:
    if args.data_dir is not None and not args.data_dir.strip():
        # Most often an unset shell variable: never fall back to the real data folder for it.
        raise UsageError(
            "--data-dir was given an empty folder name; name the folder, or leave it out."
        )
    folder = resolve_data_dir(args.data_dir)
    for part in (folder, *folder.parents):  # the nearest part that is there must be a folder
        if part.exists() or part.is_symlink():
            if not part.is_dir():
                raise UsageError(
                    f"{part} is a file, not a folder; Safe Signal keeps its data in a folder. "
                    "Give --data-dir a folder (a new name makes a new one)."
                )
            break
    return folder


@contextmanager
def _writing(data_dir: Path, what: str) -> Iterator[None]:
    """Hold the data folder's lock while a command writes (refused while the app is open), and
    leave no trace if the command then fails: where the folder or the database was not there
    before, what the command made of them (the database, its journal, the lock file, the folder
    itself) is taken away again, while the lock is still held. An existing database is never
    touched here; the store's transactions keep it as it was. A refused lock removes nothing."""
    had_folder = data_dir.exists()
    had_lock_file = (data_dir / LOCK_FILENAME).exists()
    lock = DataFolderLock(data_dir, what)
    lock.acquire()
    had_database = (data_dir / DB_FILENAME).exists()  # looked at only once the folder is ours
    try:
        yield
    except BaseException:
        if not had_database:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    (data_dir / f"{DB_FILENAME}{suffix}").unlink()
        if not had_lock_file:
            with contextlib.suppress(OSError):
                (data_dir / LOCK_FILENAME).unlink()
        lock.release()
        if not had_folder:
            with contextlib.suppress(OSError):
                data_dir.rmdir()  # only when empty
        raise
    lock.release()


@contextmanager
def _reading_store(args: argparse.Namespace) -> Iterator[Store]:
    """The database for a command that only reads (``export``, ``report``). A data folder this
    user may not write to (a read-only mount, a folder made read-only) is read from a private
    copy made in a temporary folder, since SQLite's write-ahead log needs files beside the
    database even to read it; the copy is deleted when the command ends, and one that a kill
    left behind by the next command."""
    data_dir = _data_dir(args)
    path = data_dir / DB_FILENAME
    if not path.is_file() or (os.access(data_dir, os.W_OK) and os.access(path, os.W_OK)):
        store = _existing_store(args)
        try:
            yield store
        finally:
            store.close()
        return
    import shutil

    from trainer.safety.read_copies import read_folder
    from trainer.store.store import Store

    with read_folder() as temp:  # 0700, removed at the end (or by the next command, if killed)
        copy = Path(temp) / DB_FILENAME
        for suffix in ("", "-wal"):  # what a killed run left in the -wal is read too
            if (data_dir / f"{DB_FILENAME}{suffix}").is_file():
                try:
                    shutil.copyfile(data_dir / f"{DB_FILENAME}{suffix}", f"{copy}{suffix}")
                except OSError as exc:
                    raise UsageError(
                        f"Could not read the database in {data_dir} ({exc.strerror or exc}); "
                        "check that you may read it."
                    ) from None
        try:
            store = Store(
                copy, look_at_wal=False
            )  # an older schema is brought up to date in the copy only
        except SafeSignalError as exc:  # named as the person knows it, not as the copy
            raise type(exc)(str(exc).replace(str(copy), str(path))) from None
        try:
            yield store
        finally:
            store.close()


def _existing_store(args: argparse.Namespace) -> Store:
    from trainer.safety.backup import back_up_before_migration
    from trainer.store.store import Store

    data_dir = _data_dir(args)
    path = data_dir / DB_FILENAME
    if not path.is_file():
        raise UsageError(f"There is no Safe Signal data in {data_dir} (no {DB_FILENAME}).")
    return Store(path, before_migration=back_up_before_migration, look_at_wal=False)


def _profile(store: Store, name: str | None) -> Profile:
    if name is None:
        return store.profiles.get(store.profiles.default_id())
    found = store.profiles.by_name(name.strip())
    if found is None:
        names = ", ".join(f"“{p.name}”" for p in store.profiles.all())
        raise UsageError(f"There is no profile called “{name}”; the profiles are {names}.")
    return found


def _zone(name: str | None, default: tzinfo | None) -> tzinfo | None:
    if name is None:
        return default
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a folder
        raise UsageError(
            f"Unknown time zone “{name}”; use a name such as Europe/Berlin or UTC."
        ) from None


def _export(args: argparse.Namespace, now: Callable[[], datetime], tz: tzinfo | None) -> int:
    from trainer.store.exchange import HEALTH_DATA_WARNING, export_sessions, write_export

    fmt = args.format or Path(args.out).suffix.lower().lstrip(".")
    if fmt not in ("csv", "json"):
        raise UsageError("Choose --format csv or --format json (or an --out name ending in one).")
    zone = _zone(args.timezone, tz)
    with _reading_store(args) as store:
        profile = _profile(store, args.profile)
        if args.out == "-":
            if isinstance(sys.stdout, io.TextIOWrapper):
                sys.stdout.reconfigure(newline="")  # CSV ends its rows itself (no \r\r\n)
            try:
                count = write_export(store, profile.id, sys.stdout, fmt, tz=zone, now=now)
                sys.stdout.flush()
            except BrokenPipeError:
                raise
            except OSError as exc:
                _silence_stdout()
                if exc.errno in _DISK_FULL:
                    raise UsageError(
                        "Could not write to standard output: the disk is full. Free some space "
                        "and try again."
                    ) from None
                raise UsageError(
                    f"Could not write to standard output: {exc.strerror or exc}."
                ) from None
            tell = sys.stderr
        else:
            count = export_sessions(store, profile.id, Path(args.out), fmt, tz=zone, now=now)
            tell = sys.stdout
    where = "standard output" if args.out == "-" else _plain(args.out)
    print(
        f"Exported {sessions_text(count)} of “{profile.name}” to {where} ({fmt.upper()}).",
        file=tell,
    )
    print(HEALTH_DATA_WARNING, file=tell)
    return EXIT_OK


def _import(args: argparse.Namespace, now: Callable[[], datetime], tz: tzinfo | None) -> int:
    from trainer.safety.backup import back_up_before_migration
    from trainer.store.exchange import read_export
    from trainer.store.store import Store

    path = Path(args.file)
    sessions = read_export(path)  # checked before the database is opened
    with _writing(_data_dir(args), "an import"):  # refused while the app is open
        store = Store.open_in(
            _data_dir(args), before_migration=back_up_before_migration, look_at_wal=False
        )
        try:
            profile = _profile(store, args.profile)
            counted = store.sessions.add_counted(profile.id, sessions)
            added, skipped = counted.added, counted.skipped
        finally:
            store.close()
    if not sessions:
        print(f"{_plain(path.name)} has no sessions; nothing was imported.")
        return EXIT_OK
    text = f"Imported {sessions_text(added)} into “{profile.name}” from {_plain(path.name)}."
    if skipped:
        were = "was" if skipped == 1 else "were"
        text += f" {sessions_text(skipped)} {were} already there and {were} left as they were."
    print(text + kept_after_text(counted.kept_after))
    return EXIT_OK


def _demo(args: argparse.Namespace, now: Callable[[], datetime], tz: tzinfo | None) -> int:
    from trainer.app.demo import (
        DEMO_DAYS,
        DEMO_SEED,
        create_demo_profile,
        delete_demo_profile,
        demo_name,
    )
    from trainer.content.catalog import load_catalog
    from trainer.content.scripts import load_scripts
    from trainer.safety.backup import back_up_before_migration
    from trainer.store.store import Store

    if args.delete:
        with _writing(_data_dir(args), "a demo command"):  # before the store is opened
            store = _existing_store(args)
            try:
                if args.profile is not None:
                    label, removed = delete_demo_profile(store, args.profile)
                else:  # only ever the default profile's demo, never the default profile itself
                    demo = demo_name(_profile(store, None).name)
                    label, removed = delete_demo_profile(store, demo)
            finally:
                store.close()
        print(f"Deleted the demo profile “{label}” and its {sessions_text(removed)}.")
        return EXIT_OK
    catalog = load_catalog()
    scripts = load_scripts(problems=[])  # a broken script file only leaves that exercise out
    with _writing(_data_dir(args), "a demo command"):  # refused while the app is open
        store = Store.open_in(
            _data_dir(args), before_migration=back_up_before_migration, look_at_wal=False
        )
        try:
            name = args.profile if args.profile is not None else _profile(store, None).name
            seed = DEMO_SEED if args.seed is None else args.seed
            label, count = create_demo_profile(
                store, name, catalog, scripts, now=now, tz=tz, seed=seed
            )
        finally:
            store.close()
    print(
        f"Created the demo profile “{label}” with {sessions_text(count)} made up over the last "
        f"{DEMO_DAYS} days. None of it is anyone's real data."
    )
    print(f'Delete it with: {PROG} demo --delete --profile "{label}"')
    return EXIT_OK


def _report(
    args: argparse.Namespace,
    now: Callable[[], datetime],
    tz: tzinfo | None,
    *,
    write_report: ReportWriter | None = None,
) -> int:
    if write_report is None:
        raise UsageError(
            "The PDF report is drawn by the app's own command: run safesignal report (or "
            "python -m ui report) with the same options."
        )
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise UsageError(f"Give --out a file name ending in .pdf (not “{args.out}”).")
    if out.is_dir():
        raise UsageError(f"{out} is a folder; give --out a file name ending in .pdf.")
    if not out.parent.is_dir():
        raise UsageError(
            f"Could not write the report to {out}: the folder {out.parent} does not exist."
        )
    from trainer.safety.files import regular_target

    # Before the report is drawn: only a regular file is written (a link, to its target).
    regular_target(out, lambda why: UsageError(f"Could not write the report to {out}: {why}"))
    since = _day(args.since, "--since") if args.since is not None else None
    zone = _zone(args.timezone, tz) or LocalZone()
    with _reading_store(args) as store:
        profile = _profile(store, args.profile)
        table = store.sessions.table(profile.id)
        regions = store.regions.pain_marks(profile.id)
    created = now()
    count = write_report(
        out,
        profile_name=profile.name,
        table=table,
        regions=regions,
        tz=zone,
        today=created.astimezone(zone).date(),
        created_at=created,
        first_day=since,
    )
    print(
        f"Wrote the report of {sessions_text(count)} of “{profile.name}” to {_plain(str(out))}. "
        "It holds health "
        "information: keep it private."
    )
    return EXIT_OK


_DAY_RE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def _restore(args: argparse.Namespace, now: Callable[[], datetime], tz: tzinfo | None) -> int:
    from trainer.safety.backup import (
        ReplacesNewerError,
        backup_dir,
        find_backup,
        list_backups,
        restore_backup,
    )

    data_dir = _data_dir(args)
    if args.list == (args.file is not None):
        raise UsageError("Give either --list or the backup to restore (see safesignal restore -h).")
    if args.list:
        backups = list_backups(data_dir)
        if not backups:
            print(
                f"There are no backups in {backup_dir(data_dir)} yet. One is made each day "
                "Safe Signal starts, and before each update of the database."
            )
            return EXIT_OK
        print(f"Backups in {backup_dir(data_dir)}, newest first:")
        for found in backups:
            print(f"  {found.name}  ({found.describe()})")
        print(f"Restore one with: {PROG} restore NAME")
        return EXIT_OK
    try:
        restored = restore_backup(
            data_dir, find_backup(data_dir, args.file), now=now, replace_newer=args.force
        )
    except ReplacesNewerError as exc:
        raise UsageError(
            f"{exc} To replace it anyway (it is backed up first), add --force."
        ) from exc
    text = f"Restored {restored.backup.name} ({sessions_text(restored.sessions)})."
    if restored.saved_as is not None:
        text += f" The database as it was is kept as the backup {restored.saved_as.name}."
    if restored.set_aside is not None:
        text += f" The damaged database was moved aside to {restored.set_aside.name}."
    if restored.kept_as is not None:
        text += f" The backup is kept for good, as {restored.kept_as.name}."
    print(text)
    return EXIT_OK


def _day(text: str, option: str) -> date:
    """A calendar day written YYYY-MM-DD."""
    if _DAY_RE.fullmatch(text.strip()):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise UsageError(f"{option} “{text}” is not a date; use YYYY-MM-DD, such as 2024-05-01.")


_RUNNERS: Final[
    dict[str, Callable[[argparse.Namespace, Callable[[], datetime], tzinfo | None], int]]
] = {"export": _export, "import": _import, "demo": _demo, "report": _report, "restore": _restore}


if __name__ == "__main__":
    sys.exit(main())
