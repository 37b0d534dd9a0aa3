"""The chain rule of one weight, factor by factor, played as frames of its own.

∂L/∂w5 = ∂L/∂aₒ₁ · ∂aₒ₁/∂zₒ₁ · ∂zₒ₁/∂w5 = 0.74136507 × 0.186815602 × 0.593269992: the
product in symbols first, then each factor lit on its own element of the diagram (the
output and its target, the neuron's activation, the neuron the weight comes from), the
product filling in as it goes, and last the product's value.  For a hidden weight, the
first factor ∂L/∂aₕ₁ comes path by path (one frame per neuron of the next layer, δₖ · wₖᵢ),
then as their sum.  Every number is the core's (core.trace.chain).  The frames play in the
lecture's transport like any others; Esc goes back to the step, at the frame left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from html import escape

from core.trace.chain import ChainRule, Factor, chain_rule
from core.trace.expr import Term
from core.trace.formula import render_expr, render_numeric, render_symbolic
from core.trace.notation import Precision, format_number, render_symbol
from core.trace.terms import Step, Terms
from gui.diagram.stage import Stage
from gui.lecture.equation_panel import typeset
from gui.lecture.frames import Look, formulas_about, leaf_text
from gui.lecture.pins import weight_symbol
from gui.lecture.plan import Frame, LecturePlan


@dataclass(frozen=True)
class Beat:
    """One frame of the chain: what it is called, the terms its panel explains (beyond the
    product), how many of the product's factors are filled in, what it lights, and the
    path whose δₖ · wₖᵢ goes on its edge (None: the factor's value beside its neuron)."""

    part: str
    terms: tuple[Term, ...]
    filled: int
    lit: Factor
    path: Factor | None = None


def _card(term: Term, digits) -> str:
    return f"{render_symbol(term.target, 'unicode')} = {format_number(term.result, digits)}"


def _beats(chain: ChainRule, edge: tuple, named: Callable) -> list[Beat]:
    """The chain's frames: the product in symbols, each factor (a hidden weight's first
    one path by path, through each neuron ``named`` of the next layer, then summed), the
    product."""
    factors, m = chain.factors, len(chain.factors)
    every = Factor(
        chain.product,
        tuple(dict.fromkeys(n for f in (*factors, *chain.paths) for n in f.neurons)),
        tuple(dict.fromkeys(e for f in (*factors, *chain.paths) for e in f.edges)) or (edge,),
    )
    beats = [Beat("in symbols", (), 0, every)]
    for n, factor in enumerate(factors):
        what = render_symbol(replace(factor.term.target, sample=None), "unicode")
        if n == 0 and chain.paths:
            for k, path in enumerate(chain.paths):
                expansion = chain.expansions[k : k + 1]
                terms = (path.term, *(e.term for e in expansion))
                label = f"{what} through {named(path.neurons[0])}"
                beats.append(Beat(label, terms, 0, path, path))
        beats.append(Beat(f"factor {n + 1} of {m}: {what}", (factor.term,), n + 1, factor))
    beats.append(Beat("the product", (chain.total,) if chain.total else (), m, every))
    return beats


def _beside(factor: Factor, default: tuple[int, int]) -> tuple[int, int]:
    """The neuron a factor's value goes beside: the one it differentiates by (∂L/∂aₒ₁:
    o1; ∂aₒ₁/∂zₒ₁: o1), else the one it lights (∂zₒ₁/∂w5 = aₕ₁: h1), else ``default``."""
    wrt = factor.term.target.wrt
    if wrt is not None and wrt.name in ("a", "z") and wrt.j is None and wrt.layer is not None:
        return (wrt.layer, wrt.i)
    return factor.neurons[0] if factor.neurons else default


class ChainPlan(LecturePlan):
    """The frames of one weight's chain rule; ``back`` is the step's plan and frame to go
    back to."""

    def __init__(self, back: tuple[LecturePlan, int], chain: ChainRule, edge: tuple, name: str):
        plan, _ = back
        self.back, self.chain, self.edge, self.name = back, chain, edge, name
        self.trace, self.granularity, self.sample = plan.trace, plan.granularity, plan.sample
        self.detail, self.layers = plan.detail, plan.layers
        self._labels = plan._labels
        layer = edge[0] + 1
        step = Step("backward", layer, f"Chain rule for {name}", Terms(()))
        self.beats = _beats(chain, edge, lambda neuron: self._named("neuron", neuron))
        self.frames = tuple(
            Frame(step, 0, n, (chain.product, *beat.terms), layer, beat.lit.neurons,
                  beat.lit.edges, "backward", beat.part, plan.sample)
            for n, beat in enumerate(self.beats)
        )  # fmt: skip

    @classmethod
    def of(cls, plan: LecturePlan, index: int, weight: tuple[int, int, int]) -> ChainPlan:
        """The chain rule of ``weight`` (l, i, j; j = -1: the bias b_i of layer l + 1) in
        ``plan``'s trace and sample, going back to its frame ``index`` (or, from another
        chain, to where that one goes back)."""
        back = plan.back if isinstance(plan, ChainPlan) else (plan, index)
        l, i, j = weight
        chain = chain_rule(back[0].trace, l + 1, i, None if j < 0 else j, back[0].sample)
        name = render_symbol(chain.product.target, "unicode", samples=False)
        return cls(back, chain, (l, i, max(j, 0)), name)

    def regrouped(self, granularity: str, detail: tuple[int, ...] | None = None) -> LecturePlan:
        """Another granularity: the step's plan (the chain is left)."""
        return self.back[0].regrouped(granularity, detail)

    def stage(self, frame: Frame, digits: int | Precision, shown, look: Look) -> Stage:
        """The diagram of ``frame``: its factor lit, its value beside its neuron (a path's
        δₖ · wₖᵢ on its edge), the weight's edge asking for ∂L/∂w until the product says
        it; the traced sample's x and y, the pins and the path as in the step."""
        beat, chain, index = self.beats[frame.index], self.chain, frame.index
        nodes: dict = {}
        edges: dict = {self.edge: f"{render_symbol(chain.product.target, 'unicode')} = ?"}
        if index == len(self.beats) - 1:
            edges[self.edge] = _card(chain.product, digits)
        elif beat.path is not None:
            (l, k, i) = beat.path.edges[0]
            z = beat.path.term.expr.items[0].symbol.wrt  # ∂L/∂zₖ is δₖ
            delta = render_symbol(replace(z, name="delta", sample=None), "unicode")
            w = beat.path.term.expr.items[1].symbol  # the bug's w_ik or w_ki⁺ names itself
            w = w if w.name == "w" else weight_symbol(self.trace, l, k, i)
            weight = render_symbol(w, "unicode")
            text = f"{delta} · {weight} = {format_number(beat.path.term.result, digits)}"
            edges[(l, k, i)] = text
        elif index > 0:
            target = (self.edge[0] + 1, self.edge[1])
            nodes[_beside(beat.lit, target)] = _card(beat.lit.term, digits)
        for key, text in look.nodes.items():
            nodes.setdefault(key, text)
        for key, text in look.edges.items():
            edges.setdefault(key, text)
        inputs = {v.symbol.i: leaf_text(v, digits) for v in shown if v.symbol.name == "x"}
        targets = {v.symbol.i: leaf_text(v, digits) for v in shown if v.symbol.name == "y"}
        return Stage(frame.neurons, frame.edges, "backward", nodes, edges, inputs, targets,
                     path_neurons=look.path[0], path_edges=look.path[1])  # fmt: skip

    def show(self, view, frame: Frame, pictures, session, digits, look: Look) -> Stage:
        """Put ``frame`` on ``view`` (the network before the update, by its gradients)."""
        stage = self.stage(frame, digits, pictures.shown, look)
        names, labels = session.dataset.input_names, session.fitting_labels()
        view.set_frame(pictures["before"], names, labels, "gradients", stage)
        return stage

    def render(self, frame: Frame) -> Callable[[Precision], str]:
        """The panel's rich text of ``frame`` at a precision: the product with the factors
        so far in numbers (the rest in symbols, its value '?' until the last frame), then
        what the frame explains."""
        beat, chain = self.beats[frame.index], self.chain
        pending = {f.term.target for f in chain.factors[beat.filled :]}
        final = frame.index == len(self.beats) - 1

        def html(digits: Precision) -> str:
            rows = [f"<p style='margin-bottom:6px'><b>{escape(frame.title)}</b></p>"]
            product = chain.product
            numbers = render_numeric(product, digits, "html", result=final,
                                     veiled=lambda s: s in pending)  # fmt: skip
            rows.append(_formula(render_symbolic(product, "html"), numbers if frame.index else ""))
            for term in beat.terms:  # a path without its name (exact only for some losses)
                path = beat.path is not None and term is beat.path.term
                symbols = render_expr(term.expr, "html") if path else render_symbolic(term, "html")
                rows.append(_formula(symbols, render_numeric(term, digits, "html")))
            return "".join(rows)

        return html


def _formula(symbols: str, numbers: str) -> str:
    line = f"<p style='margin:2px 0 10px 0'>{typeset(symbols, factors=True)}"
    if numbers:
        numbers = typeset("= " + numbers, factors=True)
        line += f"<br><span style='color:#444'>&nbsp;&nbsp;{numbers}</span>"
    return line + "</p>"


def step_plan(plan: LecturePlan | None) -> LecturePlan | None:
    """The step's plan: ``plan``, or the one a chain rule goes back to (what is exported)."""
    return plan.back[0] if isinstance(plan, ChainPlan) else plan


def about_parameter(trace, weight: tuple[int, int, int], sample: int) -> tuple[str, list[Term]]:
    """A clicked weight (l, i, j) or bias (j = -1) in lecture mode: its chain rule for the
    traced ``sample`` (the product and each factor), then every formula of the step about
    it (gradient, optimiser state, update)."""
    l, i, j = weight
    title, terms = formulas_about(trace, l + 1, i, j, parameter=True)
    chain = chain_rule(trace, l + 1, i, None if j < 0 else j, sample)
    return title, [chain.product, *(f.term for f in chain.factors), *terms]
