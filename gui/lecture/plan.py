"""Lecture mode's frames: a traced iteration cut into what the stage shows in turn.

A :class:`LecturePlan` cuts a traced iteration (:mod:`core.trace.iteration`) into the
frames the lecture shows one after another: a frame per step ("layer"
granularity) or a frame per neuron or output within each step ("neuron").
Each frame carries the step's own terms (never recomputed) and what the
diagram lights up; gui.lecture.controller plays the plan.  Layer numbers are the
app's (0 = input); an edge (l, i, j) is ``weights[l][i, j]``, from neuron j of layer l
to neuron i of layer l + 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.trace.buggy import note
from core.trace.expr import Symbol, Term
from core.trace.iteration import IterationTrace
from core.trace.notation import render_symbol
from core.trace.steps import step_title
from core.trace.terms import Step

GRANULARITIES = ("layer", "neuron")
DIRECTIONS = {"forward": "forward", "output_delta": "backward", "backward": "backward"}

Neuron = tuple[int, int]  # (layer, i)
Edge = tuple[int, int, int]  # (weights index l, i, j)


@dataclass(frozen=True)
class Frame:
    """One frame of the lecture: a step, or one neuron's (or output's) part of it.

    ``part`` names that part ("neuron h1", "δₕ₁", "into neuron 2", "total"); None for a
    whole step.  ``heading`` is the title of a part whose quantity lives in another layer
    than the step's (a hidden delta of the backward step of the layer after it).
    """

    step: Step
    step_index: int
    index: int
    terms: tuple[Term, ...]
    layer: int | None
    neurons: tuple[Neuron, ...]
    edges: tuple[Edge, ...]
    direction: str | None
    part: str | None = None
    sample: int = 0  # the batch row whose values the frame's per-sample terms hold
    heading: str | None = None

    @property
    def phase(self) -> str:
        """forward, loss, output_delta, backward or update."""
        return self.step.phase

    @property
    def title(self) -> str:
        """The title of the layer of what the frame computes, with the part:
        'Backward: layer 2 (output) · into o1', 'Backward: layer 1 (hidden) · δₕ₁'."""
        head = self.heading or self.step.title
        return head if self.part is None else f"{head} · {self.part}"


class LecturePlan:
    """The ordered frames of one traced iteration, for one sample of the batch."""

    def __init__(
        self,
        trace: IterationTrace,
        granularity: str = "layer",
        sample: int = 0,
        detail: tuple[int, ...] = (),
    ):
        if granularity not in GRANULARITIES:
            raise ValueError(f"granularity must be one of {GRANULARITIES}, not {granularity!r}")
        if not 0 <= sample < trace.n:
            raise ValueError(
                f"sample must index the batch's samples, 0 to {trace.n - 1}, not {sample}"
            )
        self.trace, self.granularity, self.sample = trace, granularity, sample
        self.detail = tuple(sorted(set(detail)))  # per layer, but these layers per neuron
        self.layers = trace.layers
        self._labels = self._neuron_labels()
        drafts = [draft for k, step in enumerate(trace.steps) for draft in self._cut(k, step)]
        self.frames: tuple[Frame, ...] = tuple(
            Frame(index=n, **draft) for n, draft in enumerate(drafts)
        )

    def __len__(self) -> int:
        return len(self.frames)

    def __getitem__(self, index: int) -> Frame:
        return self.frames[index]

    def _cut(self, k: int, step: Step) -> list[dict]:
        """The step's frames: one, or one per neuron (per neuron, or a detailed layer's)."""
        if self.granularity == "neuron" or step.layer in self.detail:
            return self._parts(k, step)
        return self._whole(k, step)

    def regrouped(self, granularity: str, detail: tuple[int, ...] | None = None) -> LecturePlan:
        """The same trace and sample cut at another granularity (and ``detail``)."""
        detail = self.detail if detail is None else detail
        return LecturePlan(self.trace, granularity, self.sample, detail)

    def first_of_step(self, step_index: int) -> int:
        """The index of the first frame of the trace's step ``step_index``."""
        return next(f.index for f in self.frames if f.step_index == step_index)

    # --- what a frame shows ---

    def _terms(self, step: Step, what: tuple[str, ...], **fixed) -> tuple[Term, ...]:
        """The terms of the step's blocks named in ``what``, with the plan's sample
        and the ``fixed`` dim values wherever a block has those dims."""
        fixed["sample"] = self.sample
        out: list[Term] = []
        for block in step.terms.blocks:
            if block.what in what:
                dims = dict(block.dims)
                out += step.terms.of(block, **{k: v for k, v in fixed.items() if k in dims})
        return tuple(out)

    def _neuron_labels(self) -> dict[Neuron, str | None]:
        """Each non-input neuron's lesson label ('h1'), or None."""
        labels = {}
        for step in self.trace.steps:
            if step.phase == "forward":
                for i in range(self.layers[step.layer]):
                    (z,) = step.select(sample=self.sample, i=i, kind="z")
                    labels[(step.layer, i)] = z.target.label
        return labels

    def _named(self, lead: str, neuron: Neuron) -> str:
        """How a frame about one neuron names it (the title names its layer): 'neuron h1',
        'neuron 2', 'output o1', 'into o1', 'into neuron 2', 'update of h1'; with the lead
        'δ', the neuron's delta by its full name: 'δₕ₁', or 'δ₂¹' (neuron 2 of layer 1)."""
        layer, i = neuron
        label = self._labels[neuron]
        if lead == "δ":
            return render_symbol(Symbol("delta", layer, i, label=label), "unicode")
        if lead in ("neuron", "output"):
            return f"{lead} {label or i + 1}"
        return f"{lead} {label or f'neuron {i + 1}'}"

    def _all(self, l: int) -> tuple[Neuron, ...]:
        return tuple((l, i) for i in range(self.layers[l]))

    def _into(self, l: int, i: int) -> tuple[Edge, ...]:
        """The edges into neuron i of layer l."""
        return tuple((l - 1, i, j) for j in range(self.layers[l - 1]))

    def _out_of(self, l: int, j: int) -> tuple[Edge, ...]:
        """The edges out of neuron j of layer l."""
        return tuple((l, i, j) for i in range(self.layers[l + 1]))

    def _draft(
        self, k: int, step: Step, terms, neurons=(), edges=(), part=None, heading=None
    ) -> dict:
        return dict(
            step=step,
            step_index=k,
            terms=terms,
            layer=step.layer,
            neurons=tuple(neurons),
            edges=tuple(edges),
            direction=DIRECTIONS.get(step.phase),
            part=part,
            sample=self.sample,
            heading=heading,
        )

    def _whole(self, k: int, step: Step) -> list[dict]:
        """One frame for the whole step."""
        l, L = step.layer, len(self.layers) - 1
        whats = tuple(block.what for block in step.terms.blocks)
        terms = self._terms(step, whats)
        if step.phase in ("loss", "output_delta", "result"):
            return [self._draft(k, step, terms, self._all(L))]
        neurons = self._all(l)
        if step.phase == "backward" and l > 1:
            neurons = self._all(l - 1) + neurons
        edges = [e for i in range(self.layers[l]) for e in self._into(l, i)]
        return [self._draft(k, step, terms, neurons, edges)]

    def _part(self, k: int, step: Step, what: tuple[str, ...], neuron: Neuron, edges, lead: str):
        """A frame of one neuron's terms in the step's blocks ``what``, highlighting it,
        its part named by ``lead`` (see _named)."""
        terms = self._terms(step, what, i=neuron[1])
        return self._draft(k, step, terms, [neuron], edges, self._named(lead, neuron))

    def _parts(self, k: int, step: Step) -> list[dict]:
        """A frame per neuron or output of the step (and the loss's total)."""
        l, L, part = step.layer, len(self.layers) - 1, self._part
        if step.phase == "forward":
            return [
                part(k, step, ("neurons",), (l, i), self._into(l, i), "neuron")
                for i in range(self.layers[l])
            ]
        if step.phase == "output_delta":
            return [part(k, step, ("deltas",), (L, i), (), "δ") for i in range(self.layers[L])]
        if step.phase == "loss":
            outputs = [
                part(k, step, ("loss terms",), (L, i), (), "output") for i in range(self.layers[L])
            ]
            total = self._terms(step, ("loss",))
            return [*outputs, self._draft(k, step, total, self._all(L), part="total")]
        if step.phase == "result":
            return self._whole(k, step)
        return self._layer_parts(k, step)

    def _layer_parts(self, k: int, step: Step) -> list[dict]:
        """Backward: each neuron's incoming gradients, then each hidden delta.
        Update: each neuron's incoming weights and bias."""
        l, part = step.layer, self._part
        if step.phase == "update":
            return [
                part(k, step, ("weights", "biases"), (l, i), self._into(l, i), "update of")
                for i in range(self.layers[l])
            ]
        grads = ("weight gradients", "bias gradients")
        drafts = [
            part(k, step, grads, (l, i), self._into(l, i), "into") for i in range(self.layers[l])
        ]
        L = len(self.layers) - 1
        for j in range(self.layers[l - 1]) if l > 1 else ():
            draft = part(k, step, ("deltas",), (l - 1, j), self._out_of(l - 1, j), "δ")
            draft["neurons"] += self._all(l)  # the deltas it gathers
            draft["heading"] = step_title("backward", l - 1, L) + note(  # δ of layer l-1
                self.trace.bug, "backward", l, self.trace.loss_name
            )
            drafts.append(draft)
        return drafts
