"""One training iteration traced for teaching: every z, a, delta, dW, db and update
(`iteration`), its ordered steps and terms (`steps`, `terms`) as expression trees
(`expr`), written as notation and formulas (`notation`, `formula`) or as tables; one
weight's chain rule factor by factor (`chain`); one neuron's scalar computational graph
(`graph`) and its backward pass in words (`graph_lines`).

The readable twin of the engine's fast path; the tests hold the two together. May import
`core.engine` only; never `core.session` or `core.data`: whoever traces passes the rows.
"""
