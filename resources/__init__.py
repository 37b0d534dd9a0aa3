"""Backprop Lab's shipped files: lessons/ (the built-in lessons), data/ (sample CSV files) and
icons/. Not code: a package only so that the wheel carries these files and
importlib.resources finds them wherever the app is installed. Imports nothing.
"""
