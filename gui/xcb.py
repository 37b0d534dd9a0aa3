"""Before Qt starts on X11: is the library its xcb plugin needs there? (No Qt imported here.)

Qt 6.5 and later need libxcb-cursor for the xcb platform plugin, and PySide6's wheels do not
bring it. Without it Qt aborts with "could not load the Qt platform plugin xcb", which says
nothing of what to install; :func:`missing_library` finds out first and says it plainly.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping

LIBRARY = "libxcb-cursor.so.0"
MESSAGE = (
    "error: Backprop Lab's window needs the system library libxcb-cursor (Qt's X11 plugin "
    "cannot start without it), and it is not installed. Install it, then start again:\n"
    "  Debian, Ubuntu:  sudo apt install libxcb-cursor0\n"
    "  Fedora:          sudo dnf install xcb-util-cursor\n"
    "  Arch:            sudo pacman -S xcb-util-cursor\n"
    "The headless commands (backprop-lab train, step, render, ...) work without it."
)


def _loadable(name: str = LIBRARY) -> bool:
    """Whether the dynamic loader finds the library (as Qt will look for it)."""
    try:
        ctypes.CDLL(name)
    except OSError:
        return ctypes.util.find_library("xcb-cursor") is not None
    return True


def needs_xcb(environ: Mapping[str, str] | None = None, system: str | None = None) -> bool:
    """Whether Qt will start on its xcb plugin: Linux, QT_QPA_PLATFORM unset or "xcb", and an
    X display. Unset on a Wayland session, Qt takes its Wayland plugin, which needs no xcb."""
    environ = os.environ if environ is None else environ
    system = sys.platform if system is None else system
    if not system.startswith("linux") or not environ.get("DISPLAY"):
        return False
    platform = environ.get("QT_QPA_PLATFORM", "").strip()
    if platform == "":
        return not environ.get("WAYLAND_DISPLAY")
    return platform.split(":")[0] == "xcb"


def missing_library(
    environ: Mapping[str, str] | None = None,
    system: str | None = None,
    loadable: Callable[[], bool] = _loadable,
) -> str | None:
    """What to install, if Qt is about to start on xcb without libxcb-cursor; else None."""
    if needs_xcb(environ, system) and not loadable():
        return MESSAGE
    return None
