"""The training plots: loss, accuracy and gradient norms per layer (`training`), each
curve created once (`epoch`), and the histories of the current and earlier runs (`runs`).

May import `gui.presentation` and `core`; only the window imports it.
"""
