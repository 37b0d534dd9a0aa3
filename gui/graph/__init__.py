"""The computational graph of a neuron (and of a small whole network) for the traced
sample: a view, its animation and its exports.  May import the core, the diagram and
lecture mode."""
