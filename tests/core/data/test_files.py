"""Issue 10: a session reads data only from its own folder and below, only regular files,
and messages never echo more than a short, sanitised excerpt of a file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from core.data import tabular
from core.data.dataset import load
from core.data.files import excerpt, open_regular
from core.data.tabular import MAX_ROWS, DataError


def load_csv(name: str, base_dir: Path, allow_outside: bool = False, targets=("label",)):
    spec = {"csv": name, "targets": list(targets)}
    return load(spec, [], "sigmoid", len(targets), base_dir=base_dir, allow_outside=allow_outside)


def refusal(name: str, base_dir: Path, allow_outside: bool = False) -> str:
    with pytest.raises(DataError) as err:
        load_csv(name, base_dir, allow_outside)
    return str(err.value)


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """tmp/session/ (the session's folder, with data/ok.csv) beside tmp/outside.csv."""
    session = tmp_path / "session"
    (session / "data").mkdir(parents=True)
    (session / "data" / "ok.csv").write_text("a,label\n1,0\n2,1\n", encoding="utf-8")
    (tmp_path / "outside.csv").write_text("secret,label\n1,0\n", encoding="utf-8")
    return session


def test_the_folder_and_below_are_readable(layout: Path) -> None:
    assert load_csv("data/ok.csv", layout).x_train.shape == (2, 1)
    assert load_csv(str(layout / "data" / "ok.csv"), layout).x_train.shape == (2, 1)
    assert load_csv("data/../data/ok.csv", layout).x_train.shape == (2, 1)


@pytest.mark.parametrize("name", ["../outside.csv", "data/../../outside.csv", "/etc/hostname"])
def test_paths_outside_the_folder_are_refused(layout: Path, name: str) -> None:
    text = refusal(name, layout)
    assert text.startswith("data.csv: ") and "outside the session's folder" in text
    assert "secret" not in text


def test_the_caller_may_allow_paths_outside(layout: Path) -> None:
    ds = load_csv("../outside.csv", layout, allow_outside=True, targets=["label"])
    assert ds.input_names == ("secret",)


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX links")
def test_a_link_out_of_the_folder_is_refused(layout: Path) -> None:
    (layout / "link.csv").symlink_to(layout.parent / "outside.csv")
    assert "outside the session's folder" in refusal("link.csv", layout)


@pytest.mark.skipif(sys.platform != "linux", reason="Linux pseudo-files")
@pytest.mark.parametrize("name", ["/proc/self/environ", "/dev/null", "/dev/zero", "/sys/power"])
def test_system_files_are_refused_even_when_allowed(layout: Path, name: str) -> None:
    text = refusal(name, layout, allow_outside=True)
    assert "is a system file" in text and len(text) < 200


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_is_refused_without_opening_it(layout: Path) -> None:
    os.mkfifo(layout / "pipe.csv")
    assert "is a device or a pipe, not a regular file" in refusal("pipe.csv", layout)
    with pytest.raises(OSError, match="not a regular file"):  # opened as it is: never blocks
        open_regular(layout / "pipe.csv")


def test_a_nul_in_the_path_is_refused(layout: Path) -> None:
    assert "holds a NUL character" in refusal("data/ok.csv\x00.txt", layout)


def test_messages_quote_only_short_sanitised_excerpts(layout: Path) -> None:
    secret = "root:$6$saltsaltsalt$" + "h" * 80
    (layout / "shadow.csv").write_text(f"{secret}\n1\n", encoding="utf-8")
    text = refusal("shadow.csv", layout)
    assert secret[:17] not in text and len(text) < 200
    (layout / "cells.csv").write_text("a,label\n1,0\n\x1b[2J" + "z" * 500 + ",1\n")
    text = refusal("cells.csv", layout)
    assert "\x1b" not in text and "z" * 17 not in text and "is not a number" in text
    assert excerpt("a\nb\ud800") == "'a?b?'"


def test_the_column_list_of_a_wide_header_is_cut(layout: Path) -> None:
    header = ",".join(f"column{i}" for i in range(10_000))
    (layout / "wide.csv").write_text(header + "\n" + ",".join(["1"] * 10_000) + "\n")
    with pytest.raises(DataError) as err:
        load_csv("wide.csv", layout)
    assert err.value.message.endswith("and 9,992 more") and len(str(err.value)) < 400


def test_targets_are_looked_up_in_linear_time(layout: Path) -> None:
    header = [f"c{i}" for i in range(20_000)]
    (layout / "wide.csv").write_text(",".join(header) + "\n" + ",".join(["1"] * 20_000) + "\n")
    spec = {"csv": "wide.csv", "targets": header[:-1]}
    with pytest.raises(DataError, match="19999 target columns, but the output layer has 1"):
        load(spec, [], "sigmoid", 1, base_dir=layout)


def test_tables_are_bounded_in_rows(layout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_ROWS == 100_000
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    (layout / "long.csv").write_text("a,label\n" + "1,0\n" * 4)
    with pytest.raises(DataError, match="^long.csv:5: more than 3 data rows"):
        load_csv("long.csv", layout)
    inline = {"inline": {"inputs": [[0]] * 4, "targets": [[0]] * 4}}
    with pytest.raises(DataError, match="^data.inline.inputs: 4 rows; at most 3"):
        load(inline, [], "sigmoid", 1)
