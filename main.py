"""Backprop Lab: `python main.py` opens the app; subcommands run headless.

    python main.py [SESSION.json] [--screenshot OUT.png [--train-epochs N]]   the window
    python main.py --version | --install-desktop-entry
    python main.py train SESSION [--epochs N] [--out FILE] [--json] [--bug NAME]
    python main.py step SESSION [--sample K] [--digits N | --decimals N] [--json] [--bug NAME]
    python main.py gradcheck SESSION [--samples N] [--bug NAME]
    python main.py lessons
    python main.py worksheet SESSION [--count N] [--out DIR] [--seed S] [--format md,tex,pdf]
        [--digits N | --decimals N]
    python main.py table SESSION [--sample K] [--format csv|md|tex] [--digits N | --decimals N]
        [--out FILE]
    python main.py animate SESSION --out STEP.gif|STEP.mp4 [--sample K] [--fps N]
    python main.py render SESSION --out NET.svg|NET.png [--view weights|gradients]
        [--width W] [--height H] [--dpi N]

The headless commands never import Qt, so they run on any server; render and animate draw with Qt
on its offscreen platform when there is no display.
Exit status: 0 ok, 1 gradient check failed (or the window cannot start: a system library is
missing), 2 bad input, 3 training diverged; 141 (as a process that SIGPIPE ends) when the
reader of the output goes away, as with `step spiral | head`.
"""

from __future__ import annotations

import argparse
import os
import sys

from core.threads import one_blas_thread

one_blas_thread()  # before anything loads NumPy: the window and its trainer share the machine

COMMANDS = ("train", "step", "gradcheck", "lessons", "table", "export", "worksheet")
DRAWING_COMMANDS = ("render", "animate")  # draw with Qt, but need no display
SAMPLE_HELP = (
    "trace training row K as a batch of one; K counts from 0, as in the JSON (on screen, "
    "in the walk-through and the tables, rows and samples count from 1)"
)
PIPE_CLOSED = 128 + 13  # the status of a process that SIGPIPE ends


def _precision_options(parser: argparse.ArgumentParser, what: str) -> None:
    """--digits N or --decimals N (not both); without either, the session's lecture precision."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--digits",
        type=int,
        metavar="N",
        help=f"N significant digits (default: as the session's lecture shows numbers, its "
        f'"lecture" digits and decimals; 4 significant digits without one){what}',
    )
    group.add_argument("--decimals", type=int, metavar="N", help="N decimal places instead")


def _session_arguments(parser: argparse.ArgumentParser) -> None:
    """The session (a file or a built-in lesson's name) and --allow-data-outside."""
    parser.add_argument("session", help="a session file, or the name of a built-in lesson")
    parser.add_argument(
        "--allow-data-outside",
        action="store_true",
        help="read a CSV file outside the session's folder (refused by default)",
    )


def _bug_option(parser: argparse.ArgumentParser) -> None:
    """--bug NAME: one of the bug lab's classic mistakes (core.engine.bugs), never saved."""
    from core.engine.bugs import BUGS

    parser.add_argument(
        "--bug",
        choices=tuple(BUGS),
        metavar="NAME",
        help=f"switch on a classic backprop bug of the bug lab: {', '.join(BUGS)}",
    )


def _headless_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-lab", description="Backprop Lab's headless commands."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train a session and print a summary")
    _session_arguments(train)
    train.add_argument("--epochs", type=int, help="epochs to train (default: the session's)")
    train.add_argument("--out", help="write the trained session to this file")
    train.add_argument("--json", action="store_true", help="print the summary as JSON")
    _bug_option(train)
    step = sub.add_parser("step", help="show one training step with the chain rule in numbers")
    _session_arguments(step)
    step.add_argument("--sample", type=int, metavar="K", help=SAMPLE_HELP)
    _precision_options(step, "")
    step.add_argument("--json", action="store_true", help="print the step's numbers as JSON")
    _bug_option(step)
    check = sub.add_parser("gradcheck", help="check backprop against central differences")
    _session_arguments(check)
    check.add_argument(
        "--samples", type=int, default=256, help="check on the first N training rows (256)"
    )
    _bug_option(check)
    sub.add_parser("lessons", help="list the built-in lessons")
    table = sub.add_parser("table", help="write one training step's numbers as a table")
    _session_arguments(table)
    table.add_argument("--sample", type=int, metavar="K", help=SAMPLE_HELP)
    table.add_argument(
        "--format",
        choices=("csv", "md", "tex"),
        help="CSV, Markdown or LaTeX (default: from --out's extension, else md)",
    )
    _precision_options(table, "; CSV keeps full precision unless asked")
    table.add_argument("--out", help="write the table to this file instead of printing it")
    export = sub.add_parser("export", help="write the session as a standalone training script")
    _session_arguments(export)
    export.add_argument(
        "--to",
        choices=("numpy", "pytorch"),
        default="numpy",
        help="the script's library: numpy (the default) or pytorch (float64, autograd)",
    )
    export.add_argument("--epochs", type=int, help="epochs to train (default: the session's)")
    export.add_argument("--out", help="write the script to this file instead of printing it")
    _worksheet_parser(sub)
    return parser


def _worksheet_parser(sub) -> None:
    """worksheet SESSION: one step's questions per student, with answer keys."""
    sheets = sub.add_parser(
        "worksheet",
        help="write worksheets of one training step, a different one per student",
        description="The session gives the network's shape, activations, loss and learning "
        "rate; each sheet draws its own weights, biases and sample from its seed (sheet k: "
        "seed S + k - 1, named in its header) and asks every value of one SGD step.",
    )
    _session_arguments(sheets)
    sheets.add_argument("--count", type=int, default=1, metavar="N", help="sheets to write (1)")
    sheets.add_argument("--out", default="sheets", metavar="DIR", help="the folder (sheets/)")
    sheets.add_argument("--seed", type=int, metavar="S", help="the first sheet's seed (random)")
    sheets.add_argument(
        "--format",
        default="md,tex",
        help="md, tex, pdf (through Qt, no display needed), comma-separated (md,tex)",
    )
    group = sheets.add_mutually_exclusive_group()
    group.add_argument(
        "--digits", type=int, default=4, metavar="N", help="answers to N significant digits (4)"
    )
    group.add_argument("--decimals", type=int, metavar="N", help="N decimal places instead")


def _render_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-lab render",
        description="Draw a session's network diagram into a PNG or an SVG (no display needed).",
        epilog="PNG size: --width and --height in pixels (a missing one follows the 16:10 "
        "shape; neither: 1600 x 1000). --dpi N records N dots per inch in the PNG; without "
        "--width and --height it also sets the pixels: the 16:10 figure is 10.4 x 6.5 "
        "inches (the diagram laid out 1000 x 625 at 96 dpi; text prints at 10 pt and up), so "
        "--dpi 300 writes 3125 x 1953 pixels, sharp in print and on slides. An SVG is "
        "vectors: --width and --height give only its shape.",
    )
    parser.add_argument("session", help="a session file, or the name of a built-in lesson")
    parser.add_argument(
        "--out", required=True, metavar="NET.svg|NET.png", help="the picture to write"
    )
    parser.add_argument(
        "--view",
        choices=("weights", "gradients"),
        default="weights",
        help="colour the edges by the weights, or by dL/dw of one training step (weights)",
    )
    parser.add_argument("--width", type=int, metavar="W", help="PNG width in pixels (1600)")
    parser.add_argument("--height", type=int, metavar="H", help="PNG height in pixels (1000)")
    parser.add_argument(
        "--dpi", type=float, metavar="N", help="PNG dots per inch, up to 1200 (see below)"
    )
    return parser


def _animate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-lab animate",
        description="One training step, animated as in lecture mode, into a GIF or an MP4 "
        "video (no display needed). MP4 needs imageio-ffmpeg (pip install imageio-ffmpeg).",
    )
    parser.add_argument("session", help="a session file, or the name of a built-in lesson")
    parser.add_argument(
        "--out",
        required=True,
        metavar="STEP.gif|STEP.mp4",
        help="the animation to write; its extension chooses GIF or MP4 (H.264)",
    )
    parser.add_argument("--sample", type=int, help="trace row K (from 0) of the training split")
    parser.add_argument(
        "--fps",
        type=float,
        default=4.0,
        metavar="N",
        help="images per second, more than 0 and at most 50 (4: a still step shows for "
        "half a second, a travelling pulse for one)",
    )
    return parser


def _draw(command: str, argv: list[str]) -> int:
    """render and animate: Qt is imported here only, on the offscreen platform if there
    is no display."""
    args = (_render_parser() if command == "render" else _animate_parser()).parse_args(argv)
    from gui.xcb import missing_library

    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or missing_library():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # drawing needs no window
    if command == "animate":
        from gui.exports.animation import animate_session

        return animate_session(args.session, args.out, args.sample, args.fps)
    from gui.exports.diagram import render_session

    return render_session(args.session, args.out, args.view, args.width, args.height, args.dpi)


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-lab",
        description="Backprop Lab: see backpropagation at work. "
        f"Headless commands: {', '.join(COMMANDS + DRAWING_COMMANDS)} "
        "(e.g. backprop-lab train --help).",
    )
    parser.add_argument("session", nargs="?", help="a session file to open")
    parser.add_argument("--screenshot", metavar="OUT.png", help="save the window and exit")
    parser.add_argument(
        "--train-epochs", type=int, default=0, metavar="N", help="with --screenshot: train first"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="Linux: add Backprop Lab to your desktop's menus (a .desktop file and its icon "
        "under $XDG_DATA_HOME, by default ~/.local/share) and exit",
    )
    return parser


def _version() -> str:
    """The installed package's version (from its metadata), or a note if it is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("backprop-lab")
    except PackageNotFoundError:
        return "(not installed: run from a checkout)"


def _install_desktop_entry() -> int:
    """Write the desktop entry and the icon, say where; an exit status."""
    if not sys.platform.startswith("linux"):
        print("error: --install-desktop-entry is for Linux desktops only.", file=sys.stderr)
        return 2
    from gui.desktop import install_desktop_entry

    try:
        written = install_desktop_entry()
    except OSError as exc:
        print(f"error: could not write the desktop entry: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


def _headless(argv: list[str]) -> int:
    """A headless command; when the reader of its output goes away (``| head``), it ends
    quietly with the status SIGPIPE would give, instead of a "Broken pipe" error."""
    from core import cli

    try:
        args = _headless_parser().parse_args(argv)
        if args.command == "worksheet" and "pdf" in args.format:
            args.pdf = _pdf_writer()
        status = cli.run(args)
        sys.stdout.flush()  # a closed pipe shows here rather than at exit
    except BrokenPipeError:
        _silence_stdout()
        return PIPE_CLOSED
    return status


def _pdf_writer():
    """Qt's PDF writer for ``worksheet --format pdf`` (Qt is imported for it alone, on its
    offscreen platform when there is no display)."""
    from gui.xcb import missing_library

    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if (headless or missing_library()) and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from gui.quiz.pdf import pdf_writer

    return pdf_writer()


def _silence_stdout() -> None:
    """Point standard output at the null device, so that Python's last flush at exit
    finds no closed pipe to complain about."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # no file descriptor (a test's StringIO): nothing to flush
        pass


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        return _headless(argv)
    if argv and argv[0] in DRAWING_COMMANDS:
        return _draw(argv[0], argv[1:])
    args = _gui_parser().parse_args(argv)
    if args.install_desktop_entry:
        return _install_desktop_entry()
    from gui.xcb import missing_library

    problem = missing_library()  # before Qt starts: without the library, Qt aborts the process
    if problem and args.screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no window system
    elif problem:
        print(problem, file=sys.stderr)
        return 1
    from gui.app import run_gui

    return run_gui(args.session, screenshot=args.screenshot, train_epochs=args.train_epochs)


if __name__ == "__main__":
    sys.exit(main())
