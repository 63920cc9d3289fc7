"""Per-audit store of metric values, so one audit never asks a backend twice for the same value.

Keys follow upstream's ``MetricCacheKey``: ``"<resource_id>:<meter>:<aggregate>:<period>:
<granularity>"``. Values may be ``None`` (the backend had no data): that answer is kept too,
so a host without samples does not cost a query per strategy step. Values a strategy puts in
with ``simulated=True`` (what it expects after its own moves) are tracked apart and can be
dropped with ``clear_simulated`` while the fetched ones stay.
"""

from __future__ import annotations

import threading

from oslo_log import log

LOG = log.getLogger(__name__)


class MetricCacheKey:
    @staticmethod
    def generate(resource_id: object, meter_name: str, aggregate: str, period: object,
                 granularity: object) -> str:
        return ":".join(str(part) for part in (resource_id, meter_name, aggregate, period,
                                               granularity))


class MetricDataCache:
    def __init__(self) -> None:
        self._cache: dict[str, float | None] = {}
        self._simulated: set[str] = set()
        # Bulk fetches may fill the cache from a worker thread while a strategy reads it.
        self._lock = threading.Lock()

    def get(self, resource_id: object, meter_name: str, aggregate: str = "mean",
            period: object = 300, granularity: object = 300) -> float | None:
        key = MetricCacheKey.generate(resource_id, meter_name, aggregate, period, granularity)
        with self._lock:
            return self._cache.get(key)

    def has(self, resource_id: object, meter_name: str, aggregate: str = "mean",
            period: object = 300, granularity: object = 300) -> bool:
        """Whether a value (possibly ``None``) is stored; ``get`` alone cannot tell."""
        return MetricCacheKey.generate(resource_id, meter_name, aggregate, period,
                                       granularity) in self

    def put(self, resource_id: object, meter_name: str, value: float | None,
            aggregate: str = "mean", period: object = 300, granularity: object = 300,
            simulated: bool = False) -> None:
        key = MetricCacheKey.generate(resource_id, meter_name, aggregate, period, granularity)
        with self._lock:
            self._cache[key] = value
            if simulated:
                self._simulated.add(key)
            else:
                self._simulated.discard(key)

    def put_many(self, values: dict[str, float | None], meter_name: str, aggregate: str,
                 period: object, granularity: object) -> None:
        """Store one bulk answer (``{resource_id: value}``) under one lock."""
        with self._lock:
            for resource_id, value in values.items():
                key = MetricCacheKey.generate(resource_id, meter_name, aggregate, period,
                                              granularity)
                self._cache[key] = value
                self._simulated.discard(key)
        LOG.debug("metric cache: %d values of %s (%s, period %s, granularity %s)",
                  len(values), meter_name, aggregate, period, granularity)

    def is_simulated(self, resource_id: object, meter_name: str, aggregate: str = "mean",
                     period: object = 300, granularity: object = 300) -> bool:
        key = MetricCacheKey.generate(resource_id, meter_name, aggregate, period, granularity)
        with self._lock:
            return key in self._simulated

    def remove(self, resource_id: object, meter_name: str | None = None) -> None:
        """Forget every value of a resource, or only those of one meter."""
        prefix = f"{resource_id}:" if meter_name is None else f"{resource_id}:{meter_name}:"
        with self._lock:
            for key in [k for k in self._cache if k.startswith(prefix)]:
                del self._cache[key]
                self._simulated.discard(key)

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._simulated.clear()

    def clear_simulated(self) -> None:
        with self._lock:
            for key in self._simulated:
                self._cache.pop(key, None)
            self._simulated.clear()

    def __len__(self) -> int:
        return len(self._cache)

    def __contains__(self, key: str) -> bool:
        with self._lock:
            return key in self._cache
