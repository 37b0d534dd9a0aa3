"""Data for the networks: the built-in generators, input features and the train/test split
(`dataset`), inline and CSV tables (`tabular`), where a session may read data from
(`files`: its own folder and below, or the data the app ships in `resources/data`; regular
files only; a `.gz` file unpacked while it is read, within a limit), and the input plane the
maps are drawn on (`planes`).

May import `core.engine`; never `core.session`, `core.trace` or anything above them. (`files`
asks importlib.resources where the `resources` package lies: data, not code.)
"""
