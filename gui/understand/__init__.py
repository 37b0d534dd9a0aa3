"""Understanding a backward pass, beyond watching it (issue 14): the tutor composes the
computational graph (gui.graph), the exercises (gui.quiz), the gradient check and the bug
lab (gui.checks) and the lesson's own texts (gui.lessons), and fills their menu entries.
May import the core and those packages, the diagram and lecture mode."""
