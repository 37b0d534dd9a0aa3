"""Where the repository's files are, for tests at any depth of tests/."""

from pathlib import Path

from core.session.lessons import LESSONS_DIR, RESOURCES_DIR

ROOT = Path(__file__).resolve().parents[1]
# The shipped files, where the app itself finds them (importlib.resources).
LESSONS = LESSONS_DIR
DATA = RESOURCES_DIR / "data"
DOCS = ROOT / "docs"
