"""Where the repository's files are, for tests at any depth of tests/."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "resources" / "lessons"
DATA = ROOT / "resources" / "data"
DOCS = ROOT / "docs"
