"""Training > Check gradients (the table, the worst parameter lit on the diagram) and
Training > Bug lab.  May import the core, the diagram and lecture mode."""
