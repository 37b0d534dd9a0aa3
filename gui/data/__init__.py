"""Bringing data into a session: the CSV import dialog (`import_dialog`), its ways in
(`importer`) and its reads off the GUI thread (`reading`).

May import `gui.presentation` and `core`; in the GUI only `gui.explore` (the Data menu)
imports it.
"""
