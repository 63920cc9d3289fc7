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

import numpy as np

# Hosts and servers have been up this long when the scenario starts.
UPTIME = 30 * 86400.0


class _Prefix:
    __slots__ = ("version", "rate0", "sums")

    def __init__(self, version: tuple, rate0: float) -> None:
        self.version = version
        self.rate0 = rate0
        # sums[m]: the rates of the m grid steps after the start, summed in order
        self.sums = np.zeros(1)


def _non_negative(values: np.ndarray) -> np.ndarray:
    # max(0.0, v) as Python computes it: 0.0 unless v is above it (NaN gives 0.0).
    return np.where(values > 0.0, values, 0.0)


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
        def rates(ats: np.ndarray) -> np.ndarray:
            return np.array([rate(float(at)) for at in ats], dtype=float)
        return self.array_values(key, rates, version, first, last).tolist()

    def array_values(self, key: tuple, rates: Callable[[np.ndarray], np.ndarray],
                     version: tuple, first: int, last: int) -> np.ndarray:
        """:meth:`values` with the rate taken at many times at once (``rates(times)``)."""
        step = self.interval
        k0 = math.floor(self.clock.start / step)
        with self._lock:
            prefix = self._prefix.get(key)
            if prefix is None or prefix.version != version:
                prefix = _Prefix(version, math.nan)
                self._prefix[key] = prefix
            have = len(prefix.sums)
            if have <= last - k0:
                # sums[m] = sums[m-1] + rate at grid point k0 + m - 1, added one at a time
                # (add.accumulate is sequential: the same sums as a Python loop).
                ats = (k0 + np.arange(have - 1, last - k0, dtype=float)) * step
                added = _non_negative(rates(ats))
                if have == 1:
                    prefix.rate0 = float(added[0])  # the rate at the start, k0
                tail = np.add.accumulate(np.concatenate([prefix.sums[-1:], added]))
                prefix.sums = np.concatenate([prefix.sums, tail[1:]])
            if math.isnan(prefix.rate0):  # asked only for times before the start
                prefix.rate0 = float(_non_negative(rates(np.array([k0 * step])))[0])
            sums, rate0 = prefix.sums, prefix.rate0
        base = rate0 * UPTIME
        offsets = np.arange(first - k0, last - k0 + 1)
        inside = sums[np.clip(offsets, 0, None)]
        return base + step * np.where(offsets >= 0, inside, offsets * rate0)
