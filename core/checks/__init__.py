"""Checks of a network as it trains: the gradient check (backprop's gradient, or a bug
lab's, against central differences: `gradcheck`) and the layers that have stopped learning
(`health`).

May import `core.engine` only: the checks run wherever a network and its rows are, in the
training process or on the command line.
"""
