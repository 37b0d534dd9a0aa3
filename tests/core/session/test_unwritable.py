"""What saving could not write, loading refuses: lone surrogates and deep nesting, each at its
JSON path; and saving never loses a file: links are written through, read-only files are not
silently replaced, and temporary files left by a killed save are cleared."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest

import main
from core.session import storage
from core.session.format import (
    SessionError,
    dumps_session,
    load_session,
    loads_session,
    save_session,
    session_from_dict,
)
from tests.core.session.sessions import minimal


def nested(depth: int) -> dict:
    """``{"a": {"a": ... 1}}`` with ``depth`` objects."""
    value: object = 1
    for _ in range(depth):
        value = {"a": value}
    return value  # type: ignore[return-value]


def deep_text(depth: int) -> str:
    """A session whose unknown top-level key "deep" holds ``depth`` nested objects."""
    text = json.dumps(minimal())
    return text[:-1] + ', "deep": ' + '{"a": ' * depth + "1" + "}" * depth + "}"


# --- lone surrogates ------------------------------------------------------------------------


def test_a_lone_surrogate_is_refused_at_load_with_its_path() -> None:
    text = json.dumps({**minimal(), "name": "bad \ud800 name"})  # json writes "\\ud800"
    with pytest.raises(SessionError) as err:
        loads_session(text, file="s.json")
    assert err.value.problems == [
        "name: holds \\ud800, half of a character (a lone surrogate) that no file can store; "
        "remove it"
    ]
    str(err.value).encode("utf-8")  # the message itself can be printed anywhere


def test_a_lone_surrogate_in_a_kept_key_or_value_is_refused_too() -> None:
    d = minimal()
    d["training"] = {"notes": {"x\udc00": 1}, "more": ["ok", "\ud83d"]}
    with pytest.raises(SessionError) as err:
        loads_session(json.dumps(d))
    assert [p.split(":")[0] for p in err.value.problems] == [
        "training.notes.x\\udc00",
        "training.more[1]",
    ]
    with pytest.raises(SessionError):
        session_from_dict(d)


def test_a_proper_surrogate_pair_is_a_character_and_loads() -> None:
    session = loads_session(json.dumps({**minimal(), "name": "smile \U0001f600"}))
    assert session.name == "smile \U0001f600"


def test_saving_a_name_that_no_file_can_store_raises_a_session_error(tmp_path: Path) -> None:
    session = session_from_dict(minimal())
    session.name = "x\ud800"
    target = tmp_path / "s.json"
    with pytest.raises(SessionError, match="name: holds"):
        save_session(session, target)
    assert not target.exists() and not list(tmp_path.iterdir())


# --- nesting depth --------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [65, 490, 985, 5_000])
def test_nesting_deeper_than_the_limit_is_refused_at_load_with_its_path(depth: int) -> None:
    with pytest.raises(SessionError) as err:
        loads_session(deep_text(depth), file="s.json")
    (problem,) = err.value.problems
    assert problem.startswith("deep" + ".a" * 63 + ": the JSON is nested too deeply")
    assert f"more than {storage.MAX_DEPTH} levels" in problem


def test_nesting_up_to_the_limit_loads_and_saves_back(tmp_path: Path) -> None:
    session = loads_session(deep_text(storage.MAX_DEPTH - 1))
    save_session(session, tmp_path / "s.json")
    assert load_session(tmp_path / "s.json").extra[""]["deep"] == nested(storage.MAX_DEPTH - 1)


def test_deep_data_is_refused_before_copying_and_before_writing(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match="nested too deeply"):
        session_from_dict({**minimal(), "deep": nested(900)})
    session = session_from_dict(minimal())
    session.extra = {"": {"deep": nested(900)}}
    with pytest.raises(SessionError, match="deep.a.a"):
        dumps_session(session)
    with pytest.raises(SessionError):
        save_session(session, tmp_path / "s.json")
    assert not list(tmp_path.iterdir())


def test_the_command_line_says_where_the_nesting_is_too_deep(tmp_path: Path, capsys) -> None:
    path = tmp_path / "deep.json"
    path.write_text(deep_text(700), encoding="utf-8")
    assert main.main(["train", str(path), "--epochs", "1"]) != 0
    assert "the JSON is nested too deeply" in capsys.readouterr().err


# --- links, read-only files, leftovers ------------------------------------------------------


def test_saving_onto_a_link_writes_through_and_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "s.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    session = session_from_dict(minimal())
    assert save_session(session, link) == link
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert load_session(real).name == "Untitled"
    assert session.path == link
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["s.json"]


def test_a_read_only_file_is_not_replaced_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o444)
    session = session_from_dict(minimal())
    with pytest.raises(storage.ReadOnlyFile, match="read-only"):
        save_session(session, path)
    assert path.read_text(encoding="utf-8") == "old"
    save_session(session, path, replace_read_only=True)
    assert load_session(path).name == "Untitled"
    assert not path.stat().st_mode & stat.S_IWUSR  # still read-only


def test_the_command_line_refuses_a_read_only_target(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o444)
    assert main.main(["train", "mazur", "--epochs", "1", "--out", str(out)]) != 0
    assert "read-only" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "old"


def test_stale_temporary_files_of_ours_are_removed_on_the_next_save(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    old, fresh = tmp_path / ".s.json.0123abcd.tmp", tmp_path / ".s.json.89abcdef.tmp"
    others = [tmp_path / ".s.json.xyz.tmp", tmp_path / ".t.json.0123abcd.tmp"]
    for file in [old, fresh, *others]:
        file.write_text("partial", encoding="utf-8")
    long_ago = time.time() - 10 * storage.STALE_SECONDS
    for file in [old, *others]:
        os.utime(file, (long_ago, long_ago))
    save_session(session_from_dict(minimal()), path)
    assert not old.exists()
    assert fresh.exists() and all(file.exists() for file in others)
    later = fresh.stat().st_mtime + storage.STALE_SECONDS + 1
    assert storage.remove_stale_temps(path, now=later) == [fresh]
