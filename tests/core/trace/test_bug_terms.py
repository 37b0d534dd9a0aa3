"""The lecture's formulas with the bug lab's bugs (core.trace.buggy): every term of every
step, and every chain rule, written as the bug computes it, so that its tree evaluated
from its leaves gives the number it shows; the formulas without a bug are unchanged."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.engine import bugs
from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.engine.trainer import trainer_for
from core.quiz.questions import questions_of
from core.session.format import load_session
from core.trace.chain import chain_lines, chain_rule
from core.trace.expr import (
    Apply,
    Diff,
    Power,
    Product,
    Quotient,
    Sqrt,
    Sum,
    Value,
    function,
    leaves,
)
from core.trace.formula import format_walkthrough, render_term
from core.trace.iteration import IterationTrace, trace_iteration, trace_next_step
from core.trace.tables import iteration_rows, to_markdown
from tests import paths
from tests.core.trace.traces import random_data


def evaluate(node) -> float:
    """The tree's value computed afresh from its leaves (never the nodes' stored values)."""
    with np.errstate(all="ignore"):
        if isinstance(node, Value):
            return node.value
        if isinstance(node, Sum):
            return math.fsum(evaluate(item) for item in node.items)
        if isinstance(node, Product):
            return math.prod(evaluate(item) for item in node.items)
        if isinstance(node, Diff):
            return evaluate(node.left) - evaluate(node.right)
        if isinstance(node, Quotient):
            return float(np.divide(evaluate(node.num), evaluate(node.den)))
        if isinstance(node, Power):
            return float(np.power(evaluate(node.base), evaluate(node.exponent)))
        if isinstance(node, Sqrt):
            return float(np.sqrt(evaluate(node.arg)))
        assert isinstance(node, Apply)
        return float(function(node.fn)(np.asarray(evaluate(node.arg))))


def assert_true(term, where) -> None:
    room = max([abs(term.result), *(abs(leaf.value) for leaf in leaves(term.expr))])
    value = evaluate(term.expr)
    assert value == pytest.approx(term.result, rel=1e-12, abs=1e-14 * room), where


# --- the traces: lessons, a tanh net with a batch, square hidden layers ---


def lesson(name: str, bug: str | None) -> IterationTrace:
    session = load_session(paths.LESSONS / f"{name}.json")
    trainer = trainer_for(session)
    trainer.bug = bug
    return trace_next_step(trainer, session.labels)


def net_trace(layers, names, loss, n, settings, bug, seed=1) -> IterationTrace:
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0.0, 0.8, (o, i)) for i, o in zip(layers, layers[1:])]
    biases = [rng.normal(0.0, 0.5, o) for o in layers[1:]]
    x, y = random_data(n, layers[0], layers[-1], loss, seed)
    config = TrainingConfig(**settings)
    opt = Optimizer(config.optimizer, lr=config.learning_rate)
    if config.optimizer != "sgd":  # a state of its own: the step after a first one
        flat = np.concatenate([p.ravel() for wb in zip(weights, biases) for p in wb])
        opt.step([flat.copy()], [rng.normal(size=flat.size)])
    return trace_iteration(Network(weights, biases, names), loss, opt, config, x, y, bug=bug)


CASES = {
    "mazur": lambda bug: lesson("mazur", bug),
    "xor_script": lambda bug: lesson("xor_script", bug),
    "tanh batch": lambda bug: net_trace(
        [2, 4, 3], ["tanh", "tanh"], "mse", 5,
        dict(optimizer="momentum", learning_rate=0.1, l2=1e-2), bug,
    ),
    "square": lambda bug: net_trace(
        [2, 3, 3, 3], ["tanh", "sigmoid", "sigmoid"], "bce", 4,
        dict(optimizer="adam", learning_rate=0.01, l1=1e-3), bug,
    ),
    "square cce": lambda bug: net_trace(
        [3, 3, 3], ["leaky_relu", "softmax"], "cce", 3,
        dict(optimizer="sgd", learning_rate=0.2, l1=1e-3, l2=1e-2), bug,
    ),
}  # fmt: skip


def traced(case: str, bug: str | None) -> IterationTrace | None:
    trace = CASES[case](None)
    if bugs.problem(bug, trace.layers):
        return None
    return CASES[case](bug) if bug else trace


def every_term(trace: IterationTrace):
    for step in trace.steps:
        for k, term in enumerate(step.terms):
            yield step, k, term


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("bug", [None, *bugs.BUGS])
def test_every_term_adds_up_to_the_number_it_shows(case, bug):
    trace = traced(case, bug)
    if trace is None:
        pytest.skip(f"{bug} cannot run on {case}")
    for step, k, term in every_term(trace):
        assert_true(term, (step.title, k, term.target))
        render_term(term, 6, "unicode")  # and every line renders
    assert format_walkthrough(trace, 6, "unicode")
    for l in range(1, len(trace.layers)):  # every chain rule adds up, factor by factor
        for i in range(trace.layers[l]):
            for j in [*range(trace.layers[l - 1]), None]:
                chain = chain_rule(trace, l, i, j, trace.n - 1)
                found = [chain.product, *(f.term for f in chain.factors)]
                found += [f.term for f in (*chain.paths, *chain.expansions)]
                for term in found + ([chain.total] if chain.total else []):
                    assert_true(term, (l, i, j, term.target))
                if chain.paths:
                    total = math.fsum(p.term.result for p in chain.paths)
                    assert total == pytest.approx(chain.factors[0].term.result, rel=1e-12)
                chain_lines(chain, 6, "unicode")
    assert to_markdown(iteration_rows(trace))


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("bug", list(bugs.BUGS))
def test_the_titles_say_where_the_bug_changes_the_formula(case, bug):
    trace, right = traced(case, bug), traced(case, None)
    if trace is None:
        pytest.skip(f"{bug} cannot run on {case}")
    changed = 0
    for step, plain in zip(trace.steps, right.steps, strict=True):
        noted = step.title != plain.title
        assert step.title.startswith(plain.title) and "bug:" not in plain.title
        changed += noted
        if noted:
            assert step.title.endswith(f" · bug: {bugs.get(bug).title[0].lower()}"
                                       f"{bugs.get(bug).title[1:]}")  # fmt: skip
    output_slope = trace.loss_name in ("sse", "mse")
    expected = {
        "no_fprime": output_slope + len(trace.layers) - 2,
        "fprime_of_a": output_slope + len(trace.layers) - 2,
        "transposed": len(trace.layers) - 2,
        "mazur": len(trace.layers) - 2,
        "no_mean": trace.loss_name != "sse",
        "plus": len(trace.layers) - 1,
        "frozen_biases": len(trace.layers) - 1,
    }[bug]
    assert changed == expected


def hidden_delta(trace: IterationTrace, sample: int = 0, i: int = 0):
    step = next(s for s in trace.steps if s.phase == "backward" and s.layer == len(trace.z))
    (term,) = step.select(sample=sample, i=i)
    return term


def output_delta(trace: IterationTrace, sample: int = 0, i: int = 0):
    (term,) = next(s for s in trace.steps if s.phase == "output_delta").select(sample=sample, i=i)
    return term


def update(trace: IterationTrace, l: int, name: str, i: int = 0, j: int | None = 0):
    step = next(s for s in trace.steps if s.phase == "update" and s.layer == l)
    kind = {"i": i, "kind": "new"} | ({"j": j} if name == "w" else {})
    block = next(b for b in step.terms.blocks if b.what == ("weights" if name == "w" else "biases"))
    (term,) = step.terms.of(block, **kind)
    return term


def test_mazur_lines_write_each_bugs_formula():
    text = lambda term: render_term(term, 9, "unicode")  # noqa: E731
    right = text(hidden_delta(lesson("mazur", None)))
    assert right.startswith("δₕ₁ = σ'(zₕ₁) · (w5 · δₒ₁ + w7 · δₒ₂) = ")
    no_fprime = lesson("mazur", "no_fprime")
    assert text(output_delta(no_fprime)).startswith("δₒ₁ = aₒ₁ − yₒ₁ = ")
    assert "σ" not in text(hidden_delta(no_fprime))
    assert "σ'(aₒ₁)" in text(output_delta(lesson("mazur", "fprime_of_a")))
    assert "σ'(aₕ₁)" in text(hidden_delta(lesson("mazur", "fprime_of_a")))
    transposed = text(hidden_delta(lesson("mazur", "transposed")))
    assert "w6" in transposed and "w7" not in transposed  # δ_h1 gathers through W²ᵀ's row
    mazur = lesson("mazur", "mazur")
    w5_new = [v for v in leaves(hidden_delta(mazur).expr) if v.symbol.name == "w"][0]
    assert w5_new.symbol.new and w5_new.value == mazur.weights_after[1][0, 0]
    assert "w5⁺" in text(hidden_delta(mazur))
    plus = lesson("mazur", "plus")
    assert " + " in text(update(plus, 2, "w")).split("=")[1]  # w5⁺ = w5 + η · ∂L/∂w5


def test_frozen_biases_keep_their_value_and_plus_climbs():
    trace = traced("tanh batch", "frozen_biases")  # momentum: its rule on a gradient of 0
    step = next(s for s in trace.steps if s.phase == "update" and s.layer == 1)
    block = next(b for b in step.terms.blocks if b.what == "biases")
    (velocity,) = step.terms.of(block, i=0, kind="velocity")
    assert [leaf.text for leaf in leaves(velocity.expr)][-1] == "0"
    assert velocity.result == trace.internals["velocity"][1][0][0]  # v⁺ = μ v + 0
    sgd = traced("square cce", "frozen_biases")
    assert render_term(update(sgd, 1, "b"), 4, "text").count("=") == 2  # b⁺ = b = value
    plus = traced("square cce", "plus")
    weight = update(plus, 1, "w")
    g = next(t for t in plus.steps[-3].select(i=0, j=0, kind="g"))
    assert g.result == -plus.step_dW[0][0, 0]  # the true gradient; the optimiser saw -g
    assert weight.result == pytest.approx(plus.weights_before[0][0, 0] + 0.2 * g.result)


def test_no_mean_drops_the_batchs_one_over_n():
    for case, text in (("tanh batch", "2/k"), ("square", "1/k")):
        term = output_delta(traced(case, "no_mean"))
        shown = render_term(term, 4, "text")
        assert text in shown and "n k" not in shown and "/n" not in shown
    assert isinstance(output_delta(traced("square cce", "no_mean")).expr, Diff)  # a − y


def test_the_mazur_bugs_lecture_ends_with_the_published_error():
    trace = lesson("mazur", "mazur")
    (total, _) = trace.steps[-1].terms
    assert round(total.result, 9) == 0.291027924
    assert "0.291027924" in render_term(total, 9, "unicode")


@pytest.mark.parametrize("bug", list(bugs.BUGS))
def test_the_quiz_never_names_the_answer_as_a_slip(bug):
    for case in CASES:
        trace = traced(case, bug)
        if trace is None:
            continue
        for q in questions_of(trace, trace.n - 1):
            for level in (1, 2, 3):
                q.hint(level, 4)
            verdict = q.check(repr(q.answer), 4)
            assert verdict.right and verdict.mistake is None, (case, q.term.target)


def test_the_table_shows_the_gradient_the_lecture_shows():
    plus = traced("square cce", "plus")
    g = next(t for t in plus.steps[-3].select(i=0, j=0, kind="g"))
    rows = [r for r in iteration_rows(plus) if r.phase == "update" and r.layer == 1]
    (row,) = [r for r in rows if r.quantity == "g(w^1_11)"]
    assert row.value == g.result == -plus.step_dW[0][0, 0]
