"""Hostile input for the app's own options (ui/shell/app.py's parse_args): any arguments are parsed or
refused with exit code 2, the last line of the message naming the problem; --help and --version
exit 0; and nothing unknown that starts with -- is passed on to Qt.
"""

from __future__ import annotations

import contextlib
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.cli import COMMANDS
from ui.shell.app import parse_args

WORDS = st.sampled_from(
    [
        "--data-dir",
        "--theme",
        "--exit-after-paint",
        "--version",
        "--help",
        "-h",
        "dark",
        "bogus",
        "",
        " ",
        "-platform",
        "offscreen",
        "--data-dri",
        "--data-dir=",
        "--theme=",
        "--",
        "-",
        "export",
        "a\nb",
        "--x\ny",
        "\ud800",
        "=",
    ]
)
ARGV = st.lists(WORDS | st.text(st.characters(exclude_characters="\x00"), max_size=8), max_size=6)


@given(ARGV)
def test_any_options_are_parsed_or_refused_naming_the_problem(argv: list[str]) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            args, rest = parse_args(argv)
        except SystemExit as exited:
            code = exited.code
        else:
            code = None
    if code is not None:
        assert code in (0, 2)
        if code == 2:
            said = err.getvalue()
            assert said.count("\n") == 1, said  # one line, no usage before it
            assert said.startswith("safesignal: ")
            assert said.endswith(" (see safesignal --help)\n")
            assert len(said) > len("safesignal:  (see safesignal --help)\n")
        return
    assert not [arg for arg in rest if arg.startswith("--")]
    assert not [arg for arg in rest if arg in COMMANDS]
    assert args.data_dir is None or args.data_dir.strip()
    assert args.theme in (None, "system", "light", "dark", "high_contrast")


def test_an_empty_data_dir_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """Found: --data-dir "" (an unset shell variable, say) opened the default data folder."""
    with pytest.raises(SystemExit) as exited:
        parse_args(["--data-dir", ""])
    assert exited.value.code == 2
    assert "--data-dir was given an empty folder name" in capsys.readouterr().err.splitlines()[-1]


def test_a_mistyped_option_holding_a_line_break_is_named_on_the_last_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Found: "--x\\ny" split the message, so its last line was "y (see --help)"."""
    with pytest.raises(SystemExit):
        parse_args(["--x\ny"])
    assert capsys.readouterr().err == (
        "safesignal: unrecognised option --x y (see safesignal --help)\n"
    )
