"""Bounds on what a hostile session file can cost: long integers, messages, their number.

A session file is untrusted input.  These helpers keep every report about it
bounded whatever the file holds: a whole number too long for Python to convert
becomes a :class:`LongInteger` marker (reported at its JSON path), each message is
one printable line of at most MAX_MESSAGE characters, and a :class:`Capped` list
keeps MAX_KEPT messages and counts the rest.  :func:`check_memory` says whether a
session's network and data would fit in memory to train.  Imports only the engine.
"""

from __future__ import annotations

from typing import Any

from core.engine import network
from core.engine.chunks import chunk_rows
from core.engine.config import TrainingConfig

MAX_KEPT = 20  # problems (and warnings) kept one by one; the rest are only counted
MAX_MESSAGE = 300  # characters of one problem or warning
MAX_DIGITS = 4300  # Python's int-string conversion limit (sys.get_int_max_str_digits)


class LongInteger:
    """A whole number in JSON text with more digits than Python converts (MAX_DIGITS).

    :func:`parse_int` turns such a literal into this marker, so that the checks
    report it at its JSON path instead of the parse failing with a ValueError.
    """

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"a whole number of {self.digits:,} digits"


def parse_int(text: str) -> int | LongInteger:
    """A JSON integer literal as an int, or a LongInteger marker when it is too long to
    convert (for ``json.loads(..., parse_int=parse_int)``)."""
    digits = len(text) - text.startswith("-")
    return LongInteger(digits) if digits > MAX_DIGITS else int(text)


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` on one line, at most ``limit`` characters, printable on any UTF-8 stream:
    line breaks and other control characters and lone surrogates become escapes, and the
    tail is cut with "..." (a file's key or value may hold anything)."""
    text = text[: limit * 8]  # escapes at most quadruple a character; bound the work first
    if not text.isprintable():
        text = "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Capped(list):
    """A list of kept messages that also knows how many there were in all (``total``)."""

    total: int = 0


def more_line(shown: int, total: int, noun: str) -> str | None:
    """'... and 3 more problems' when ``total`` exceeds ``shown``, else None."""
    more = total - shown
    return f"... and {more:,} more {noun}{'s' * (more != 1)}" if more > 0 else None


def check_memory(layers: list[int], config: TrainingConfig, rows: tuple[int, int], pr: Any) -> bool:
    """Whether training this network on (training, test) ``rows`` fits in memory
    (core.engine.network.check_memory, with the trainer's evaluation chunks); else the
    estimate is a problem at training.batch_size in ``pr`` (a checks.Problems).  For
    core.session.format to call once the data is loaded, so that a session too large
    to train is refused when it opens."""
    n_train, n_test = rows
    batch = min(config.batch_size or n_train, n_train)
    try:
        network.check_memory(layers, batch, chunk_rows(layers), n_train + n_test)
    except network.TooLarge as err:
        pr.add("training.batch_size", str(err))
        return False
    return True
