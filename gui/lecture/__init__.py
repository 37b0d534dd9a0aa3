"""Lecture mode: the plan of frames cut from a traced step (`plan`) and its player
(`controller`), what each frame shows on the diagram (`frames`), how far it is revealed
(`reveal`), what stays pinned (`pins`, chosen through `showing`), a weight's chain rule
factor by factor (`chain`), the transport bar, the equation panel, what is traced
(`trace_chooser`), the studio that steps aside (`studio`), and `mode.LectureMode`, which
runs it all.

May import `gui.diagram`, `gui.presentation` and `core`; `gui.exports` draws its frames.
"""
