"""Backprop Lab: `python main.py` opens the app; subcommands run headless.

    python main.py [SESSION.json] [--screenshot OUT.png [--train-epochs N]]   the window
    python main.py train SESSION [--epochs N] [--out FILE] [--json]
    python main.py step SESSION [--sample K] [--json]
    python main.py gradcheck SESSION [--samples N]
    python main.py lessons

The headless commands never import Qt, so they run on any server.
Exit status: 0 ok, 1 gradient check failed, 2 bad input, 3 training diverged.
"""

from __future__ import annotations

import argparse
import sys

COMMANDS = ("train", "step", "gradcheck", "lessons")


def _headless_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-lab", description="Backprop Lab's headless commands."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train a session and print a summary")
    train.add_argument("session", help="a session file, or the name of a built-in lesson")
    train.add_argument("--epochs", type=int, help="epochs to train (default: the session's)")
    train.add_argument("--out", help="write the trained session to this file")
    train.add_argument("--json", action="store_true", help="print the summary as JSON")
    step = sub.add_parser("step", help="show one training step with the chain rule in numbers")
    step.add_argument("session", help="a session file, or the name of a built-in lesson")
    step.add_argument("--sample", type=int, help="trace row K (from 0) of the training split")
    step.add_argument("--digits", type=int, default=6, help="significant digits (default 6)")
    step.add_argument("--json", action="store_true", help="print the step's numbers as JSON")
    check = sub.add_parser("gradcheck", help="check backprop against central differences")
    check.add_argument("session", help="a session file, or the name of a built-in lesson")
    check.add_argument(
        "--samples", type=int, default=256, help="check on the first N training rows (256)"
    )
    sub.add_parser("lessons", help="list the built-in lessons")
    return parser


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backprop-lab",
        description="Backprop Lab: see backpropagation at work. "
        f"Headless commands: {', '.join(COMMANDS)} (e.g. backprop-lab train --help).",
    )
    parser.add_argument("session", nargs="?", help="a session file to open")
    parser.add_argument("--screenshot", metavar="OUT.png", help="save the window and exit")
    parser.add_argument(
        "--train-epochs", type=int, default=0, metavar="N", help="with --screenshot: train first"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        from core import cli

        return cli.run(_headless_parser().parse_args(argv))
    args = _gui_parser().parse_args(argv)
    from gui.app import run_gui

    return run_gui(args.session, screenshot=args.screenshot, train_epochs=args.train_epochs)


if __name__ == "__main__":
    sys.exit(main())
