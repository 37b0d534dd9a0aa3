"""Quiz me, New exercise and worksheets in the window: `coach` (the Quiz me action, the
questions of the frame on the stage), `veil` (what an open question keeps hidden), `panel`
(the question, the answer box, Check and Hint), `exercise` (File > New exercise),
`sheets` and `pdf` (File > Export > Worksheet; PDF through Qt's writer, also for
``main.py worksheet --format pdf``).  Hung from gui.understand.tutor.  May import the
core, the diagram and lecture mode."""
