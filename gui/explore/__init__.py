"""The docks for exploring a run: the predictions table, the loss landscape, composed by
`explorer.Explorer`, which the window feeds every snapshot and session.

May import `gui.diagram`, `gui.output`, `gui.plots`, `gui.data`, `gui.presentation` and
`core`; nothing in the GUI imports it but the window.
"""
