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
        return self.many_values([(key, rates, version)], first, last)[0]

    def many_values(self, signals: list[tuple[tuple, Callable[[np.ndarray], np.ndarray], tuple]],
                    first: int, last: int) -> np.ndarray:
        """:meth:`array_values` of each ``(key, rates, version)``, as the rows of one matrix:
        the prefix sums of the signals that need the same extension grown together (a range
        query over 15,000 servers' counters)."""
        step = self.interval
        k0 = math.floor(self.clock.start / step)
        with self._lock:
            prefixes = []
            growing: dict[int, list[int]] = {}
            for number, (key, _, version) in enumerate(signals):
                prefix = self._prefix.get(key)
                if prefix is None or prefix.version != version:
                    prefix = _Prefix(version, math.nan)
                    self._prefix[key] = prefix
                prefixes.append(prefix)
                if len(prefix.sums) <= last - k0:
                    growing.setdefault(len(prefix.sums), []).append(number)
            for have, numbers in growing.items():
                # sums[m] = sums[m-1] + rate at grid point k0 + m - 1, added one at a time
                # (add.accumulate is sequential along each row: the sums of a Python loop).
                ats = (k0 + np.arange(have - 1, last - k0, dtype=float)) * step
                added = _non_negative(np.array([signals[n][1](ats) for n in numbers]))
                tails = np.add.accumulate(np.concatenate(
                    [np.array([[prefixes[n].sums[-1]] for n in numbers]), added], axis=1),
                    axis=1)
                for row, number in enumerate(numbers):
                    prefix = prefixes[number]
                    if have == 1:
                        prefix.rate0 = float(added[row, 0])  # the rate at the start, k0
                    prefix.sums = np.concatenate([prefix.sums, tails[row, 1:]])
            for number, prefix in enumerate(prefixes):
                if math.isnan(prefix.rate0):  # asked only for times before the start
                    prefix.rate0 = float(_non_negative(signals[number][1](
                        np.array([k0 * step])))[0])
            offsets = np.arange(first - k0, last - k0 + 1)
            inside = np.maximum(offsets, 0)
            sums = np.array([prefix.sums[inside] for prefix in prefixes]).reshape(
                len(prefixes), len(offsets))
            rate0 = np.array([prefix.rate0 for prefix in prefixes])[:, None]
        return rate0 * UPTIME + step * np.where(offsets >= 0, sums, offsets * rate0)
