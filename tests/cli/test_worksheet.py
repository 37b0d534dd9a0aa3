"""main.py worksheet: a sheet and an answer key per student, each with its seed."""

from __future__ import annotations

import re

from tests.cli.test_cli import LESSONS, run


def test_thirty_sheets_for_a_class(tmp_path):
    out = tmp_path / "sheets"
    result = run("worksheet", "mazur", "--count", "30", "--out", str(out), "--seed", "500")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote 120 files to {out} (seeds 500 to 529)"
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 120 and "sheet-30.tex" in files and "answers-01.md" in files
    seeds = set()
    for k in range(1, 31):
        sheet = (out / f"sheet-{k:02d}.md").read_text(encoding="utf-8")
        key = (out / f"answers-{k:02d}.md").read_text(encoding="utf-8")
        (seed,) = re.findall(r"Seed (\d+)\.", sheet)
        assert seed == re.findall(r"Seed (\d+)\.", key)[0] == str(499 + k)
        assert f"Seed {seed}." in (out / f"sheet-{k:02d}.tex").read_text(encoding="utf-8")
        seeds.add(sheet.split("## Given")[1])
    assert len(seeds) == 30  # different numbers on every sheet


def test_a_seed_prints_the_same_sheet_again(tmp_path):
    run("worksheet", "xor_script", "--count", "3", "--out", str(tmp_path / "a"), "--seed", "7")
    again = run(
        "worksheet",
        str(LESSONS / "xor_script.json"),
        "--out",
        str(tmp_path / "b"),
        "--seed",
        "9",
        "--format",
        "md",
    )
    assert again.returncode == 0, again.stderr
    third = (tmp_path / "a" / "answers-03.md").read_text(encoding="utf-8")
    alone = (tmp_path / "b" / "answers-01.md").read_text(encoding="utf-8")
    assert third.replace("Answer key 03", "Answer key 01") == alone
    assert sorted(p.suffix for p in (tmp_path / "b").iterdir()) == [".md", ".md"]


def test_digits_and_decimals(tmp_path):
    run("worksheet", "mazur", "--out", str(tmp_path), "--seed", "1", "--decimals", "6")
    key = (tmp_path / "answers-01.md").read_text(encoding="utf-8")
    assert "6 decimal places" in key


def test_bad_input_says_what_to_do(tmp_path):
    cases = {
        ("digits",): "too big for a worksheet",
        ("mazur", "--count", "0"): "--count must be from 1 to 500",
        ("mazur", "--format", "docx"): "--format must list md, tex or pdf",
        ("mazur", "--seed", "-3"): "--seed must be a whole number",
        ("no_such_lesson",): "no_such_lesson",
    }
    for args, message in cases.items():
        result = run("worksheet", *args, "--out", str(tmp_path / "x"))
        assert result.returncode == 2, args
        assert message in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_pdf_sheets_through_qt_without_a_display(tmp_path):
    result = run(
        "worksheet", "mazur", "--count", "2", "--out", str(tmp_path), "--seed", "3",
        "--format", "pdf",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["answers-01.pdf", "answers-02.pdf", "sheet-01.pdf", "sheet-02.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in tmp_path.iterdir())


def test_out_naming_a_file_is_refused_in_one_line(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine", encoding="utf-8")
    result = run("worksheet", "mazur", "--count", "2", "--out", str(a_file))
    assert result.returncode == 2 and a_file.read_text(encoding="utf-8") == "mine"
    assert result.stderr.strip() == (
        f"error: {a_file}: a file, not a folder: name a folder for the sheets"
    )
