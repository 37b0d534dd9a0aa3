"""Reading a typed answer and checking it at the shown precision.

The rule: an answer is right when it rounds to the digits the lecture shows, that is when
``format_number(typed, precision) == format_number(answer, precision)`` (so 0.29837 and
0.2984 are both right for 0.298371109 at 4 significant digits, 0.2985 is not).  A named
mistake (core.quiz.mistakes) is recognised the same way: the typed number rounds to the
mistake's value at the shown digits.

What may be typed: an optional sign (+, -, or the minus sign −), digits with one decimal
point (``0.5``, ``.5``, ``5.``) and an optional exponent (``-1e-3``, ``2.5E4``).  A
decimal comma is accepted when it is the only separator (``0,5`` is 0.5, as in much of
Europe); a number with both commas and points (``1,234.5``) is refused, since its comma
might be a thousands separator.  Spaces around the number are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.trace.notation import MINUS, Precision, format_number

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
DASHES = {MINUS: "-", "\u2013": "-", "\u2012": "-"}
OUTCOMES = ("right", "close", "wrong", "invalid")


class AnswerError(ValueError):
    """A typed answer that is not a number; its message says what to type instead."""


def parse_answer(text: str) -> float:
    """The number typed in ``text`` (see the module's rules); AnswerError if it is none."""
    typed = text.strip()
    for dash, hyphen in DASHES.items():
        typed = typed.replace(dash, hyphen)
    if not typed:
        raise AnswerError("The answer is empty: type a number such as 0.25 or -1e-3.")
    if "," in typed:
        if "." in typed or typed.count(",") > 1:
            raise AnswerError(
                f"“{text.strip()}” mixes commas and points: type the number with one "
                "decimal point (or one decimal comma) and no thousands separators."
            )
        typed = typed.replace(",", ".")
    if not NUMBER.fullmatch(typed):
        raise AnswerError(
            f"“{text.strip()[:40]}” is not a number: type a decimal such as 0.25, -.5 or "
            "-1e-3 (no fractions or formulas)."
        )
    return float(typed)


def shown(value: float, precision: int | Precision) -> str:
    """``value`` as the lecture shows it at ``precision`` (plain hyphen minus)."""
    return format_number(value, precision, "ascii")


def precision_words(precision: int | Precision) -> str:
    """'4 significant digits' or '9 decimal places'."""
    p = precision if isinstance(precision, Precision) else Precision(precision)
    unit = "decimal place" if p.decimals else "significant digit"
    return f"{p.digits} {unit}{'' if p.digits == 1 else 's'}"


def same_at(typed: float, value: float, precision: int | Precision) -> bool:
    """Whether ``typed`` rounds to the digits ``value`` shows at ``precision``."""
    return shown(typed, precision) == shown(value, precision)


def too_few_digits(text: str, typed: float, value: float, precision: int | Precision) -> bool:
    """Whether ``typed`` is ``value`` cut short: fewer digits than the shown value, and
    ``value`` rounded to the typed number of digits gives it (0.3 for 0.2984)."""
    mantissa = re.split("[eE]", text.strip().replace(",", "."))[0]
    typed_digits = len(re.sub(r"\D", "", mantissa).lstrip("0")) or 1
    answer_digits = len(re.sub(r"\D", "", shown(value, precision)).lstrip("0")) or 1
    if typed_digits >= answer_digits or typed == 0:
        return False
    return shown(typed, typed_digits) == shown(value, typed_digits)


def last_digit_off(typed: float, value: float, precision: int | Precision) -> bool:
    """Whether ``typed`` is one unit of the last shown digit away from the shown value."""
    text = shown(value, precision)
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    if "e" in text:
        return False
    return abs(typed - float(text)) <= 1.0001 * 10.0**-decimals


@dataclass(frozen=True)
class Verdict:
    """What a typed answer is: ``outcome`` one of OUTCOMES; ``mistake`` the named slip of a
    close answer; ``message`` one sentence for the learner (never the answer itself)."""

    outcome: str
    message: str
    mistake: str | None = None
    value: float | None = None

    @property
    def right(self) -> bool:
        """Whether the answer was right."""
        return self.outcome == "right"


def check_value(
    text: str, answer: float, mistakes: dict[str, tuple[float, str]], precision: int | Precision
) -> Verdict:
    """Check the typed ``text`` against ``answer`` at ``precision``: right, close (one of
    ``mistakes``, name -> (its value, what to do), rounds the same), wrong, or invalid."""
    try:
        typed = parse_answer(text)
    except AnswerError as exc:
        return Verdict("invalid", str(exc))
    if same_at(typed, answer, precision):
        return Verdict("right", "Right.", value=typed)
    if found := _named(typed, answer, mistakes, precision):
        name, advice = found
        return Verdict("close", f"Close: {name}. {advice}", name, typed)
    words = precision_words(precision)
    if too_few_digits(text, typed, answer, precision):
        return Verdict("close", f"Close: too few digits. Give it to {words}.", "digits", typed)
    if last_digit_off(typed, answer, precision):
        message = (
            f"Not right at {words}: the last digit is off by one; carry more digits through "
            "the steps in between."
        )
        return Verdict("wrong", message, value=typed)
    message = f"Not right at {words}: try again, or ask for a hint."
    return Verdict("wrong", message, value=typed)


def _named(
    typed: float, answer: float, mistakes: dict[str, tuple[float, str]], precision
) -> tuple[str, str] | None:
    """The slip ``typed`` comes from, with its advice: one of ``mistakes``, or one of them
    with the sign wrong too ('sign and you forgot f'(z)'); None if none rounds to it."""
    for flip in (1.0, -1.0):
        for name, (value, advice) in mistakes.items():
            if name == "sign" and flip < 0:
                continue
            value *= flip
            if same_at(typed, value, precision) and not same_at(value, answer, precision):
                if flip > 0:
                    return name, advice
                return f"sign and {name}", f"{advice} {mistakes.get('sign', (0.0, ''))[1]}".strip()
    return None
