"""The steps of a traced iteration: each a lazy, read-only sequence of terms.

A batch's trees can run to millions of nodes while a lecture looks at a
few, so each step's terms are built on first use: ``Step.terms`` is a
read-only sequence of :class:`Block` grids, and ``Step.select(i=0, j=1)``
picks one neuron or edge.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.trace.expr import Term


@dataclass(frozen=True)
class Block:
    """A grid of terms, one per combination of the dims' values, built by ``build(**values)``.

    ``dims`` are (name, values) pairs such as ("sample", range(n)), ("i", range(3)),
    ("kind", ("z", "a")); ``what`` says what the grid holds ("weights", "deltas").
    """

    what: str
    dims: tuple[tuple[str, Sequence], ...]
    build: Callable[..., Term]

    @property
    def size(self) -> int:
        """Number of terms."""
        return math.prod(len(values) for _, values in self.dims)

    def position(self, values: dict) -> int:
        """Row-major position of the term with these dim values."""
        k = 0
        for name, options in self.dims:
            k = k * len(options) + options.index(values[name])
        return k

    def values(self, k: int) -> dict:
        """The dim values of the term at position k."""
        out = {}
        for name, options in reversed(self.dims):
            k, r = divmod(k, len(options))
            out[name] = options[r]
        return out


class Terms(Sequence[Term]):
    """The terms of one step, block after block, each built (and kept) on first use."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = tuple(blocks)
        self._starts = [0, *itertools.accumulate(b.size for b in self.blocks)]
        self._built: dict[int, Term] = {}

    def __len__(self) -> int:
        return self._starts[-1]

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[n] for n in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(f"a step with {len(self)} terms has no term {k}")
        if k not in self._built:
            b = bisect.bisect_right(self._starts, k) - 1
            block = self.blocks[b]
            self._built[k] = block.build(**block.values(k - self._starts[b]))
        return self._built[k]

    def select(self, **fixed) -> list[Term]:
        """The terms whose dims have these values, e.g. select(sample=0, i=1) or
        select(kind="new"); blocks without one of the named dims are left out."""
        return [term for block in self.blocks for term in self.of(block, **fixed)]

    def of(self, block: Block, **fixed) -> list[Term]:
        """The terms of one of this step's blocks with these dim values."""
        start = self._starts[self.blocks.index(block)]
        dims = dict(block.dims)
        if any(key not in dims or value not in dims[key] for key, value in fixed.items()):
            return []
        free = [(name, options) for name, options in block.dims if name not in fixed]
        out = []
        for combo in itertools.product(*(options for _, options in free)):
            values = {**fixed, **{name: v for (name, _), v in zip(free, combo)}}
            out.append(self[start + block.position(values)])
        return out


@dataclass(frozen=True)
class Step:
    """One step of the lecture: a phase, the app's layer number (None for the loss),
    a title and its terms."""

    phase: str
    layer: int | None
    title: str
    terms: Terms

    def select(self, **fixed) -> list[Term]:
        """This step's terms with the given dim values (sample, i, j, kind)."""
        return self.terms.select(**fixed)
