"""The docked settings: the panel (`panel`) with its Data, Network and Training sections,
their input fields, and the training toolbar (`toolbar`).

Controls emit `(key, value)` edits; they never touch the trainer. May import
`gui.presentation` and `core`; no other GUI package imports them but the window.
"""
