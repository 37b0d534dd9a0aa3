"""Bringing data into a session: the CSV import dialog.

May import `gui.presentation` and `core`; nothing in the GUI imports it but the window and
its menus.
"""
