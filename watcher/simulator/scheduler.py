"""Runs callbacks at simulated times: operations finish, failures strike, notifications go."""

import heapq
import itertools
import logging
import threading
from collections.abc import Callable

from watcher.simulator.clock import Clock

LOG = logging.getLogger(__name__)


class Scheduler:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._events: list[tuple[float, int, Callable]] = []
        self._counter = itertools.count()
        self._cond = threading.Condition()
        # Held while an event runs, so run_due() from another thread returns only after
        # every due event (including one the background thread picked) has finished.
        self._run_lock = threading.Lock()
        self._stopped = False
        self._thread: threading.Thread | None = None
        clock.on_advance(self.wake)

    def after(self, seconds: float, callback: Callable) -> None:
        """Call ``callback()`` once ``seconds`` of simulated time have passed."""
        self.at(self.clock.now() + seconds, callback)

    def at(self, when: float, callback: Callable) -> None:
        with self._cond:
            heapq.heappush(self._events, (when, next(self._counter), callback))
            self._cond.notify()

    def wake(self) -> None:
        with self._cond:
            self._cond.notify()

    @property
    def pending(self) -> int:
        return len(self._events)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="simulator-scheduler",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def run_due(self) -> int:
        """Run every event whose time has come; returns how many ran."""
        ran = 0
        while True:
            with self._run_lock:
                with self._cond:
                    if not self._events or self._events[0][0] > self.clock.now():
                        return ran
                    _, _, callback = heapq.heappop(self._events)
                try:
                    callback()
                except Exception:  # one broken event must not stop the simulated world
                    LOG.exception("simulator event failed")
            ran += 1

    def next_due(self) -> float | None:
        with self._cond:
            return self._events[0][0] if self._events else None

    def _run(self) -> None:
        while True:
            self.run_due()
            with self._cond:
                if self._stopped:
                    return
                if self._events:
                    wait = self.clock.real_seconds(self._events[0][0] - self.clock.now())
                    self._cond.wait(timeout=min(max(wait, 0.001), 1.0))
                else:
                    self._cond.wait(timeout=1.0)
                if self._stopped:
                    return
