"""Session files on disk: atomic writing, the size limit, file names in errors, the JSON layout."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from core.session import storage
from core.session.format import (
    MAX_FILE_BYTES,
    SessionError,
    dumps_session,
    load_session,
    save_session,
    session_from_dict,
)
from tests.core.session.sessions import minimal, with_weights


def temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_save_is_indented_with_rows_on_one_line() -> None:
    text = dumps_session(
        session_from_dict(with_weights([[[1, 2], [3, 4]], [[5, 6]]], [[0, 0], [0]]))
    )
    assert '\n  "network": {\n' in text
    assert "[1.0, 2.0]" in text and '"layers": [2, 2, 1]' in text
    assert json.loads(text)["network"]["weights"] == [[[1, 2], [3, 4]], [[5, 6]]]


# --- atomic saves ---------------------------------------------------------------------------


def test_atomic_save_keeps_the_old_file_when_serialising_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.json"
    s = session_from_dict(minimal())
    save_session(s, path)
    before = path.read_bytes()

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("serialiser broke")

    monkeypatch.setattr(json, "dumps", broken)
    s.network.weights[0][0, 0] = 42.0
    with pytest.raises(RuntimeError, match="serialiser broke"):
        save_session(s, path)
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []


def test_atomic_save_removes_its_temp_file_when_the_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.json"
    s = session_from_dict(minimal())
    save_session(s, path)
    before = path.read_bytes()

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    s.network.weights[0][0, 0] = 42.0
    with pytest.raises(SessionError, match=r"s\.json: cannot save the file \(Permission denied\)"):
        save_session(s, path)
    assert path.read_bytes() == before
    assert temp_files(tmp_path) == []
    assert s.path == path


def test_save_leaves_no_temp_file_and_replaces_the_old(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("old", encoding="utf-8")
    save_session(session_from_dict(minimal()), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]
    assert load_session(path).name == "Untitled"


# --- limits ---------------------------------------------------------------------------------


def test_a_file_over_50_mb_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.json"
    with open(path, "wb") as f:
        f.truncate(int(61.2 * 2**20))  # sparse: no disk space used
    monkeypatch.setattr(storage, "open", lambda *a, **k: pytest.fail("read"), raising=False)
    with pytest.raises(SessionError) as err:
        load_session(path)
    assert str(err.value) == (f"{path}: the file is 61.2 MB; session files are limited to 50 MB")
    assert MAX_FILE_BYTES == 50 * 2**20


# --- errors, files and data -----------------------------------------------------------------


def test_session_error_text_starts_with_the_file() -> None:
    one = SessionError(["loss: bad"], "x.json")
    many = SessionError(["a: 1", "b: 2"], "x.json")
    assert str(one) == "x.json: loss: bad"
    assert str(many) == "x.json: 2 problems:\n  a: 1\n  b: 2"
    assert many.problems == ["a: 1", "b: 2"] and many.file == "x.json"
    assert str(SessionError(["a: 1"])) == "a: 1"


def test_loading_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(SessionError, match=r"nope\.json: cannot read the file \(No such file"):
        load_session(missing)
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{\n"name": "caf\xe9"}')
    with pytest.raises(SessionError) as err:
        load_session(bad)
    assert str(err.value) == f"{bad}: line 2: not UTF-8 text (byte 0xe9); save it as UTF-8"


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(minimal()).encode("utf-8"))
    assert load_session(path).path == path


@pytest.mark.parametrize("text", ["", "  \n\t\n"])
def test_an_empty_file_says_it_is_empty(tmp_path: Path, text: str) -> None:
    path = tmp_path / "empty.json"
    path.write_text(text)
    with pytest.raises(SessionError) as err:
        load_session(path)
    assert err.value.problems == [
        "the file is empty; open a session saved by Backprop Lab or a built-in lesson"
    ]
    assert "empty.json" in str(err.value) and "not valid JSON" not in str(err.value)


def test_a_fifo_a_folder_or_a_system_file_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    for path in (fifo, tmp_path, Path("/proc/self/environ"), Path("/dev/null")):
        with pytest.raises(SessionError) as err:
            load_session(path)
        assert "not a regular file" in str(err.value), path
