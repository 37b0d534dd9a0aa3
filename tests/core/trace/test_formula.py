"""Expression trees and their renderers: values, numbers, symbols, styles, long sums."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.trace.expr import Apply, Diff, Power, Product, Quotient, Sqrt, Sum, Symbol, Term, Value
from core.trace.formula import render_expr, render_numeric, render_symbolic, render_term
from core.trace.notation import format_number, render_symbol


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (0.000438568, 6, "0.000438568"),
        (0.00043856773, 4, "0.0004386"),
        (0.241300709, 4, "0.2413"),
        (0.036350306, 4, "0.03635"),
        (0.008771355, 4, "0.008771"),
        (0.5, 4, "0.5"),
        (2.0, 4, "2"),
        (0.0, 6, "0"),
        (-0.0380982, 3, "-0.0381"),
        (123456.7, 4, "123500"),
        (999999.0, 8, "999999"),
        (0.0001, 3, "0.0001"),
        (9.99996, 4, "10"),
        (1e-8, 4, "1e-08"),
        (3.17e-05, 4, "3.17e-05"),
        (2.5e7, 3, "2.5e+07"),
    ],
)
def test_numbers_keep_significant_digits_without_scientific_notation_in_range(value, digits, text):
    assert format_number(value, digits, "ascii") == text
    assert format_number(value, digits) == text.replace("-", "−")  # a true minus on screen


def test_small_gradients_never_lose_their_digits():
    for digits in range(1, 12):
        text = format_number(0.000438568, digits, "ascii")
        assert "e" not in text
        assert float(text) == pytest.approx(0.000438568, rel=10.0 ** (1 - digits))
    assert format_number(-0.25, 4, "unicode") == "−0.25"
    assert format_number(math.inf, 4) == "inf"


def test_nodes_compute_their_values_from_their_children():
    w, a, b = Value(None, 0.5, "w"), Value(None, -2.0, "a"), Value(None, 0.25, "b")
    assert Sum((Product((w, a)), b)).value == -0.75
    assert Diff(w, a).value == 2.5
    assert Quotient(w, b).value == 2.0
    assert Power(a, Value(None, 2.0, "2")).value == 4.0
    assert Sqrt(b).value == 0.5
    assert Apply("sigmoid", Value(None, 0.0)).value == 0.5
    assert Apply("sigmoid'", Value(None, 0.0)).value == 0.25
    assert Apply("tanh'", Value(None, 0.0)).value == 1.0
    assert Apply("relu'", Value(None, -1.0)).value == 0.0
    assert Apply("log_one_minus_sigmoid", Value(None, 800.0)).value == pytest.approx(-800.0)


def test_overflow_and_division_by_zero_give_inf_and_nan_without_errors():
    zero = Value(None, 0.0)
    assert Quotient(Value(None, 1.0), zero).value == math.inf
    assert math.isnan(Quotient(zero, zero).value)
    assert Apply("exp", Value(None, 1000.0)).value == math.inf
    assert Apply("log", zero).value == -math.inf
    assert math.isnan(Sqrt(Value(None, -1.0)).value)
    assert math.isnan(Sum((Value(None, math.inf), Value(None, -math.inf))).value)
    assert Power(Value(None, 10.0), Value(None, 400.0)).value == math.inf


@pytest.mark.parametrize(
    ("symbol", "text", "unicode", "html"),
    [
        (Symbol("delta", 1, 0), "delta^1_1", "δ₁¹", "δ<sub>1</sub><sup>1</sup>"),
        (Symbol("w", 2, 0, 1), "w^2_12", "w₁₂²", "w<sub>12</sub><sup>2</sup>"),
        (Symbol("w", 2, 11, 2), "w^2_(12,3)", "w₁₂,₃²", "w<sub>12,3</sub><sup>2</sup>"),
        (Symbol("x", 0, 1), "x_2", "x₂", "x<sub>2</sub>"),
        (Symbol("dL/dw", 1, 0, 0, "w1"), "dL/dw1", "∂L/∂w1", "∂L/∂w1"),
        (Symbol("dL/db", 1, 1), "dL/db^1_2", "∂L/∂b₂¹", "∂L/∂b<sub>2</sub><sup>1</sup>"),
        (Symbol("a", 1, 0, None, "h1"), "a_h1", "aₕ₁", "a<sub>h1</sub>"),
        (Symbol("a", 1, 0, None, "Bob"), "a_Bob", "a_Bob", "a<sub>Bob</sub>"),
        (Symbol("m_hat", 1, 0, 0, "w5"), "m_hat(w5)", "m̂(w5)", "m̂(w5)"),
        (Symbol("velocity", 1, 0), "v(b^1_1)", "v(b₁¹)", "v(b<sub>1</sub><sup>1</sup>)"),
        (Symbol("w", 2, 0, 0, "w5", new=True), "w5(new)", "w5⁺", "w5<sup>+</sup>"),
        (Symbol("lr"), "lr", "η", "η"),
        (Symbol("L"), "L", "L", "L"),
        (Symbol("L", None, 0, None, "o1"), "L_o1", "Lₒ₁", "L<sub>o1</sub>"),
        (Symbol("a", 1, 0, None, "<b>"), "a_<b>", "a_<b>", "a<sub>&lt;b&gt;</sub>"),
    ],
)
def test_symbols_in_every_style(symbol, text, unicode, html):
    assert render_symbol(symbol, "text") == text
    assert render_symbol(symbol, "unicode") == unicode
    assert render_symbol(symbol, "html") == html


def test_sample_rows_show_when_asked():
    z = Symbol("z", 1, 0, sample=2)
    assert render_symbol(z) == "z^1_1"
    assert render_symbol(z, samples=True) == "z^1_1[3]"


def _leaf(name, layer, i, j=None, value=1.0, sample=None):
    return Value(Symbol(name, layer, i, j, sample=sample), value)


def hidden_delta(n_next: int) -> Term:
    """delta^1_1 = f'(z^1_1) * sum_k w^2_k1 delta^2_k."""
    back = tuple(
        Product((_leaf("w", 2, k, 0, 0.1 * (k + 1)), _leaf("delta", 2, k, value=0.01)))
        for k in range(n_next)
    )
    expr = Product((Apply("sigmoid'", _leaf("z", 1, 0, value=0.3)), Sum(back, "k")))
    return Term(Symbol("delta", 1, 0), expr, expr.value)


def test_long_homogeneous_sums_get_the_compact_sigma_form():
    term = hidden_delta(6)
    assert render_symbolic(term) == "delta^1_1 = sigmoid'(z^1_1) * (sum_k w^2_k1 * delta^2_k)"
    assert render_symbolic(term, "unicode") == "δ₁¹ = σ'(z₁¹) · (Σₖ wₖ₁² · δₖ²)"
    html = render_symbolic(term, "html")
    assert html.startswith(
        "δ<sub>1</sub><sup>1</sup> = σ'(z<sub>1</sub><sup>1</sup>) · (Σ<sub>k</sub>"
    )
    short = render_symbolic(hidden_delta(2))
    assert short == "delta^1_1 = sigmoid'(z^1_1) * (w^2_11 * delta^2_1 + w^2_21 * delta^2_2)"
    assert render_numeric(hidden_delta(2), 3) == "0.244 * 0.003 = 0.000733"


def test_long_sums_of_numbers_are_elided_with_a_count():
    items = tuple(
        Product((_leaf("delta", 2, 0, value=0.1, sample=s), _leaf("a", 1, 0, value=2.0, sample=s)))
        for s in range(10)
    )
    term = Term(Symbol("dL/dw", 2, 0, 0), Sum(items, "s"), 2.0)
    assert render_symbolic(term) == "dL/dw^2_11 = sum_s delta^2_1[s] * a^1_1[s]"
    assert render_numeric(term) == "0.1 * 2 + 0.1 * 2 + 0.1 * 2 + ... (6 more) ... + 0.1 * 2 = 2"
    three = Term(term.target, Sum(items[:3], "s"), 0.6)
    assert render_symbolic(three) == (
        "dL/dw^2_11 = delta^2_1[1] * a^1_1[1] + delta^2_1[2] * a^1_1[2] + delta^2_1[3] * a^1_1[3]"
    )
    assert render_symbolic(three, samples=False).count("[") == 0
    five = Term(term.target, Sum(items[:5], "s"), 1.0)  # eliding one item would hide nothing
    assert "..." not in render_numeric(five)
    assert render_expr(Sum(items), max_items=10).count("+") == 9


def test_numbers_parenthesise_negatives_and_powers_their_bases():
    y, a = _leaf("y", 2, 0, value=0.01), _leaf("a", 2, 0, value=0.75136507)
    term = Term(
        Symbol("L", None, 0),
        Product((Value(None, 0.5, "1/2"), Power(Diff(y, a), Value(None, 2.0, "2")))),
        0.274811083,
    )
    assert render_symbolic(term) == "L_1 = 1/2 * (y_1 − a^2_1)^2"
    assert render_numeric(term, 4) == "0.5 * (0.01 − 0.7514)^2 = 0.2748"
    assert render_numeric(term, 4, "unicode") == "0.5 × (0.01 − 0.7514)² = 0.2748"
    assert render_numeric(term, 4, "html") == "0.5 × (0.01 − 0.7514)<sup>2</sup> = 0.2748"
    g = _leaf("g", 1, 0, 0, value=-0.5)
    square = Term(Symbol("v", 1, 0, 0), Power(g, Value(None, 2.0, "2")), 0.25)
    assert render_symbolic(square) == "v(w^1_11) = (g(w^1_11))^2"
    assert render_numeric(square) == "(−0.5)^2 = 0.25"
    w = _leaf("w", 1, 0, 0, value=-0.3)
    update = Diff(w, Product((Value(Symbol("lr"), 0.1), _leaf("dL/dw", 1, 0, 0, value=-2.0))))
    assert render_expr(update, numeric=True) == "−0.3 − 0.1 * (−2)"


def test_numbers_show_nested_functions_and_factor_sums_by_value():
    z = _leaf("z", 1, 0, value=0.3775)
    a = Term(Symbol("a", 1, 0), Apply("sigmoid", z), 0.593269992)
    assert render_term(a, 4) == "a^1_1 = sigmoid(z^1_1) = sigmoid(0.3775) = 0.5933"
    error = Diff(_leaf("a", 2, 0, value=0.75136507), _leaf("y", 2, 0, value=0.01))
    delta = Term(
        Symbol("delta", 2, 0),
        Product((error, Apply("sigmoid'", _leaf("z", 2, 0, value=1.10590597)))),
        0.138498562,
    )
    # the error a − y with both numbers (the target in sight), then by value
    assert render_numeric(delta, 9) == (
        "(0.75136507 − 0.01) * 0.186815602 = 0.74136507 * 0.186815602 = 0.138498562"
    )
    hat = Quotient(
        _leaf("m", 1, 0, 0, 0.01),
        Diff(Value(None, 1.0, "1"), Power(Value(Symbol("beta1"), 0.9), Value(Symbol("t"), 2.0))),
    )
    assert render_expr(hat) == "m(w^1_11) / (1 − beta1^t)"
    assert render_expr(hat, "unicode") == "m(w₁₁¹) / (1 − β₁ᵗ)"
    assert render_expr(hat, numeric=True) == "0.01 / (1 − 0.9^2)"
    adam = Quotient(Value(None, 0.01), Sum((Sqrt(Value(None, 0.0004)), Value(Symbol("eps"), 1e-8))))
    assert render_expr(adam, numeric=True) == "0.01 / (sqrt(0.0004) + 1e−08)"
    assert render_expr(adam, "unicode", numeric=True) == "0.01 / (√0.0004 + 1e−08)"


def test_functions_and_constants_render_in_every_style():
    z = _leaf("z", 2, 0, value=-1.0)
    bce = Sum(
        (
            Product((_leaf("y", 2, 0), Apply("log_sigmoid", z))),
            Product(
                (Diff(Value(None, 1.0, "1"), _leaf("y", 2, 0)), Apply("log_one_minus_sigmoid", z))
            ),
        )
    )
    assert render_expr(bce) == "y_1 * log sigmoid(z^2_1) + (1 − y_1) * log(1 − sigmoid(z^2_1))"
    assert render_expr(bce, "unicode") == "y₁ · log σ(z₁²) + (1 − y₁) · log(1 − σ(z₁²))"
    scaled = Product((Value(None, -0.5, "-1/n"), _leaf("y", 2, 0)))
    assert render_expr(scaled, "unicode") == "−1/n · y₁"
    assert render_expr(scaled, "html").startswith("−1/n · y<sub>1</sub>")
    with pytest.raises(ValueError, match="unknown style"):
        render_expr(scaled, "latex")


def test_decimal_places_print_numbers_as_a_worked_example_does():
    from core.trace.notation import Precision, format_number

    places = Precision(9, decimals=True)
    printed = {
        0.0821670406: "0.082167041",
        0.000438567968: "0.000438568",
        0.35891648: "0.35891648",
        0.3775: "0.3775",
        -0.0226025405: "-0.022602541",
        1e-12: "0",
        -1e-12: "0",
    }
    for value, text in printed.items():
        assert format_number(value, places, "ascii") == text
    assert format_number(-0.5, Precision(3, True), "unicode") == "−0.5"
    assert format_number(0.0821670406, Precision(9)) == format_number(0.0821670406, 9)


@given(
    value=st.floats(-1e6, 1e6, allow_nan=False),
    digits=st.integers(2, 12),
)
def test_decimal_places_are_the_value_rounded_once(value, digits):
    from core.trace.notation import Precision, format_number

    text = format_number(value, Precision(digits, decimals=True), "ascii")
    assert abs(float(text) - value) <= 0.5 * 10.0**-digits * (1 + 1e-9) + abs(value) * 1e-15
    assert text == "0" or not text.endswith("0") or "." not in text  # no trailing zeros
