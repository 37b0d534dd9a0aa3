"""Looking at a CSV file for the import dialog: limits before parsing, the preview, the
proposed problem type, class labels, and each bad file refused at file:line:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.data import scan as scan_module
from core.data.scan import (
    CLASSIFICATION,
    MAX_COLUMNS,
    PREVIEW_ROWS,
    REGRESSION,
    choice_problem,
    label,
    propose,
    scan_csv,
)
from core.data.tabular import MAX_ROWS, DataError

FLOWERS = "a,b,species\n1.5,0.2,setosa\n4.5,1.5,versicolor\n6.0,2.5,virginica\n1.4,0.3,setosa\n"


def write(folder: Path, text: str | bytes, name: str = "data.csv") -> Path:
    file = folder / name
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text, encoding="utf-8", newline="")
    return file


def refusal(path: Path) -> str:
    with pytest.raises(DataError) as caught:
        scan_csv(path)
    return str(caught.value)


def test_a_file_gives_its_header_preview_counts_and_column_kinds(tmp_path: Path) -> None:
    found = scan_csv(write(tmp_path, FLOWERS))
    assert found.header == ("a", "b", "species") and found.rows == 4
    assert found.preview[0] == ("1.5", "0.2", "setosa") and len(found.preview) == 4
    a, _, species = found.columns
    assert a.numeric and not a.integer
    assert not species.numeric and species.labels == ("setosa", "versicolor", "virginica")
    assert species.problem == "data.csv:2:3: 'setosa' is not a number; every input cell needs one"


def test_the_preview_holds_the_first_rows_only(tmp_path: Path) -> None:
    text = "x,y\n" + "".join(f"{i},{i % 2}\n" for i in range(100))
    found = scan_csv(write(tmp_path, text))
    assert len(found.preview) == PREVIEW_ROWS and found.rows == 100
    assert found.preview[-1] == (str(PREVIEW_ROWS - 1), str((PREVIEW_ROWS - 1) % 2))


def test_whole_numbers_or_text_propose_classes_and_other_numbers_regression(
    tmp_path: Path,
) -> None:
    text = "x,whole,real,name\n1,0,0.5,a\n2,2,1.5,b\n3,1,2,a\n"
    found = scan_csv(write(tmp_path, text))
    assert propose(found, ["whole"]) == CLASSIFICATION
    assert propose(found, ["name"]) == CLASSIFICATION
    assert propose(found, ["real"]) == REGRESSION
    assert propose(found, ["whole", "real"]) == REGRESSION
    assert found.column("whole").labels == ("0", "1", "2")


def test_class_labels_are_sorted_whole_numbers_by_value_and_text_as_text() -> None:
    assert label(" +02 ") == "2" and label(" cat ") == "cat" and label("1.0") == "1.0"
    assert scan_module.sorted_labels({"10", "9", "-1"}) == ("-1", "9", "10")
    assert scan_module.sorted_labels({"b", "B", "a"}) == ("B", "a", "b")


def test_a_choice_is_checked_with_where_and_why(tmp_path: Path) -> None:
    found = scan_csv(write(tmp_path, FLOWERS))
    assert choice_problem(found, ["species"], CLASSIFICATION) is None
    assert choice_problem(found, [], CLASSIFICATION).startswith("data.csv: choose the target")
    wrong = choice_problem(found, ["a"], REGRESSION)
    assert wrong.startswith("data.csv:2:3: 'setosa' is not a number")
    assert "is an input" in wrong
    assert "regression needs numbers" in choice_problem(found, ["species"], REGRESSION)
    assert "one target column" in choice_problem(found, ["a", "species"], CLASSIFICATION)
    assert "every column is a target" in choice_problem(found, ["a", "b", "species"], REGRESSION)


def test_a_target_with_one_class_is_refused(tmp_path: Path) -> None:
    found = scan_csv(write(tmp_path, "x,label\n1,cat\n2,cat\n"))
    problem = choice_problem(found, ["label"], CLASSIFICATION)
    assert problem == (
        "data.csv: column 'label' holds one class only ('cat'); a classifier needs at least 2"
    )


def test_too_many_classes_ask_for_regression(tmp_path: Path) -> None:
    text = "x,label\n" + "".join(f"{i},{i}\n" for i in range(60))
    found = scan_csv(write(tmp_path, text))
    assert "more than 50 different values" in choice_problem(found, ["label"], CLASSIFICATION)
    assert choice_problem(found, ["label"], REGRESSION) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "data.csv: the file is empty; line 1 must be a header naming the columns"),
        ("\n\n", "data.csv: the file is empty; line 1 must be a header naming the columns"),
        ("a,b\n", "data.csv: no data rows after the header; add some"),
        ("1,2\n3,4\n", "data.csv:1:1: the header names column 1 '1', a number"),
        ("a,,c\n1,2,3\n", "data.csv:1:2: column 2 has no name in the header; name it"),
        ("a,a\n1,2\n", "data.csv:1:2: column name 'a' appears twice (also column 1)"),
        ("a,b,c\n1,2,3\n4,5\n", "data.csv:3:3: 2 cells, but the header has 3"),
        ("a,b\n1,2\n4,5,6\n", "data.csv:3:3: 3 cells, but the header has 2"),
        ('a,b\n1,"2\n', "data.csv:2: not valid CSV"),
        (
            "a;b;c\n1,5;2;3\n",
            "data.csv:1:1: the header names one column only; a table needs an "
            "input and a target; its cells seem separated by semicolons: save it with commas",
        ),
        ("a\n1\n", "data.csv:1:1: the header names one column only; a table needs an input and"),
    ],
)
def test_bad_files_are_refused_at_their_place(tmp_path: Path, text: str, expected: str) -> None:
    assert refusal(write(tmp_path, text)).startswith(expected)


def test_a_binary_file_is_refused_at_its_first_bad_byte(tmp_path: Path) -> None:
    file = write(tmp_path, b"a,b\n1,2\n3,\xff\xfe\x00\n")
    assert refusal(file).startswith("data.csv:3:3: not UTF-8 text; is this a CSV file?")


def test_a_png_is_refused_without_a_traceback(tmp_path: Path) -> None:
    file = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "x.csv")
    message = refusal(file)
    assert message.startswith("x.csv:") and "\n" not in message


def test_too_many_columns_are_refused_from_the_header(tmp_path: Path) -> None:
    header = ",".join(f"c{i}" for i in range(MAX_COLUMNS + 1))
    message = refusal(write(tmp_path, header + "\n" + ",".join("1" * (MAX_COLUMNS + 1)) + "\n"))
    assert message == "data.csv:1: 257 columns; at most 256 can be imported"


def test_too_many_rows_are_refused_before_any_cell_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = write(tmp_path, "x,y\n" + "1,2\n" * (MAX_ROWS + 1))
    parsed = []
    monkeypatch.setattr(scan_module, "records", lambda *a: parsed.append(a) or iter(()))
    assert (
        refusal(file) == "data.csv: 100,001 data rows; at most 100,000 can be imported: use fewer"
    )
    assert not parsed


def test_blank_lines_do_not_count_against_the_limit(tmp_path: Path) -> None:
    text = "x,y\n" + "1,2\n\n" * MAX_ROWS
    assert scan_csv(write(tmp_path, text)).rows == MAX_ROWS


def test_a_device_or_system_file_is_refused() -> None:
    assert "is a system file" in refusal(Path("/proc/self/status"))
