"""A weight's chain rule and the step's frames in lecture mode with the bug lab's bug on:
the factors, paths and titles the bug computes (core.trace.buggy), on Mazur's lesson."""

from __future__ import annotations

from core.engine.trainer import trainer_for
from core.session.format import load_session
from core.trace.iteration import trace_next_step
from core.trace.notation import Precision
from gui.lecture.chain import ChainPlan
from gui.lecture.frames import Look
from gui.lecture.plan import LecturePlan
from tests import paths

NINE = Precision(9, decimals=True)


def traced(bug: str):
    session = load_session(paths.LESSONS / "mazur.json")
    trainer = trainer_for(session)
    trainer.bug = bug
    return trace_next_step(trainer, session.labels)


def test_the_hidden_chain_goes_back_through_the_weights_the_bug_takes():
    for bug, first, second in (("transposed", "w5", "w6"), ("mazur", "w5⁺", "w7⁺")):
        trace = traced(bug)
        chain = ChainPlan.of(LecturePlan(trace, "layer"), 0, (0, 0, 0))
        paths = [chain.stage(f, NINE, (), Look()).edge_values for f in chain.frames[1:3]]
        texts = [text for values in paths for text in values.values() if text[0] == "δ"]
        assert texts[0].startswith(f"δₒ₁ · {first} = ") and texts[1].startswith(f"δₒ₂ · {second}")
        w = trace.weights_after[1] if bug == "mazur" else trace.weights_before[1].T
        assert texts[1].endswith(f"{trace.delta[1][0, 1] * w[1, 0]:.9f}".replace("-", "−"))


def test_forgetting_f_prime_leaves_the_chain_two_factors():
    chain = ChainPlan.of(LecturePlan(traced("no_fprime"), "neuron"), 7, (1, 0, 0))
    parts = [frame.part for frame in chain.frames]
    assert parts[1:3] == ["factor 1 of 2: ∂L/∂aₒ₁", "factor 2 of 2: ∂zₒ₁/∂w5"]


def test_the_frames_of_a_hidden_delta_name_the_bug():
    for granularity in ("layer", "neuron"):
        plan = LecturePlan(traced("mazur"), granularity)
        titles = [frame.title for frame in plan.frames if frame.phase == "backward"]
        assert any("δ" in t or "hidden" in t for t in titles)
        noted = [t for t in titles if "bug: output weights updated too early" in t]
        assert noted and all("layer 1" in t or "layer 2" in t for t in noted)
        assert not [f for f in plan.frames if f.phase == "forward" and "bug" in f.title]
