"""The session file: its rules (`schema`, with the path-aware `checks`), reading with limits
and atomic writing (`storage`), `Session` to and from JSON (`format`), the built-in lessons
and lecture mode's set-up.

Session files are untrusted input. May import `core.engine` and `core.data`; never
`core.trace`, the runner or the CLI.
"""
