"""Exercises built on the traced iteration (issue 14): questions whose answers are the
trace's own numbers (`questions`), typed answers checked at the shown precision
(`answers`) with the usual slips named (`mistakes`), a quiz run and its score (`score`),
seeded new exercises (`exercise`) and worksheets with answer keys (`worksheet`).
NumPy only; may import core.engine, core.data, core.trace and core.session."""
