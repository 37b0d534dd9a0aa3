"""The import dialog on its own: a file read off the GUI thread fills the preview and the
target list, the problem type is proposed and can be changed, every problem shows as
file:line:column with OK disabled, and OK leaves the session's new data section."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from core.data.scan import CLASSIFICATION, REGRESSION
from gui.data.import_dialog import ImportDialog

FLOWERS = "petal,sepal,species\n" + "1.5,0.2,setosa\n4.5,1.5,versicolor\n6.0,2.5,virginica\n" * 3


def write(folder: Path, text: str | bytes, name: str = "data.csv") -> Path:
    file = folder / name
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text, encoding="utf-8")
    return file


@pytest.fixture
def dialog(qtbot, tmp_path) -> ImportDialog:
    d = ImportDialog(None, tmp_path)
    qtbot.addWidget(d)
    return d


def read(dialog: ImportDialog, qtbot, path: Path) -> None:
    dialog.read(path)
    qtbot.waitUntil(lambda: not dialog.reader.busy, timeout=10_000)


def tick(dialog: ImportDialog, name: str, on: bool) -> None:
    item = dialog.targets.findItems(name, Qt.MatchFlag.MatchExactly)[0]
    item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def test_a_file_fills_the_preview_and_proposes_classes(dialog, qtbot, tmp_path) -> None:
    read(dialog, qtbot, write(tmp_path, FLOWERS))
    assert dialog.preview.rowCount() == 9 and dialog.preview.columnCount() == 3
    assert dialog.preview.item(0, 2).text() == "setosa"
    assert dialog.summary.text() == "9 rows × 3 columns"
    assert dialog.chosen_targets() == ["species"]
    assert dialog.chosen_problem() == CLASSIFICATION
    assert "3: setosa, versicolor, virginica" in dialog.proposal.text()
    assert dialog.ok.isEnabled() and dialog.error.text() == ""


def test_the_problem_type_can_be_changed_and_is_checked(dialog, qtbot, tmp_path) -> None:
    read(dialog, qtbot, write(tmp_path, FLOWERS))
    dialog.problem.setCurrentIndex(dialog.problem.findData(REGRESSION))
    assert not dialog.ok.isEnabled()
    assert dialog.error.text().startswith("data.csv:2:3: 'setosa' is not a number")
    tick(dialog, "species", False)
    tick(dialog, "sepal", True)
    assert dialog.chosen_problem() == REGRESSION  # proposed again from the new target
    assert dialog.error.text().startswith("data.csv:2:3: 'setosa' is not a number")
    assert "is an input" in dialog.error.text() and not dialog.ok.isEnabled()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "data.csv: the file is empty"),
        ("1,2\n3,4\n", "data.csv:1:1: the header names column 1 '1', a number"),
        ("a,b\n1,2\n3\n", "data.csv:3:2: 1 cells, but the header has 2"),
        (b"\x89PNG\r\n\x1a\n\x00\xff", "data.csv:1:1: not UTF-8 text"),
    ],
)
def test_a_bad_file_is_said_in_the_dialog(dialog, qtbot, tmp_path, text, expected) -> None:
    read(dialog, qtbot, write(tmp_path, text))
    assert dialog.error.text().startswith(expected)
    assert "Traceback" not in dialog.error.text() and not dialog.ok.isEnabled()
    assert dialog.targets.count() == 0


def test_a_target_with_one_class_keeps_ok_disabled(dialog, qtbot, tmp_path) -> None:
    read(dialog, qtbot, write(tmp_path, "x,label\n1,cat\n2,cat\n"))
    assert "holds one class only ('cat')" in dialog.error.text()
    assert not dialog.ok.isEnabled()


def test_a_non_numeric_input_cell_is_located(dialog, qtbot, tmp_path) -> None:
    read(dialog, qtbot, write(tmp_path, "x,y,label\n1,2,0\n1,two,1\n"))
    assert dialog.error.text() == (
        "data.csv:3:2: 'two' is not a number; every input cell needs one (column 'y' is an input)"
    )


def test_ok_reads_the_file_and_leaves_the_data_section(dialog, qtbot, tmp_path) -> None:
    read(dialog, qtbot, write(tmp_path, FLOWERS))
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.ok.click()
    spec = dialog.spec
    assert spec["csv"] == "data.csv" and spec["class_names"][0] == "setosa"
    assert spec["test_ratio"] == 0.2 and set(spec["standardize"]) == {"mean", "std"}
    assert dialog.inputs == 2 and dialog.outputs == 3


def test_embedding_and_no_standardisation_are_choices(dialog, qtbot, tmp_path) -> None:
    read(dialog, qtbot, write(tmp_path, FLOWERS))
    dialog.embed.setChecked(True)
    dialog.standardize.setChecked(False)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.ok.click()
    assert "csv" not in dialog.spec and dialog.spec["standardize"] is False
    assert dialog.spec["inline"]["inputs"][0] == [1.5, 0.2]


def test_an_unsaved_session_keeps_the_path_absolute(qtbot, tmp_path) -> None:
    d = ImportDialog(None, None)
    qtbot.addWidget(d)
    file = write(tmp_path, FLOWERS)
    read(d, qtbot, file)
    assert d.stored_path() == str(file.resolve())
    assert "not saved yet" in d.storage_note.text()


def test_a_huge_file_is_refused_in_one_sentence(dialog, qtbot, tmp_path) -> None:
    read(dialog, qtbot, write(tmp_path, "x,y\n" + "1,2\n" * 100_001))
    assert dialog.error.text() == (
        "data.csv: 100,001 data rows; at most 100,000 can be imported: use fewer"
    )
    assert not dialog.ok.isEnabled()


def test_cancel_while_reading_drops_the_answer(dialog, qtbot, tmp_path) -> None:
    dialog.read(write(tmp_path, FLOWERS))
    dialog.reject()
    qtbot.wait(200)
    assert dialog.scan is None and dialog.spec is None
