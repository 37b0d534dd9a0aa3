"""Every hostile session file (tests/core/session/hostile.py) is refused cleanly or loads
safely: in the core, a SessionError with a bounded message; through the command line,
exit status 2 with at most 5 lines and no traceback."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

import main
from core.session.format import SessionError, load_session
from core.session.limits import MAX_KEPT, MAX_MESSAGE
from tests.core.session.hostile import hostile_sessions

FILES = list(hostile_sessions())


def test_the_generator_is_seeded_and_bounded() -> None:
    assert len(FILES) == 300 and list(hostile_sessions()) == FILES
    assert all(len(text) < 1_000_000 for _, text in FILES)
    assert sum("NaN" in t or "Infinity" in t for _, t in FILES) > 10
    assert sum('"csv"' in t for _, t in FILES) > 20


def _write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "lesson"
    folder.mkdir(exist_ok=True)
    path = folder / "s.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "text"), FILES, ids=[n for n, _ in FILES])
def test_every_hostile_file_is_refused_cleanly_or_loads(name: str, text: str, tmp_path: Path):
    path = _write(tmp_path, text)
    try:
        session = load_session(path)
    except SessionError as err:
        message = str(err)
        assert len(err.problems) <= MAX_KEPT
        assert all(len(p) <= MAX_MESSAGE and "\n" not in p for p in err.problems)
        assert len(message.splitlines()) <= MAX_KEPT + 2
        assert len(message) <= (MAX_KEPT + 2) * (MAX_MESSAGE + 4) + len(str(path))
        message.encode("utf-8")  # printable: no lone surrogates
        return
    assert len(session.warnings) <= MAX_KEPT + 1
    for warning in session.warnings:
        assert len(warning) <= MAX_MESSAGE and "\n" not in warning
        warning.encode("utf-8")


CLI_SAMPLE = FILES[::10]


@pytest.mark.parametrize(("name", "text"), CLI_SAMPLE, ids=[n for n, _ in CLI_SAMPLE])
def test_the_command_line_refuses_a_hostile_file_in_a_few_lines(name, text, tmp_path: Path):
    path = _write(tmp_path, text)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main.main(["gradcheck", str(path), "--samples", "1"])
    lines = err.getvalue().splitlines()
    assert "Traceback" not in err.getvalue()
    assert len(lines) <= 5
    if status == 2:
        assert lines and lines[0].startswith("error: ")
    else:
        assert status in (0, 1) and all(x.startswith("warning: ") for x in lines)
