"""A clock the tests move by hand, for code that takes a ``clock`` (seconds, monotonic)."""


class FakeClock:
    """Seconds that pass only when the test says (``advance``), so no test depends on how
    fast the machine runs it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
