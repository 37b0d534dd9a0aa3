"""Backprop Lab's engine: pure NumPy, no Qt (a test enforces it)."""
