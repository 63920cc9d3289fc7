"""Simulated time: one clock shared by the state, the API apps and the action scheduler.

Simulated time runs ``speed`` times faster than wall time and can also be pushed forward by
hand (``advance``), which is what tests use to finish a migration without waiting.
"""

import datetime
import functools
import threading
import time

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


class Clock:
    def __init__(self, start: float | None = None, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("clock speed must be positive")
        self.speed = float(speed)
        self._start = time.time() if start is None else float(start)
        self._real0 = time.monotonic()
        self._offset = 0.0
        self._lock = threading.Lock()
        self._listeners: list = []

    @property
    def start(self) -> float:
        return self._start

    def now(self) -> float:
        """Simulated seconds since the Unix epoch."""
        elapsed = (time.monotonic() - self._real0) * self.speed
        return self._start + elapsed + self._offset

    def elapsed(self) -> float:
        """Simulated seconds since the scenario started."""
        return self.now() - self._start

    def real_seconds(self, simulated: float) -> float:
        """Wall seconds it takes for ``simulated`` seconds to pass."""
        return max(0.0, simulated / self.speed)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        with self._lock:
            self._offset += seconds
            listeners = list(self._listeners)
        for listener in listeners:
            listener()

    def on_advance(self, listener) -> None:
        """Call ``listener()`` after every manual advance (the scheduler wakes up on it)."""
        with self._lock:
            self._listeners.append(listener)

    def datetime(self, at: float | None = None) -> datetime.datetime:
        return EPOCH + datetime.timedelta(seconds=self.now() if at is None else at)

    def isotime(self, at: float | None = None, micro: bool = False) -> str:
        """Nova/Cinder style timestamp, e.g. ``2026-01-01T00:00:00Z``."""
        at = self.now() if at is None else at
        whole = int(at // 1)
        if micro:
            return f"{_second(whole)}.{int((at - whole) * 1e6):06d}"
        return _second(whole) + "Z"


@functools.lru_cache(maxsize=1 << 18)
def _second(whole: int) -> str:
    # Rendering 100k server documents formats ~300k timestamps; most repeat.
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))


def parse_time(value: str | float | int | datetime.datetime) -> float:
    """Scenario start times may be epoch seconds, a datetime or an ISO 8601 string."""
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.timestamp()
