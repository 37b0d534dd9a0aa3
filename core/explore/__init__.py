"""Exploring a run: the loss over a plane of its parameters (`landscape`, computed in
slices by `jobs`), what it predicts for every row (`predictions`) and how a split's classes
are confused (`confusion`), and the history scrubber's side of the training process
(`scrubber`: checkpoints, an earlier epoch shown, training resumed from it).

May import `core.engine`, `core.data` and `core.session`; never Qt.
"""
