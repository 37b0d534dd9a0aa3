"""Exploring a trained network: the loss over a plane of its parameters (`landscape`) and
what it predicts for every row (`predictions`), a classifier's confusion matrix and wrong rows
(`confusion`), computed for the training process and
the headless commands.

May import `core.engine`, `core.data` and `core.session`; never Qt.
"""
