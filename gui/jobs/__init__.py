"""Work off the GUI thread: a function run on a pool thread, its answer handed back to the
GUI thread.  The lowest GUI package: it may import the core only, and every GUI package
may import it."""
