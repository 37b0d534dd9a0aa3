"""The output view: the map of the network's output over the input plane (or the fitted
curve), the data points, and their legends.

May import `gui.presentation` and `core`; lecture mode uses its plot (to ring a traced point).
"""
