"""Quiz me, New exercise and worksheets in the window.  May import the core, the diagram
and lecture mode."""
