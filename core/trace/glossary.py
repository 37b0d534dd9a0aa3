"""The app's notation, one entry per symbol, and the concepts its screens name.

Each :class:`Entry` says how a symbol is written (as :mod:`core.trace.notation` writes it),
what it is called and what it means in this app, with its convention where textbooks
differ (the losses' 1/2, 1/n and 1/(n k); δ = ∂L/∂z; w from neuron j to neuron i).
:mod:`core.trace.lookup` finds the entries of the symbols a formula uses, so that the
window offers the glossary for what it shows and a test checks that every symbol a traced
formula can hold has an entry.  Plain text only, no NumPy.
"""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One glossary entry: its ``key``, the ``symbol`` as the formulas write it, its
    ``name`` and what it means (``text``, plain sentences)."""

    key: str
    symbol: str
    name: str
    text: str


# "key | symbol | name", then the text, indented; "== part" lines group the entries
NOTATION = """
== the network

x | xⱼ | input
    The j-th input of a sample (a feature such as x₁ or sin x₁, or a table's column); the
    input layer is layer 0, so xⱼ is also aⱼ⁰.

y | yₖ | target
    The value output neuron k should give for the sample: 0 or 1 (one-hot) for a class, −1 or
    +1 under a tanh output, a number in regression.

z | zᵢˡ | pre-activation (weighted input)
    zᵢˡ = Σⱼ wᵢⱼˡ aⱼˡ⁻¹ + bᵢˡ: what neuron i of layer l adds up before its activation
    function.

a | aᵢˡ | activation (output of a neuron)
    aᵢˡ = f(zᵢˡ): what neuron i of layer l passes on to the next layer. The output layer's a
    are the network's outputs.

w | wᵢⱼˡ | weight
    The weight of the edge from neuron j of layer l−1 to neuron i of layer l (row i, column j
    of the matrix Wˡ). A lesson may name it (w5).

b | bᵢˡ | bias
    The bias of neuron i of layer l, added to its weighted sum.

indices | l, i, j, k | indices
    l counts layers (0 is the input, L the output); i is a neuron of layer l and j one of
    layer l−1; k runs over the neurons a sum visits. Indices are shown from 1. A lesson's
    labels (h1, o1) replace them.

sample | [s] | sample of the batch
    z₁²[3] is z₁² for the third sample of the mini-batch. Batch-level quantities (∂L/∂w) sum
    over the samples.

f | f | activation function
    The function a layer applies to each z: σ, tanh, ReLU, leaky ReLU, linear or softmax.
    Every neuron of a layer uses the same f.

f' | f′(z) | derivative of the activation
    How much a changes per change of z. Backpropagation multiplies every δ by it: σ′ = σ(1−σ)
    ≤ 1/4, tanh′ = 1 − tanh² ≤ 1, ReLU′ = 1 for z > 0 else 0, leaky ReLU′ = 1 for z > 0 else
    0.01, linear′ = 1.

sigmoid | σ | sigmoid
    σ(z) = 1/(1 + e^(−z)), between 0 and 1; σ′(z) = σ(z)(1 − σ(z)), at most 1/4 (at z = 0).

tanh | tanh | hyperbolic tangent
    tanh(z), between −1 and 1; tanh′(z) = 1 − tanh(z)², at most 1 (at z = 0).

relu | ReLU | rectified linear unit
    ReLU(z) = max(0, z); its derivative is 1 for z > 0 and 0 otherwise (also at 0), so a
    neuron with z < 0 passes no gradient.

leaky_relu | leaky ReLU | leaky ReLU
    z for z > 0, else 0.01 z; derivative 1 or 0.01 (0.01 at 0, as PyTorch), so some gradient
    always flows.

linear | linear | identity
    f(z) = z, f′(z) = 1: a regression output.

softmax | softmax | softmax
    aₖ = e^(zₖ) / Σₘ e^(zₘ): the outputs become probabilities that add up to 1. Only with
    categorical cross-entropy, where δ = (a − y)/n.

exp | e^z | exponential
    The exponential function; softmax's numerators.

log | log | natural logarithm
    The logarithm to base e, in the cross-entropy losses (log σ(z) is computed from z
    directly, exact for large |z|).

== the loss

L | L | loss
    The number training makes smaller: how far the outputs are from the targets on the batch
    (or the whole training set in the plots), as the chosen loss defines it (MSE, SSE, BCE or
    CCE). Lₖ (or L₁[s]) is one term of its sum: one output of one sample. The textbooks' E and
    ℓ are this app's L and its terms.

L' | L⁺ | loss after the update
    The same batch's loss through the updated network: what the step achieved.

ΔL | ΔL | change of the loss
    ΔL = L⁺ − L: negative when the step helped.

n | n | batch size
    The number of samples in the batch the step uses. MSE, BCE and CCE divide by it (SSE does
    not); δ carries that 1/n, so ∂L/∂w needs no more averaging.

k | k | outputs
    In 1/(n k): the number of output neurons. MSE and BCE take the mean over all n k outputs
    of the batch.

mse | MSE | mean squared error
    L = 1/(n k) Σ (y − a)², the mean over every output of every sample, with no 1/2: ∂L/∂a =
    2(a − y)/(n k).

sse | SSE | sum of squared errors
    L = 1/2 Σ (y − a)², the textbook E = 1/2 Σ (t − o)² summed over the batch, no 1/n: ∂L/∂a =
    a − y (Mazur's example).

bce | BCE | binary cross-entropy
    L = −1/(n k) Σ [y log a + (1 − y) log(1 − a)] with a = σ(z): with a sigmoid output, δ =
    ∂L/∂z = (a − y)/(n k).

cce | CCE | categorical cross-entropy
    L = −1/n Σₛ Σₖ yₖ log softmax(z)ₖ: with a softmax output, δ = ∂L/∂z = (a − y)/n, the
    predicted minus the one-hot target.

== the backward pass

delta | δᵢˡ | delta (error of a neuron)
    δᵢˡ = ∂L/∂zᵢˡ: how much the loss changes per change of the neuron's z. Output layer: δ =
    ∂L/∂a · f′(z). Hidden layer: δᵢˡ = f′(zᵢˡ) Σₖ wₖᵢˡ⁺¹ δₖˡ⁺¹, the deltas of the next layer
    sent back along the weights. It carries the loss's 1/n.

partial | ∂L/∂a, ∂a/∂z, ∂z/∂w | partial derivative
    ∂top/∂x: how much top changes per change of x, the others held. The chain rule multiplies
    them along a path: ∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w = δ · aⱼ.

dL/dw | ∂L/∂wᵢⱼˡ | gradient of a weight
    ∂L/∂wᵢⱼˡ = Σₛ δᵢˡ[s] aⱼˡ⁻¹[s]: how the batch's loss changes per change of the weight.
    Gradient descent moves the weight against it.

dL/db | ∂L/∂bᵢˡ | gradient of a bias
    ∂L/∂bᵢˡ = Σₛ δᵢˡ[s].

g | g | gradient with penalties
    g = ∂L/∂w + λ₂ w + λ₁ sign(w): the gradient the optimiser uses when L1 or L2
    regularisation is on (biases get no penalty).

gradient_norm | |dL/dW| | gradient norm per layer
    The plot "|dL/dW| per layer" draws one curve per weight matrix Wˡ: ‖∂L/∂Wˡ‖, the square
    root of the sum of the squares of its weights' gradients, at each epoch's last step, on a
    log scale. Curves close together: every layer learns at a similar pace. The first layers'
    curves orders of magnitude below the last one's: vanishing gradients. Curves climbing
    steeply, layer after layer: exploding gradients.

== the update

lr | η | learning rate (lr)
    How far a step moves: w⁺ = w − η ∂L/∂w for plain gradient descent (SGD).

new | w⁺ | after the update
    A weight, bias or optimiser state after the step.

velocity | v (momentum) | velocity
    Momentum's running sum: v⁺ = μ v + g, then w⁺ = w − η v⁺ (PyTorch's SGD with momentum).

mu | μ | momentum
    How much of the last velocity is kept (0.9 by default).

m | m | Adam's first moment
    m⁺ = β₁ m + (1 − β₁) g: a running mean of g.

v | v (Adam) | Adam's second moment
    v⁺ = β₂ v + (1 − β₂) g²: a running mean of g².

m_hat | m̂ | bias-corrected m
    m̂ = m⁺ / (1 − β₁ᵗ): m without its pull towards its start at 0.

v_hat | v̂ | bias-corrected v
    v̂ = v⁺ / (1 − β₂ᵗ); Adam steps w⁺ = w − η m̂ / (√v̂ + ε).

beta1 | β₁ | Adam's β₁
    How much of m is kept each step (0.9 by default).

beta2 | β₂ | Adam's β₂
    How much of v is kept each step (0.999 by default).

eps | ε | epsilon
    A tiny number (1e−8 by default) that keeps Adam from dividing by 0.

t | t | step count
    Adam's steps so far, this one included (for m̂ and v̂).

l1 | λ₁ | L1 rate
    The weight of the L1 penalty λ₁ Σ |w|; adds λ₁ sign(w) to g.

l2 | λ₂ | L2 rate
    The weight of the L2 penalty λ₂/2 Σ w²; adds λ₂ w to g.

sign | sign | sign
    sign(w) is −1, 0 or +1: the slope of |w|.

sum | Σ | sum
    Σₖ adds its term for every k (every neuron of a layer, every sample s of the batch).

== training

batch | batch | mini-batch
    The samples one step computes its gradient on; a full batch is the whole training set.
    Each step updates every weight once.

epoch | epoch | epoch
    One pass over the training set: as many steps as it has batches. The plots show one point
    per epoch.

accuracy | accuracy | accuracy
    The share of samples whose most likely class (the largest output, or an output past the
    middle of its range) is the target's.

== what can go wrong

vanishing | vanishing gradients | vanishing gradients
    Every layer the error passes back multiplies it by f′(z) and the weights; with σ′ ≤ 1/4 it
    shrinks each time, so the first layers get gradients orders of magnitude smaller than the
    last and hardly learn: their curves in the gradient-norm plot lie far below. ReLU or tanh
    layers, or fewer layers, help.

exploding | exploding gradients | exploding gradients
    The opposite: factors larger than 1 (large weights) make the gradients grow layer by layer
    until a step overshoots and the loss jumps or stops being a number. A smaller learning
    rate or smaller initial weights help.

saturation | saturation | saturation
    A tanh or sigmoid neuron whose |z| is large sits on the flat end of its curve, where f′(z)
    ≈ 0: its δ is about 0, so it and the layers before it stop learning. Smaller weights or
    learning rate help.

dead | dead ReLU | dead ReLU
    A ReLU neuron whose z is negative on every sample outputs 0 and has f′ = 0 there: its
    weights get no gradient, so it may never come back. Leaky ReLU, new weights or a smaller
    learning rate help.
"""


def _entries(notation: str) -> tuple[Entry, ...]:
    """The entries written in ``notation`` (see NOTATION)."""
    found: list[Entry] = []
    for block in notation.strip().split("\n\n"):
        head, *body = block.splitlines()
        if head.startswith("=="):
            continue
        key, symbol, name = (part.strip() for part in head.split(" | "))
        found.append(Entry(key, symbol, name, " ".join(line.strip() for line in body)))
    return tuple(found)


ENTRIES = _entries(NOTATION)
GLOSSARY = {entry.key: entry for entry in ENTRIES}


def search(query: str) -> list[Entry]:
    """The entries whose symbol, name, key or text holds every word of ``query`` (case
    ignored): first those whose symbol starts with it (case kept: δ is not Δ) or whose key it
    is, then those matching on symbol or name; every entry for an empty query."""
    words = query.casefold().split()
    if not words:
        return list(ENTRIES)

    def has(entry: Entry, fields: tuple[str, ...]) -> bool:
        text = " ".join(fields).casefold()
        return all(word in text for word in words)

    wanted = query.strip()
    exact = [e for e in ENTRIES if e.symbol.startswith(wanted) or wanted.casefold() == e.key]
    heads = [e for e in ENTRIES if e not in exact and has(e, (e.symbol, e.name, e.key))]
    rest = [e for e in ENTRIES if e not in exact + heads and has(e, (e.symbol, e.name, e.text))]
    return exact + heads + rest


def tip_html(*keys: str) -> str:
    """The entries ``keys`` as a tooltip (rich text of our own, escaped, word-wrapped by Qt)."""
    rows = []
    for key in keys:
        e = GLOSSARY[key]
        name, symbol, text = (html.escape(t, quote=False) for t in (e.name, e.symbol, e.text))
        shown = "" if symbol.casefold() == name.casefold() else f" ({symbol})"
        rows.append(f"<p><b>{name[:1].upper() + name[1:]}</b>{shown}: {text}</p>")
    return "".join(rows)
