"""Privacy: Safe Signal opens no network connection and has no telemetry. This reads every
module of the program and fails on an import of anything that talks to a network (the one local
socket allowed is ui/shell/single_instance.py's QLocalServer/QLocalSocket, which is a file on this
machine, for bringing the first copy to the front)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("trainer", "ui")
NETWORK_MODULES = frozenset(
    {
        "socket",
        "ssl",
        "urllib",
        "http",
        "requests",
        "httpx",
        "aiohttp",
        "urllib3",
        "ftplib",
        "smtplib",
        "poplib",
        "imaplib",
        "telnetlib",
        "xmlrpc",
        "socketserver",
        "webbrowser",
        "asyncio",
        "PySide6.QtWebEngineCore",
        "PySide6.QtWebEngineWidgets",
        "PySide6.QtWebSockets",
    }
)
ALLOWED_QT_NETWORK = {"ui/shell/single_instance.py": {"QLocalServer", "QLocalSocket"}}


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names imported from it) for every import in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def program_files() -> list[Path]:
    files = [p for package in PACKAGES for p in sorted((REPO / package).rglob("*.py"))]
    assert len(files) > 40  # the whole program, not an empty folder
    return files


def test_no_module_imports_anything_that_talks_to_a_network():
    offending = []
    for path in program_files():
        for module, _names in imports(path):
            top = module.split(".")[0]
            if module in NETWORK_MODULES or top in NETWORK_MODULES:
                offending.append(f"{path.relative_to(REPO)}: {module}")
    assert offending == []


def test_qt_network_is_only_the_local_socket_of_the_single_instance():
    used: dict[str, set[str]] = {}
    for path in program_files():
        for module, names in imports(path):
            if module.startswith("PySide6.QtNetwork") or (
                module == "PySide6" and "QtNetwork" in names
            ):
                used.setdefault(path.relative_to(REPO).as_posix(), set()).update(names)
    assert used == ALLOWED_QT_NETWORK


def test_no_code_opens_a_web_address():
    """Opening a URL is only ever a local file (the data folder, shown in the file manager)."""
    web = re.compile(r"""(QUrl\(\s*f?["']https?:|urlopen|QNetworkRequest)""")
    for path in program_files():
        assert not web.search(path.read_text(encoding="utf-8")), path
