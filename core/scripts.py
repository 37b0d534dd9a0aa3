"""A session taken away as code: one standalone Python script that imports only NumPy and
the standard library, builds this session's training data, starts from its exact weights,
and trains with its loss, optimiser, batches and shuffling, printing after each epoch the
data loss on the whole training set (the number `train --json` reports as train_loss).

The script reads like the classic two-layer XOR script: the data, the weights, one function
per formula, and the loop of forward pass, deltas layer by layer backwards, and the update.
It follows the engine's equations (core.engine): the same activations and loss terms, the
same batch order (``default_rng([seed, epoch])``), PyTorch's rules for the optimisers and
for L2 (added to the gradient), and the biases frozen if the session says so.  Given a file
name, it also saves the trained weights there (``np.savez``), for checking.
"""

from __future__ import annotations

import numpy as np

from core.session.format import Session

ACTIVATIONS = {
    "sigmoid": (
        "def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(np.minimum(-z, 700.0)))\n",
        "def sigmoid_grad(z):\n    s = sigmoid(z)\n    return s * (1.0 - s)\n",
    ),
    "tanh": ("tanh = np.tanh\n", "def tanh_grad(z):\n    return 1.0 - np.tanh(z) ** 2\n"),
    "relu": (
        "def relu(z):\n    return np.maximum(z, 0.0)\n",
        "def relu_grad(z):\n    return (z > 0).astype(float)\n",
    ),
    "leaky_relu": (
        "def leaky_relu(z):\n    return np.where(z > 0, z, 0.01 * z)\n",
        "def leaky_relu_grad(z):\n    return np.where(z > 0, 1.0, 0.01)\n",
    ),
    "linear": (
        "def linear(z):\n    return z.copy()\n",
        "def linear_grad(z):\n    return np.ones_like(z)\n",
    ),
    "softmax": (
        "def softmax(z):\n    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
        "    return e / e.sum(axis=-1, keepdims=True)\n",
        "",
    ),
}

LOSSES = {  # L of a batch, and dL/dz at the output (dL/da * f'(z), or direct from the logits)
    "mse": (
        "def loss(z, a, y):\n    return float(((y - a) ** 2 / y.size).sum())\n",
        "def output_delta(z, a, y):\n    return (a - y) * (2.0 / y.size) * {grad}(z)\n",
    ),
    "sse": (
        "def loss(z, a, y):\n    return float((0.5 * (y - a) ** 2).sum())\n",
        "def output_delta(z, a, y):\n    return (a - y) * {grad}(z)\n",
    ),
    "bce": (
        "def loss(z, a, y):  # from the logits: nothing cancels\n"
        "    terms = (1.0 - y) * np.maximum(z, 0.0) + y * np.maximum(-z, 0.0)\n"
        "    return float(((terms + np.log1p(np.exp(-np.abs(z)))) / y.size).sum())\n",
        "def output_delta(z, a, y):\n    return (a - y) * (1.0 / y.size)\n",
    ),
    "cce": (
        "def loss(z, a, y):\n    shifted = z - z.max(axis=1, keepdims=True)\n"
        "    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n"
        "    return float((-y * log_softmax / y.shape[0]).sum())\n",
        "def output_delta(z, a, y):\n    return (a - y) * (1.0 / y.shape[0])\n",
    ),
}

UPDATES = {  # w <- w - lr * (the optimiser's step), for each parameter p with gradient g
    "sgd": "            params[k] -= lr * g\n",
    "momentum": (
        "            state[k] = momentum * state[k] + g\n            params[k] -= lr * state[k]\n"
    ),
    "adam": (
        "            m[k] = beta1 * m[k] + (1.0 - beta1) * g\n"
        "            v[k] = beta2 * v[k] + g * g * (1.0 - beta2)\n"
        "            denom = np.sqrt(v[k]) / np.sqrt(1.0 - beta2**t) + eps\n"
        "            params[k] -= m[k] / denom * (lr / (1.0 - beta1**t))\n"
    ),
}


def numpy_script(session: Session, epochs: int | None = None) -> str:
    """The session as a standalone NumPy training script (``epochs``: the session's)."""
    net, cfg, ds = session.network, session.training, session.dataset
    epochs = cfg.epochs if epochs is None else epochs
    names = list(net.activation_names)
    out: list[str] = [_header(session, epochs), "import sys\n\nimport numpy as np\n\n"]
    out.append(f"# The training data: {len(ds.x_train)} rows, as the network sees them.\n")
    out.append(f"X = {_array(ds.x_train)}\nY = {_array(ds.y_train)}\n\n")
    out.append(
        "# The starting weights: W[l][i, j] joins neuron j of layer l to neuron i of layer l + 1.\n"
    )
    out.append("W = [\n" + "".join(f"    {_array(w)},\n" for w in net.weights) + "]\n")
    out.append("b = [\n" + "".join(f"    {_array(v)},\n" for v in net.biases) + "]\n\n")
    for name in dict.fromkeys(names):
        f, df = ACTIVATIONS[name]
        out.append(f + "\n" + (df + "\n" if df else ""))
    out.append(f"f = [{', '.join(names)}]\n")
    grads = ", ".join(f"{n}_grad" if ACTIVATIONS[n][1] else "None" for n in names)
    out.append(f"f_grad = [{grads}]\n\n")
    terms, delta = LOSSES[session.loss]
    out.append(terms + "\n" + delta.format(grad="f_grad[-1]") + "\n")
    out.append(_settings(session, epochs))
    out.append(_FORWARD + _TRAIN.format(update=UPDATES[cfg.optimizer]))
    return "".join(out)


def _header(session: Session, epochs: int) -> str:
    net, cfg = session.network, session.training
    shape = "-".join(str(n) for n in net.layers)
    return (
        f'"""{session.name or "A session"}, exported from Backprop Lab: a {shape} network '
        f"({', '.join(net.activation_names)}),\n{session.loss} loss, {cfg.optimizer} at "
        f"learning rate {cfg.learning_rate!r}, {epochs} epochs.\n\n"
        "    python train.py [weights.npz]\n\nprints the training loss L after every epoch "
        'and, given a file, saves the trained weights.\n"""\n\n'
    )


def _settings(session: Session, epochs: int) -> str:
    cfg, n = session.training, len(session.dataset.x_train)
    batch = min(cfg.batch_size or n, n)
    lines = [
        f"lr = {cfg.learning_rate!r}",
        f"epochs = {epochs}",
        f"batch_size = {batch}  # of {n} rows",
        f"shuffle, seed = {cfg.shuffle}, {cfg.seed}",
        f"l1, l2 = {cfg.l1!r}, {cfg.l2!r}  # on the weights only",
        f"train_biases = {cfg.train_biases}",
    ]
    if cfg.optimizer == "momentum":
        lines.append(f"momentum = {cfg.momentum!r}")
    if cfg.optimizer == "adam":
        lines.append(f"beta1, beta2, eps = {cfg.beta1!r}, {cfg.beta2!r}, {cfg.eps!r}")
    return "\n".join(lines) + "\n\n"


def _array(a: np.ndarray) -> str:
    """``a`` as a NumPy literal that reads back bit for bit (repr of every float)."""
    return f"np.array({np.asarray(a, dtype=float).tolist()!r})"


_FORWARD = '''
def forward(x):
    """z^l = a^(l-1) W^l.T + b^l and a^l = f(z^l), layer by layer."""
    zs, activations = [], [x]
    for l in range(len(W)):
        z = activations[-1] @ W[l].T + b[l]
        zs.append(z)
        activations.append(f[l](z))
    return zs, activations


def gradients(x, y):
    """dL/dW and dL/db by the chain rule, layer by layer backwards."""
    zs, activations = forward(x)
    delta = output_delta(zs[-1], activations[-1], y)
    dW, db = [None] * len(W), [None] * len(W)
    for l in reversed(range(len(W))):
        dW[l] = delta.T @ activations[l]
        db[l] = delta.sum(axis=0)
        if l:
            delta = (delta @ W[l]) * f_grad[l - 1](zs[l - 1])
    return dW, db

'''

_TRAIN = """
params = [p for pair in zip(W, b) for p in pair]  # W^1, b^1, W^2, b^2, ...
state = [np.zeros_like(p) for p in params]
m, v = [np.zeros_like(p) for p in params], [np.zeros_like(p) for p in params]
t = 0
n = len(X)
for epoch in range(1, epochs + 1):
    order = np.random.default_rng([seed, epoch]).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        rows = order[start : start + batch_size]
        dW, db = gradients(X[rows], Y[rows])
        t += 1
        for k, p in enumerate(params):
            if k % 2 == 0:  # a weight matrix: its penalties join the gradient
                g = (l2 * p + l1 * np.sign(p)) + dW[k // 2]
            else:  # a bias vector: no penalty; frozen, it never moves
                g = db[k // 2] if train_biases else np.zeros_like(p)
{update}    zs, activations = forward(X)
    print(f"epoch {{epoch}}: L = {{loss(zs[-1], activations[-1], Y)!r}}")

if len(sys.argv) > 1:
    np.savez(sys.argv[1], *params)
"""


TORCH_ACTIVATIONS = {
    "sigmoid": "torch.sigmoid",
    "tanh": "torch.tanh",
    "relu": "torch.relu",
    "leaky_relu": "torch.nn.functional.leaky_relu",  # slope 0.01, as the app's
    "linear": "identity",
    "softmax": "softmax",
}
TORCH_LOSSES = {  # L of a batch from the output's z and a, as the app defines it
    "mse": "torch.nn.functional.mse_loss(a, y)",
    "sse": "0.5 * ((a - y) ** 2).sum()",
    "bce": "torch.nn.functional.binary_cross_entropy_with_logits(z, y)",
    "cce": "torch.nn.functional.cross_entropy(z, y)",  # y one-hot: class probabilities
}
TORCH_OPTIMIZERS = {
    "sgd": "torch.optim.SGD(groups, lr=lr)",
    "momentum": "torch.optim.SGD(groups, lr=lr, momentum=momentum)",
    "adam": "torch.optim.Adam(groups, lr=lr, betas=(beta1, beta2), eps=eps)",
}


def pytorch_script(session: Session, epochs: int | None = None) -> str:
    """The session as a standalone PyTorch (float64) training script, autograd doing the
    backward pass; the starting point for real training on any hardware."""
    net, cfg, ds = session.network, session.training, session.dataset
    epochs = cfg.epochs if epochs is None else epochs
    names = [TORCH_ACTIVATIONS[n] for n in net.activation_names]
    out = [_header(session, epochs).replace("exported from", "in PyTorch, exported from")]
    out.append(
        "import sys\n\nimport numpy as np  # only for the app's batch order\nimport torch\n\n"
    )
    out.append("torch.set_default_dtype(torch.float64)\n\n")
    out.append(
        f"X = torch.tensor({ds.x_train.tolist()!r})\nY = torch.tensor({ds.y_train.tolist()!r})\n\n"
    )
    out.append("W = [\n" + "".join(f"    torch.tensor({w.tolist()!r}),\n" for w in net.weights))
    out.append("]\nb = [\n" + "".join(f"    torch.tensor({v.tolist()!r}),\n" for v in net.biases))
    out.append("]\n\n")
    out.append(_settings(session, epochs))
    out.append("\ndef identity(z):\n    return z\n\n\n")
    out.append("def softmax(z):\n    return torch.softmax(z, dim=1)\n\n\n")
    out.append(f"f = [{', '.join(names)}]\n")
    out.append(
        _TORCH_LOOP.format(
            loss=TORCH_LOSSES[session.loss], optimizer=TORCH_OPTIMIZERS[cfg.optimizer]
        )
    )
    return "".join(out)


_TORCH_LOOP = '''

def forward(x):
    """z^l = a^(l-1) W^l.T + b^l and a^l = f(z^l); returns the output's z and a."""
    a = x
    for l in range(len(W)):
        z = a @ W[l].T + b[l]
        a = f[l](z)
    return z, a


def loss(x, y):
    z, a = forward(x)
    return {loss}


for p in W:
    p.requires_grad_(True)
for p in b:
    p.requires_grad_(train_biases)
groups = [{{"params": W, "weight_decay": l2}}]  # L2 on the weights only, as the app
if train_biases:
    groups.append({{"params": b, "weight_decay": 0.0}})
optimizer = {optimizer}
n = len(X)
for epoch in range(1, epochs + 1):
    order = np.random.default_rng([seed, epoch]).permutation(n) if shuffle else np.arange(n)
    order = torch.from_numpy(order)
    for start in range(0, n, batch_size):
        rows = order[start : start + batch_size]
        optimizer.zero_grad()
        loss(X[rows], Y[rows]).backward()
        if l1:
            for w in W:
                w.grad += l1 * torch.sign(w.detach())
        optimizer.step()
    with torch.no_grad():
        print(f"epoch {{epoch}}: L = {{loss(X, Y).item()!r}}")

if len(sys.argv) > 1:
    params = [p.detach().numpy() for pair in zip(W, b) for p in pair]
    np.savez(sys.argv[1], *params)
'''
