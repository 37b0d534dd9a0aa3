"""The training plots: loss, accuracy and gradient norms per layer (`training`), one plot
against epoch and its curves (`epoch`), the histories of the runs (`runs`), earlier runs drawn
faded (`faded`) and what they are called (`labels`), the learning-rate marks (`marks`), the
values an axis follows (`ranges`), the readout above the plots (`readout`) and the look of it
all (`style`).

May import `gui.presentation` and `core`; only the window imports it.
"""
