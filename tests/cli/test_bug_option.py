"""--bug on the headless commands: train, step and gradcheck with a bug of the bug lab."""

from __future__ import annotations

import json

from tests.cli.test_cli import run


def test_train_with_the_mazur_bug_gives_the_post_s_number(tmp_path):
    right = json.loads(run("train", "mazur", "--epochs", "1", "--json").stdout)
    out = tmp_path / "trained.json"
    result = run("train", "mazur", "--epochs", "1", "--json", "--bug", "mazur", "--out", str(out))
    wrong = json.loads(result.stdout)
    assert round(right["train_loss"], 9) == 0.291027774
    assert round(wrong["train_loss"], 9) == 0.291027924
    assert '"bug"' not in out.read_text(encoding="utf-8")  # never saved


def test_gradcheck_with_a_bug_fails_where_it_should_and_exits_1():
    result = run("gradcheck", "mazur", "--bug", "transposed")
    assert result.returncode == 1
    assert "with the bug transposed" in result.stdout and "FAILED" in result.stdout
    rows = [line.split() for line in result.stdout.splitlines() if line[:5].strip().isdigit()]
    assert [(r[0], r[3]) for r in rows] == [("1", "6"), ("2", "0")]  # layer, failed
    assert "worst: " in result.stdout
    passed = run("gradcheck", "mazur", "--bug", "plus")
    assert passed.returncode == 0 and "the update step is what is wrong" in passed.stdout


def test_step_shows_the_bug_s_deltas():
    right = json.loads(run("step", "mazur", "--json").stdout)
    wrong = json.loads(run("step", "mazur", "--json", "--bug", "no_fprime").stdout)
    assert right["deltas"][1] != wrong["deltas"][1]
    assert right["forward"] == wrong["forward"]


def test_a_bug_that_cannot_run_or_does_not_exist_is_a_usage_error():
    result = run("gradcheck", "xor_script", "--bug", "transposed")
    assert result.returncode == 2 and "square" in result.stderr
    assert "Traceback" not in result.stderr
    result = run("train", "mazur", "--bug", "nope")
    assert result.returncode == 2 and "--bug" in result.stderr
