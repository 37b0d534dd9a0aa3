"""The app on the desktop: its entry and icon, its version, its name, the xcb check."""

from __future__ import annotations

import configparser
import sys

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication, QIcon

import main
from gui import app, desktop, xcb


def test_the_desktop_entry_goes_under_xdg_data_home(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "linux")
    assert main.main(["--install-desktop-entry"]) == 0
    entry = tmp_path / "applications" / "backprop-lab.desktop"
    png = tmp_path / "icons" / "hicolor" / "256x256" / "apps" / "backprop-lab.png"
    svg = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "backprop-lab.svg"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and b"<svg" in svg.read_bytes()
    assert capsys.readouterr().out.split() == ["wrote", str(png), "wrote", str(svg), "wrote",
                                               str(entry)]  # fmt: skip
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(entry, encoding="utf-8")
    fields = parser["Desktop Entry"]
    assert fields["Type"] == "Application" and fields["Name"] == "Backprop Lab"
    assert fields["Icon"] == desktop.NAME == app.DESKTOP_FILE
    assert fields["Exec"].endswith(" %f") and fields["Terminal"] == "false"
    assert fields["StartupWMClass"] == app.APP_NAME  # the X11 window class Qt sets


def test_a_relative_or_missing_xdg_data_home_means_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    default = tmp_path / ".local" / "share"
    assert desktop.data_home({"XDG_DATA_HOME": "relative/path"}) == default
    assert desktop.data_home({}) == default
    assert desktop.data_home({"XDG_DATA_HOME": "/srv/share"}).as_posix() == "/srv/share"


def test_exec_arguments_are_quoted_as_the_spec_asks():
    assert desktop.quoted("/usr/bin/backprop-lab") == "/usr/bin/backprop-lab"
    assert desktop.quoted("/home/a b/bin/x") == '"/home/a b/bin/x"'
    assert desktop.quoted('/tmp/$x"y') == '"/tmp/\\$x\\"y"'
    assert desktop.quoted("/tmp/100%") == "/tmp/100%%"


def test_the_launcher_is_a_command_that_exists():
    assert all(part for part in desktop.launcher())
    assert desktop.launcher()[0].startswith("/")


def test_the_desktop_entry_is_for_linux_only(monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert main.main(["--install-desktop-entry"]) == 2
    assert "Linux" in capsys.readouterr().err


def test_version_comes_from_the_package_metadata(capsys, monkeypatch):
    assert isinstance(main._version(), str) and main._version()
    monkeypatch.setattr(main, "_version", lambda: "9.8.7")
    with pytest.raises(SystemExit) as stop:
        main.main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out == "backprop-lab 9.8.7\n"


@pytest.mark.parametrize(
    ("environ", "system", "needed"),
    [
        ({"DISPLAY": ":0"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", False),  # no display: Qt fails another way
        ({"DISPLAY": ":0"}, "darwin", False),
    ],
)
def test_xcb_is_checked_only_where_qt_would_use_it(environ, system, needed):
    assert xcb.needs_xcb(environ, system) is needed
    message = xcb.missing_library(environ, system, loadable=lambda: False)
    assert (message is not None) is needed
    assert xcb.missing_library(environ, system, loadable=lambda: True) is None


def test_the_message_says_what_to_install():
    assert "sudo apt install libxcb-cursor0" in xcb.MESSAGE
    assert "sudo dnf install xcb-util-cursor" in xcb.MESSAGE


def test_without_the_library_the_window_does_not_start(monkeypatch, capsys):
    monkeypatch.setattr("gui.xcb.missing_library", lambda: xcb.MESSAGE)
    assert main.main([]) == 1
    assert "libxcb-cursor0" in capsys.readouterr().err


def test_without_the_library_a_screenshot_is_taken_offscreen(monkeypatch, tmp_path):
    monkeypatch.setattr("gui.xcb.missing_library", lambda: xcb.MESSAGE)
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    taken: list = []
    monkeypatch.setattr("gui.app.run_gui", lambda *args, **kw: taken.append(kw) or 0)
    assert main.main(["--screenshot", str(tmp_path / "x.png")]) == 0
    assert taken and main.os.environ["QT_QPA_PLATFORM"] == "offscreen"


def test_the_application_has_its_name_and_icon(qapp):
    names = (
        QCoreApplication.organizationName(),
        QCoreApplication.applicationName(),
        QGuiApplication.applicationDisplayName(),
        QGuiApplication.desktopFileName(),
    )
    try:
        application = app.application()
        assert QGuiApplication.applicationDisplayName() == "Backprop Lab"
        assert QGuiApplication.desktopFileName() == "backprop-lab"
        assert not application.windowIcon().isNull()
        assert not app.app_icon().pixmap(64, 64).isNull()
    finally:  # the other tests' QSettings() stay where they were
        QCoreApplication.setOrganizationName(names[0])
        QCoreApplication.setApplicationName(names[1])
        QGuiApplication.setApplicationDisplayName(names[2])
        QGuiApplication.setDesktopFileName(names[3])
        qapp.setWindowIcon(QIcon())
