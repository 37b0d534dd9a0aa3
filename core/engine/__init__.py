"""The maths of one network: activations, losses, initialisers, the readable network,
the flat parameters and the fast path, optimisers, penalties, the trainer, its history and
the bug lab's classic mistakes (`bugs`).

Imports nothing of the project outside `core.engine`: the engine runs, and is tested, on
its own. Everything else may import it.
"""
