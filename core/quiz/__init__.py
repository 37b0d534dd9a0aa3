"""Exercises built on the traced iteration (issue 14): questions whose answers are the
trace's own numbers, answers checked at the shown precision with the usual mistakes named,
hints, seeded new exercises and worksheets.  NumPy only; may import core.engine, core.data,
core.trace and core.session."""
