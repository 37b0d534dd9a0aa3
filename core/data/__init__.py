"""Data for the networks: the built-in generators, input features and the train/test split
(`dataset`), inline and CSV tables (`tabular`), where a session may read data from
(`files`: its own folder and below, regular files only), and the input plane the maps are
drawn on (`planes`).

May import `core.engine`; never `core.session`, `core.trace` or anything above them.
"""
