"""The node-link diagram: layout (pure), scene, batched edges, items, inline editors, hover
texts, mouse and keys (`interaction`), the stage lecture mode lights (`stage`, with its value
`cards`, `pulse` dots and pinned `path`), inputs drawn as a picture (`pictures`), and the
view that composes them (`view.NetworkView`).

May import `gui.presentation` and `core`; `gui.lecture` and `gui.exports` build on it.
"""
