"""Metric series of the simulated cloud, evaluated at any simulated time.

Servers carry their own load (``cpu_util``, ``memory_util``); a host's load is, unless the
scenario pins it, the sum of its servers' load, so moving a server moves load. Power draw
follows CPU load between the host's idle and max watts (zero while its bare-metal node is off)
and the outlet temperature follows power and airflow. The Prometheus and Gnocchi apps read
everything through ``MetricStore.host_value`` / ``server_value`` / ``*_series``.
"""

import csv
import functools
import math
import threading
import zlib

import numpy as np

HOST_METRICS = {"cpu_util", "memory_util", "power", "inlet_temp", "outlet_temp", "airflow"}
SERVER_METRICS = {"cpu_util", "memory_util"}
KNOWN_METRICS = HOST_METRICS | SERVER_METRICS

DEFAULT_STEP = 300.0
_BLOCK = 288

_SERVER_DEFAULTS = {
    "cpu_util": {"random_walk": {"mean": 20.0, "stddev": 4.0, "mean_spread": 0.6}},
    "memory_util": {"random_walk": {"mean": 60.0, "stddev": 2.0, "mean_spread": 0.2}},
}
_HOST_DEFAULTS = {
    "inlet_temp": {"constant": 22.0},
    "airflow": {"constant": 60.0},
}
# How much hotter the air leaves than it came in, per watt per unit of airflow.
_OUTLET_HEATING = 3.0


@functools.lru_cache(maxsize=64)
def read_trace_file(path: str) -> tuple[list[str], list[list[float]]]:
    """Row names and values of a trace CSV (``name,v0,v1,...``; ``#`` lines are comments)."""
    names, rows = [], []
    with open(path, newline="", encoding="utf-8") as handle:
        for record in csv.reader(handle):
            if not record or record[0].startswith("#"):
                continue
            try:
                rows.append([float(v) for v in record[1:]])
            except ValueError as err:
                raise ValueError(f"trace file '{path}' row '{record[0]}' is not numeric: "
                                 f"{err}") from err
            names.append(record[0])
    if not rows:
        raise ValueError(f"trace file '{path}' has no rows")
    return names, rows


def load_trace(path: str, row: str | int, key: str = "") -> list[float]:
    """One row of a trace CSV (``name,v0,v1,...``) by name, index, or ``"*"`` (picked by
    hashing ``key`` so every resource gets its own, stable row)."""
    names, rows = read_trace_file(path)
    if row == "*":
        return rows[zlib.crc32(key.encode()) % len(rows)]
    if isinstance(row, int):
        if not 0 <= row < len(rows):
            raise KeyError(row)
        return rows[row]
    try:
        return rows[names.index(row)]
    except ValueError as err:
        raise KeyError(row) from err


class Series:
    def value_at(self, elapsed: float) -> float:
        raise NotImplementedError

    def values_at(self, elapsed: np.ndarray) -> np.ndarray:
        """``value_at`` of each element, the same floats."""
        return np.array([self.value_at(float(e)) for e in elapsed], dtype=float)


# A range query reads thousands of series at the same times: their sample indices (and the
# largest), computed once (read-only arrays; a few entries, as few queries run at once).
_INDICES: dict[tuple[bytes, float], tuple[np.ndarray, int]] = {}


def _step_indices(elapsed: np.ndarray, step: float) -> tuple[np.ndarray, int]:
    key = (elapsed.tobytes(), step)
    found = _INDICES.get(key)
    if found is None:
        # int(max(0.0, elapsed) // step) of each element (numpy's float // is Python's).
        indices = (np.where(elapsed > 0.0, elapsed, 0.0) // step).astype(np.int64)
        indices.flags.writeable = False
        found = indices, int(indices.max()) if len(indices) else -1
        if len(_INDICES) >= 16:
            _INDICES.clear()
        _INDICES[key] = found
    return found


class Constant(Series):
    def __init__(self, value: float) -> None:
        self.value = float(value)

    def value_at(self, elapsed: float) -> float:
        return self.value

    def values_at(self, elapsed: np.ndarray) -> np.ndarray:
        return np.full(len(elapsed), self.value)


class Trace(Series):
    def __init__(self, values: list[float], step: float, scale: float) -> None:
        self.values = values
        self.step = step
        self.scale = scale

    def value_at(self, elapsed: float) -> float:
        index = int(max(0.0, elapsed) // self.step) % len(self.values)
        return self.values[index] * self.scale

    def values_at(self, elapsed: np.ndarray) -> np.ndarray:
        index = _step_indices(elapsed, self.step)[0] % len(self.values)
        return np.asarray(self.values, dtype=float)[index] * self.scale


class RandomWalk(Series):
    """Mean-reverting walk (AR(1)), generated in blocks as time advances; the same seed gives
    the same series whatever order the samples are asked in."""

    def __init__(self, mean: float, stddev: float, reversion: float, low: float, high: float,
                 step: float, seed: int) -> None:
        self.mean, self.stddev, self.keep = mean, stddev, 1.0 - reversion
        self.low, self.high, self.step = low, high, step
        self._rng = np.random.default_rng(seed)
        self._values = np.empty(0)
        self._last = mean
        self._lock = threading.Lock()

    def value_at(self, elapsed: float) -> float:
        index = int(max(0.0, elapsed) // self.step)
        if index >= len(self._values):
            with self._lock:
                while index >= len(self._values):
                    self._extend()
        return float(self._values[index])

    def values_at(self, elapsed: np.ndarray) -> np.ndarray:
        index, largest = _step_indices(elapsed, self.step)
        if largest >= len(self._values):
            with self._lock:
                while largest >= len(self._values):
                    self._extend()
        return self._values[index]

    def _extend(self) -> None:
        # Python floats and comparisons, not numpy scalars and min/max: the same values,
        # several times faster (a cloud of 15,000 servers extends 30,000 walks at once).
        mean, keep, low, high = self.mean, self.keep, self.low, self.high
        block = []
        last = self._last
        for noise in self._rng.normal(0.0, self.stddev, _BLOCK).tolist():
            last = mean + keep * (last - mean) + noise
            last = last if last > low else low  # max(low, last)
            last = last if last < high else high  # min(high, last)
            block.append(last)
        self._last = last
        self._values = np.concatenate([self._values, block])


def extend_walks(walks: list[RandomWalk], until: float) -> None:
    """Extend every walk to cover ``until`` seconds of scenario time, all at once: the values
    ``value_at`` would have generated (each walk draws its noise blocks in the same order), the
    recursion running over the walks side by side instead of one walk at a time."""
    groups: dict[tuple[int, int], list[RandomWalk]] = {}
    for walk in walks:
        index = int(max(0.0, until) // walk.step)
        if index >= len(walk._values):
            blocks = -(-(index + 1 - len(walk._values)) // _BLOCK)
            groups.setdefault((len(walk._values), blocks), []).append(walk)
    for (length, blocks), group in groups.items():
        noise = np.array([np.concatenate([walk._rng.normal(0.0, walk.stddev, _BLOCK)
                                          for _ in range(blocks)]) for walk in group])
        mean, keep, low, high = (np.array([getattr(walk, name) for walk in group])
                                 for name in ("mean", "keep", "low", "high"))
        last = np.array([walk._last for walk in group])
        values = np.empty_like(noise)
        for i in range(noise.shape[1]):
            last = mean + keep * (last - mean) + noise[:, i]
            last = np.where(last > low, last, low)
            last = np.where(last < high, last, high)
            values[:, i] = last
        for walk, row in zip(group, values, strict=True):
            with walk._lock:
                if len(walk._values) == length:  # not extended meanwhile by a reader
                    walk._values = np.concatenate([walk._values, row])
                    walk._last = float(row[-1])


def build_series(spec: dict, key: str, seed: int, resolve) -> Series:
    """``key`` identifies resource and metric; it seeds walks and picks ``"*"`` trace rows."""
    if "constant" in spec:
        return Constant(spec["constant"])
    if "trace" in spec:
        trace = spec["trace"]
        values = load_trace(resolve(trace["file"]), trace["row"], key)
        return Trace(values, float(trace.get("step", DEFAULT_STEP)), float(trace.get("scale",
                                                                                      1.0)))
    walk = spec["random_walk"]
    own_seed = zlib.crc32(f"{seed}:{walk.get('seed', 0)}:{key}".encode())
    mean = float(walk["mean"])
    spread = float(walk.get("mean_spread", 0.0))
    if spread:
        # Lognormal per-resource means give the long tail real clouds show.
        factor = np.random.default_rng(own_seed ^ 0x5EED).lognormal(-spread * spread / 2,
                                                                    spread)
        mean = mean * float(factor)
    low, high = float(walk.get("min", 0.0)), float(walk.get("max", 100.0))
    return RandomWalk(min(high, max(low, mean)), float(walk.get("stddev", 0.0)),
                      float(walk.get("reversion", 0.2)), low, high,
                      float(walk.get("step", DEFAULT_STEP)), own_seed)


class MetricStore:
    def __init__(self, state, section: dict, seed: int, resolve) -> None:
        self.state = state
        self.seed = seed
        self.resolve = resolve
        defaults = section.get("defaults", {})
        self._server_defaults = {**_SERVER_DEFAULTS, **defaults.get("server", {})}
        self._host_defaults = {**_HOST_DEFAULTS, **defaults.get("host", {})}
        self._server_specs = section.get("servers", {})
        self._host_specs = section.get("hosts", {})
        self._cache: dict[tuple, Series] = {}

    def _series(self, kind: str, name: str, key: str, metric: str) -> Series | None:
        cache_key = (kind, key, metric)
        found = self._cache.get(cache_key)
        if found is not None:
            return found
        specs = self._server_specs if kind == "server" else self._host_specs
        defaults = self._server_defaults if kind == "server" else self._host_defaults
        spec = specs.get(name, {}).get(metric) or defaults.get(metric)
        if spec is None:
            return None
        series = build_series(spec, f"{kind}:{key}:{metric}", self.seed, self.resolve)
        self._cache[cache_key] = series
        return series

    def prepare(self, until: float) -> None:
        """Generate every server's random walks up to the simulated time ``until`` now, in
        one go, rather than walk by walk as the first reads reach them: a read of 15,000
        servers' metrics would spend seconds generating them."""
        walks = []
        for server in self.state.servers.values():
            for metric in sorted(SERVER_METRICS):
                series = self._series("server", server.name, server.id, metric)
                if isinstance(series, RandomWalk):
                    walks.append(series)
        extend_walks(walks, self._elapsed(until))

    def server_value(self, server_id: str, metric: str, at: float | None = None) -> float:
        if metric not in SERVER_METRICS:
            raise KeyError(metric)
        server = self.state.servers[server_id]
        if server.status != "ACTIVE" or server.host is None:
            return 0.0
        series = self._series("server", server.name, server.id, metric)
        return series.value_at(self._elapsed(at))

    def host_value(self, host: str, metric: str, at: float | None = None) -> float:
        if metric not in HOST_METRICS:
            raise KeyError(metric)
        hypervisor = self.state.hypervisors_by_name[host]
        elapsed = self._elapsed(at)
        powered = self.state.host_powered_on(host)
        if metric in ("cpu_util", "memory_util", "power") and not powered:
            return 0.0
        series = self._series("host", host, host, metric)
        if series is not None:
            return series.value_at(elapsed)
        if metric == "cpu_util":
            demand = sum(self.server_value(sid, "cpu_util", at)
                         * self.state.flavors[self.state.servers[sid].flavor_id].vcpus
                         for sid in hypervisor.servers)
            return min(100.0, demand / hypervisor.vcpus)
        if metric == "memory_util":
            used = sum(self.server_value(sid, "memory_util", at)
                       * self.state.flavors[self.state.servers[sid].flavor_id].ram
                       for sid in hypervisor.servers)
            return min(100.0, used / hypervisor.memory_mb)
        if metric == "power":
            load = self.host_value(host, "cpu_util", at) / 100.0
            span = hypervisor.power_max_watts - hypervisor.power_idle_watts
            return hypervisor.power_idle_watts + span * load
        # outlet_temp: air heated by the host's power draw
        inlet = self.host_value(host, "inlet_temp", at)
        airflow = max(1.0, self.host_value(host, "airflow", at))
        return inlet + _OUTLET_HEATING * self.host_value(host, "power", at) / airflow

    def server_values(self, server_id: str, metric: str, ats: np.ndarray) -> np.ndarray:
        """``server_value`` at each of the simulated times ``ats``, at once."""
        if metric not in SERVER_METRICS:
            raise KeyError(metric)
        server = self.state.servers[server_id]
        if server.status != "ACTIVE" or server.host is None:
            return np.zeros(len(ats))
        series = self._series("server", server.name, server.id, metric)
        return series.values_at(ats - self.state.clock.start)

    def host_values(self, host: str, metric: str, ats: np.ndarray) -> np.ndarray:
        """``host_value`` at each of the simulated times ``ats``, at once: the same floats
        (sums over servers in the same order, Python's min and max where it takes them)."""
        if metric not in HOST_METRICS:
            raise KeyError(metric)
        hypervisor = self.state.hypervisors_by_name[host]
        if metric in ("cpu_util", "memory_util", "power") and not self.state.host_powered_on(
                host):
            return np.zeros(len(ats))
        series = self._series("host", host, host, metric)
        if series is not None:
            return series.values_at(ats - self.state.clock.start)
        if metric in ("cpu_util", "memory_util"):
            total = np.zeros(len(ats))
            for sid in hypervisor.servers:
                flavor = self.state.flavors[self.state.servers[sid].flavor_id]
                size = flavor.vcpus if metric == "cpu_util" else flavor.ram
                total = total + self.server_values(sid, metric, ats) * size
            share = total / (hypervisor.vcpus if metric == "cpu_util" else hypervisor.memory_mb)
            return np.where(share < 100.0, share, 100.0)
        if metric == "power":
            load = self.host_values(host, "cpu_util", ats) / 100.0
            span = hypervisor.power_max_watts - hypervisor.power_idle_watts
            return hypervisor.power_idle_watts + span * load
        inlet = self.host_values(host, "inlet_temp", ats)
        airflow = self.host_values(host, "airflow", ats)
        airflow = np.where(airflow > 1.0, airflow, 1.0)
        return inlet + _OUTLET_HEATING * self.host_values(host, "power", ats) / airflow

    def host_series(self, host: str, metric: str, start: float, stop: float,
                    step: float) -> list[tuple[float, float]]:
        count = max(0, math.floor((stop - start) / step) + 1)
        return [(start + i * step, self.host_value(host, metric, start + i * step))
                for i in range(count)]

    def server_series(self, server_id: str, metric: str, start: float, stop: float,
                      step: float) -> list[tuple[float, float]]:
        count = max(0, math.floor((stop - start) / step) + 1)
        return [(start + i * step, self.server_value(server_id, metric, start + i * step))
                for i in range(count)]

    def _elapsed(self, at: float | None) -> float:
        clock = self.state.clock
        return (clock.now() if at is None else at) - clock.start
