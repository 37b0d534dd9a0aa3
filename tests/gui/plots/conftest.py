from tests.gui.plots.histories import clock, plots  # noqa: F401 (fixtures: pytest finds them by name)
