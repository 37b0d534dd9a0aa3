"""The headless commands: train, step, gradcheck, lessons, table (no Qt here).

Each returns the process exit status: 0 ok, 1 gradient check failed,
2 bad input (a short message naming the file and the problem), 3 diverged.
A closed standard output (``step spiral | head``) is left to main.py, which ends quietly.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from core.checks import gradcheck
from core.data.scaling import input_note
from core.engine import bugs
from core.engine.network import TooLarge
from core.engine.trainer import Trainer, trainer_for
from core.quiz.exercise import MAX_SEED, worksheet_problem
from core.quiz.worksheet import ALL_FORMATS, write_sheets
from core.scripts import numpy_script, pytorch_script
from core.session import lessons
from core.session.format import Session, SessionError, load_session, save_session, session_to_dict
from core.session.lecture_setup import LectureSetup
from core.session.limits import clip, more_line
from core.trace import tables
from core.trace.formula import format_walkthrough
from core.trace.iteration import IterationTrace, trace_next_step
from core.trace.notation import Precision


class UsageError(Exception):
    """Bad input from the command line: exit status 2 with this message."""


def run(args: argparse.Namespace) -> int:
    """Dispatch a parsed command line; bad input becomes a message and status 2."""
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "train": train,
        "step": step,
        "gradcheck": check,
        "lessons": list_lessons,
        "table": table,
        "export": export,
        "worksheet": worksheet,
    }
    try:
        return commands[args.command](args)
    except SessionError as exc:
        print(f"error: {_short(exc)}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except TooLarge as exc:  # training would not fit in memory: refused before allocating
        print(f"error: {getattr(args, 'session', '')}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (| head): not bad input
        raise
    except OSError as exc:
        name = exc.filename or getattr(args, "session", "")
        print(f"error: {name}: {exc.strerror or exc}", file=sys.stderr)
        return 2


MAX_LINES = 5  # lines of an error, or of a session's warnings, on a terminal


def _short(exc: SessionError) -> str:
    """A SessionError in at most MAX_LINES lines: the first problems, then how many more
    (the window lists them all; a terminal should not scroll)."""
    if exc.total <= MAX_LINES - 1:
        return str(exc)
    shown = exc.problems[: MAX_LINES - 2]
    lines = "".join(f"\n  {p}" for p in shown)
    more = f"\n  ... and {exc.total - len(shown):,} more problems"
    return f"{clip(exc.file, 120) + ': ' if exc.file else ''}{exc.total:,} problems:{lines}{more}"


def _warning_lines(warnings: list[str]) -> list[str]:
    """At most MAX_LINES warnings, the last line counting the rest (a session's own list
    may already end with such a count, which is added in)."""
    total = len(warnings)
    counted = re.fullmatch(r"\.\.\. and ([\d,]+) more warnings?", warnings[-1] if warnings else "")
    if counted:
        total += int(counted.group(1).replace(",", "")) - 1
    if total <= MAX_LINES:
        return warnings
    return warnings[: MAX_LINES - 1] + [more_line(MAX_LINES - 1, total, "warning")]


def resolve_session(name: str) -> Path:
    """A session file path, or a built-in lesson's (see core.session.lessons.resolve)."""
    try:
        return lessons.resolve(name)
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None


def open_session(name: str, allow_outside: bool = False) -> Session:
    """Load and validate a session file or built-in lesson (its CSV file outside its
    folder only with ``allow_outside``); its warnings (unknown and repeated keys, already
    bounded and one line each) go to stderr."""
    session = load_session(resolve_session(name), allow_outside)
    warnings = _warning_lines(session.warnings)
    for warning in warnings:
        print(f"warning: {name}: {clip(warning)}", file=sys.stderr)
    return session


# --- train ---


def summary(trainer: Trainer, seconds: float) -> dict:
    """What a training run ended with; NaN (not applicable) becomes None."""
    history = trainer.history

    def last(column: str) -> float | None:
        value = float(history.column(column)[-1])
        return value if math.isfinite(value) else None

    return {
        "epochs": trainer.epoch,
        "steps": trainer.steps,
        "train_loss": last("train_loss"),
        "test_loss": last("test_loss"),
        "train_accuracy": last("train_accuracy"),
        "test_accuracy": last("test_accuracy"),
        "steps_per_second": trainer.steps / seconds if seconds > 0 else None,
        "status": trainer.status,
    }


def _progress(total: int):
    """A tqdm bar on stderr when it is a terminal, else None."""
    if not sys.stderr.isatty() or total <= 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="epoch", file=sys.stderr, leave=False)


def train(args: argparse.Namespace) -> int:
    """Train a session; print the summary; optionally write the trained session."""
    session = open_session(args.session, args.allow_data_outside)
    if args.epochs is not None and args.epochs < 0:
        raise UsageError(f"--epochs must be 0 or more, not {args.epochs}")
    trainer = with_bug(trainer_for(session), args)
    epochs = session.training.epochs if args.epochs is None else args.epochs
    bar = _progress(epochs)

    def tick(t: Trainer) -> None:
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{t.history.column('train_loss')[-1]:.4g}", refresh=False)

    start = time.perf_counter()
    status = trainer.run(epochs, callback=tick)
    seconds = time.perf_counter() - start
    if bar is not None:
        bar.close()
    result = summary(trainer, seconds)
    if status == "paused":
        result["status"] = "max_epochs"
    text = _format_summary(session, result)
    penalty = trainer.history.last("penalty")
    if math.isfinite(penalty):
        text += f"\n  penalty   {penalty:.6g} (L1/L2 on the weights, not part of the loss)"
    print(json.dumps(result) if args.json else text)
    if status == "diverged":
        print(f"error: {trainer.divergence.message}", file=sys.stderr)
        return 3
    if args.out:
        saved = save_session(session, args.out)
        if not args.json:
            print(f"wrote {saved}")
    return 0


def _format_summary(session: Session, r: dict) -> str:
    def show(value: float | None, percent: bool = False) -> str:
        if value is None:
            return "n/a"
        return f"{100 * value:.1f}%" if percent else f"{value:.6g}"

    rate = r["steps_per_second"]
    return "\n".join(
        [
            f"{session.name}: {r['status'].replace('_', ' ')}",
            f"  epochs {r['epochs']}, steps {r['steps']}"
            + (f", {rate:,.0f} steps/s" if rate else ""),
            f"  loss      train {show(r['train_loss'])}   test {show(r['test_loss'])}",
            f"  accuracy  train {show(r['train_accuracy'], True)}"
            f"   test {show(r['test_accuracy'], True)}",
        ]
    )


# --- step ---


def traced_step(args: argparse.Namespace) -> tuple[Session, IterationTrace]:
    """The session and the trace of its trainer's first optimiser step, or of training
    row ``args.sample`` as a batch of one (for ``step`` and ``table``)."""
    session = open_session(args.session, args.allow_data_outside)
    trainer = with_bug(trainer_for(session), args)
    rows = None
    if args.sample is not None:
        n = len(trainer.x_train)
        if not 0 <= args.sample < n:
            raise UsageError(
                f"--sample must be a training row from 0 to {n - 1}, not {args.sample}"
            )
        rows = np.array([args.sample])
    return session, trace_next_step(trainer, session.labels, rows)


def precision(args: argparse.Namespace, session: Session) -> Precision:
    """How numbers are written: ``--digits N`` significant digits or ``--decimals N``
    decimal places, else as the session's lecture shows them (its "lecture" section's
    digits and decimals; 4 significant digits without one)."""
    if args.digits is not None:
        if args.digits < 1:
            raise UsageError(f"--digits must be at least 1, not {args.digits}")
        return Precision(args.digits)
    if args.decimals is not None:
        if not 0 <= args.decimals <= 15:
            raise UsageError(f"--decimals must be from 0 to 15, not {args.decimals}")
        return Precision(args.decimals, decimals=True)
    setup = session.lecture or LectureSetup()
    return Precision(setup.digits, setup.decimals)


def step(args: argparse.Namespace) -> int:
    """Trace the trainer's first optimiser step (or one training row) with the numbers."""
    session, trace = traced_step(args)
    if not args.json:
        digits = precision(args, session)
        inputs = session.dataset.input_names
        if note := input_note(session.data):  # x is the z-score of the table's columns
            print(note)
        print(format_walkthrough(trace, digits, "text", inputs, args.sample))
        return 0
    for dst, src in zip(session.network.weights, trace.weights_after):
        np.copyto(dst, src)
    for dst, src in zip(session.network.biases, trace.biases_after):
        np.copyto(dst, src)
    print(json.dumps(step_json(trace, session_to_dict(session)["network"])))
    return 0


def step_json(trace: IterationTrace, network_after: dict) -> dict:
    """The step's numbers: batch rows first; deltas include the batch loss's 1/n."""
    return {
        "inputs": trace.x.tolist(),
        "targets": trace.y.tolist(),
        "loss": trace.loss,
        "forward": [{"z": z.tolist(), "a": a.tolist()} for z, a in zip(trace.z, trace.a[1:])],
        "deltas": [d.tolist() for d in trace.delta],
        "grad_weights": [g.tolist() for g in trace.dW],
        "grad_biases": [g.tolist() for g in trace.db],
        "network": network_after,
    }


# --- table ---

TABLE_FORMATS = {"csv": ".csv", "md": ".md", "tex": ".tex"}


def table(args: argparse.Namespace) -> int:
    """The traced step's numbers as a CSV, Markdown or LaTeX table, printed or written:
    at the session's lecture precision or the one asked for (CSV: full precision unless
    asked)."""
    fmt = args.format
    if fmt is None:  # from --out's extension, else Markdown
        suffix = Path(args.out).suffix.lower() if args.out else ""
        fmt = next((f for f, ext in TABLE_FORMATS.items() if ext == suffix), "md")
    session, trace = traced_step(args)
    digits = precision(args, session)
    rows = tables.iteration_rows(trace, session.labels)
    asked = args.digits is not None or args.decimals is not None
    text = {
        "csv": lambda: tables.to_csv(rows, digits if asked else None),
        "md": lambda: tables.to_markdown(rows, digits),
        "tex": lambda: tables.to_latex(rows, digits),
    }[fmt]()
    if not args.out:
        print(text, end="")
        return 0
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


# --- gradcheck and lessons ---


def check(args: argparse.Namespace) -> int:
    """Gradient check on the first training rows; status 1 when it fails."""
    session = open_session(args.session, args.allow_data_outside)
    if args.samples < 1:
        raise UsageError(f"--samples must be at least 1, not {args.samples}")
    trainer = with_bug(trainer_for(session), args)
    report = gradcheck.trainer_gradcheck(trainer, args.samples, max_parameters=None)
    bug = f", with the bug {trainer.bug}" if trainer.bug else ""
    rows = "1 training row" if report.rows == 1 else f"{report.rows} training rows"
    print(f"{session.name}: gradient check of the {session.loss} loss on {rows}{bug}")
    print(report.format())
    return 0 if report.passed else 1


def with_bug(trainer: Trainer, args: argparse.Namespace) -> Trainer:
    """``trainer`` with the bug lab's ``--bug`` switched on (if given and it fits)."""
    name = getattr(args, "bug", None)
    if name is None:
        return trainer
    if name not in bugs.BUGS:
        raise UsageError(f"--bug must be one of {', '.join(bugs.BUGS)}, not {name!r}")
    if why := bugs.problem(name, trainer.network.layers):
        raise UsageError(f"--bug {name} cannot run on this network: {why}")
    trainer.bug = name
    return trainer


def list_lessons(args: argparse.Namespace) -> int:
    """List the built-in lessons: file name, title and one-line description."""
    for entry in lessons.entries():
        print(f"{entry.path.stem:<22} {entry.title}: {entry.summary}")
    return 0


def export(args: argparse.Namespace) -> int:
    """The session as a standalone NumPy or PyTorch training script, printed or written
    to --out."""
    session = open_session(args.session, args.allow_data_outside)
    text = (pytorch_script if args.to == "pytorch" else numpy_script)(session, args.epochs)
    if not args.out:
        sys.stdout.write(text)
        return 0
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


MAX_SHEETS = 500


def worksheet(args: argparse.Namespace) -> int:
    """Write --count worksheets and their answer keys into --out (core.quiz.worksheet)."""
    session = open_session(args.session, args.allow_data_outside)
    if problem := worksheet_problem(session):
        raise UsageError(f"{args.session}: {problem}")
    if not 1 <= args.count <= MAX_SHEETS:
        raise UsageError(f"--count must be from 1 to {MAX_SHEETS}, not {args.count}")
    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    if not formats or any(f not in ALL_FORMATS for f in formats):
        raise UsageError(f"--format must list md, tex or pdf (md,tex,pdf), not {args.format!r}")
    seed = args.seed
    if seed is None:
        seed = int(np.random.default_rng().integers(1_000_000))
    if not 0 <= seed <= MAX_SEED - args.count:
        raise UsageError(f"--seed must be a whole number from 0 to {MAX_SEED - args.count}")
    if args.decimals is not None:
        args.digits = None  # --digits has a default; --decimals, when given, wins
    digits = precision(args, session)
    pdf = getattr(args, "pdf", None)  # Qt's PDF writer, which main.py passes for pdf
    written = write_sheets(session, args.out, args.count, seed, formats, digits, pdf)
    seeds = f"seed {seed}" if args.count == 1 else f"seeds {seed} to {seed + args.count - 1}"
    print(f"wrote {len(written)} files to {args.out} ({seeds})")
    return 0
