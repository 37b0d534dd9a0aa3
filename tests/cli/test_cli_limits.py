"""Issue 10 on the command line: a session's warnings go to stderr, bounded; errors take at
most 5 lines; training that would not fit in memory is refused with the estimate."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import main
from tests.core.session.malformed_cases import edit


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main.main(list(argv))
    return status, out.getvalue(), err.getvalue()


def write(tmp_path: Path, d: dict | str) -> str:
    path = tmp_path / "s.json"
    path.write_text(d if isinstance(d, str) else json.dumps(d), encoding="utf-8")
    return str(path)


def test_warnings_are_printed_on_stderr(tmp_path: Path) -> None:
    d = edit(("training.lerning_rate", 0.1))
    text = json.dumps(d).replace('"loss": "mse"', '"loss": "mse", "loss": "mse"')
    status, out, err = run("gradcheck", write(tmp_path, text), "--samples", "1")
    assert status == 0 and "gradient check" in out
    path = str(tmp_path / "s.json")
    assert err.splitlines() == [
        f"warning: {path}: loss: the key appears more than once; the last one is used",
        f"warning: {path}: training.lerning_rate: unknown key, kept as is "
        "(did you mean 'learning_rate'?)",
    ]


def test_many_warnings_take_five_lines(tmp_path: Path) -> None:
    d = edit()
    d["slides"] = 1
    d["training"] = {f"k{i}\n": i for i in range(1000)}
    status, _, err = run("gradcheck", write(tmp_path, d), "--samples", "1")
    lines = err.splitlines()
    assert status == 0 and len(lines) == 5
    assert lines[0].endswith("slides: unknown key, kept as is")
    assert lines[1].endswith("training.k0\\n: unknown key, kept as is")
    assert lines[-1].endswith("... and 997 more warnings")


def test_an_error_takes_at_most_five_lines(tmp_path: Path) -> None:
    d = edit(("network.activations", ["x", "y"]), ("training.learning_rate", -1))
    d["training"].update(epochs=0, seed=-1, l1=-1, l2=-1, momentum=5)
    status, out, err = run("train", write(tmp_path, d))
    lines = err.splitlines()
    assert status == 2 and out == "" and len(lines) == 5
    assert lines[0] == f"error: {tmp_path / 's.json'}: 8 problems:"
    assert lines[-1] == "  ... and 5 more problems"


def test_training_too_large_for_memory_is_refused(tmp_path: Path) -> None:
    d = edit(
        ("network.layers", [2, 4096, 1]),
        ("network.activations", ["tanh", "sigmoid"]),
        ("data", {"builtin": "circle", "n": 100_000, "test_ratio": 0}),
    )
    status, out, err = run("train", write(tmp_path, d), "--epochs", "1")
    assert status == 2 and out == ""
    prefix = f"error: {tmp_path / 's.json'}: training.batch_size: training would need about 26."
    assert err.startswith(prefix)  # refused when the file opens, at its JSON path
    assert "use smaller batches" in err and len(err.splitlines()) == 1
