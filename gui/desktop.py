"""The desktop entry a Linux user can install: ``backprop-lab --install-desktop-entry``.

It writes backprop-lab.desktop into the user's applications folder and the icon into the
user's hicolor theme, both under $XDG_DATA_HOME (default ~/.local/share), as the freedesktop
specifications say; menus and task bars then show the app by name and icon. (No Qt here.)
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path

NAME = "backprop-lab"  # the desktop file's name, the icon's name and gui.app's desktop file name
# StartupWMClass: Qt names the X11 window class after QCoreApplication.applicationName().
RESERVED = " \t\n\"'\\><~|&;$*?#()`="  # characters that make an Exec argument need quotes
ENTRY = """[Desktop Entry]
Type=Application
Version=1.5
Name=Backprop Lab
GenericName=Backpropagation teaching lab
Comment=See backpropagation at work: every number it computes, step by step
Exec={exec} %f
Icon={icon}
Terminal=false
StartupWMClass=Backprop Lab
Categories=Education;Science;ArtificialIntelligence;
Keywords=neural network;backpropagation;gradient;lecture;
"""


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    """$XDG_DATA_HOME if it is an absolute path (the spec ignores others), else ~/.local/share."""
    environ = os.environ if environ is None else environ
    value = environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local/share"


def launcher() -> list[str]:
    """The command that starts the app as installed now: the backprop-lab script beside this
    Python (a virtualenv's bin is not on a desktop's PATH), else on PATH, else main.py."""
    script = Path(sys.executable).with_name(NAME)
    if script.is_file():
        return [str(script)]
    found = shutil.which(NAME)
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, str(Path(__file__).resolve().parents[1] / "main.py")]


def quoted(argument: str) -> str:
    """One argument of an Exec line, quoted and escaped as the desktop entry spec asks."""
    escaped = argument.replace("%", "%%")  # a literal % is %% (%f is the file to open)
    if not any(c in argument for c in RESERVED):
        return escaped
    inner = "".join("\\" + c if c in '"`$\\' else c for c in escaped)
    return f'"{inner}"'


def install_desktop_entry(environ: Mapping[str, str] | None = None) -> list[Path]:
    """Write the desktop entry and the icons (PNG and SVG); returns the files written."""
    home = data_home(environ)
    icons = files("resources") / "icons"
    written = []
    for size, suffix in (("256x256", "png"), ("scalable", "svg")):
        target = home / "icons" / "hicolor" / size / "apps" / f"{NAME}.{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((icons / f"{NAME}.{suffix}").read_bytes())
        written.append(target)
    entry = home / "applications" / f"{NAME}.desktop"
    entry.parent.mkdir(parents=True, exist_ok=True)
    command = " ".join(quoted(part) for part in launcher())
    entry.write_text(ENTRY.format(exec=command, icon=NAME), encoding="utf-8")
    written.append(entry)
    return written
