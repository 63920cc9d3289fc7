"""Cumulative counters over the scenario's metrics, sampled on a fixed grid.

Exporters report CPU time as an ever-growing counter (node_exporter's
``node_cpu_seconds_total``, Ceilometer's ``cpu`` in nanoseconds); consumers take its rate to
get a load back. A counter here is the running sum of a per-second rate sampled at grid
points ``k * interval``: before the scenario starts the rate is the one at its start (the
metric series clamp there too) and the counter began at zero ``UPTIME`` earlier. The prefix
sums are cached per signal and rebuilt when the signal's ``version`` (the placement and
states it depends on) changes, so a migration shows up in later answers.
"""

import math
import threading
from collections.abc import Callable

# Hosts and servers have been up this long when the scenario starts.
UPTIME = 30 * 86400.0


class _Prefix:
    __slots__ = ("version", "rate0", "sums")

    def __init__(self, version: tuple, rate0: float) -> None:
        self.version = version
        self.rate0 = rate0
        self.sums = [0.0]  # sums[m]: the rates of the m grid steps after the start, summed


class Counters:
    def __init__(self, clock, interval: float) -> None:
        self.clock = clock
        self.interval = interval
        self._lock = threading.Lock()
        self._prefix: dict[tuple, _Prefix] = {}

    def first_index(self) -> int:
        """The first grid point that has a sample."""
        return math.ceil((self.clock.start - UPTIME) / self.interval)

    def values(self, key: tuple, rate: Callable[[float], float], version: tuple, first: int,
               last: int) -> list[float]:
        """Counter values at grid points ``first..last`` of the signal ``key``."""
        step = self.interval
        k0 = math.floor(self.clock.start / step)
        with self._lock:
            prefix = self._prefix.get(key)
            if prefix is None or prefix.version != version:
                prefix = _Prefix(version, max(0.0, rate(k0 * step)))
                self._prefix[key] = prefix
            sums = prefix.sums
            while len(sums) <= last - k0:
                sums.append(sums[-1] + max(0.0, rate((k0 + len(sums) - 1) * step)))
            base = prefix.rate0 * UPTIME
            return [base + step * (sums[k - k0] if k >= k0 else (k - k0) * prefix.rate0)
                    for k in range(first, last + 1)]
