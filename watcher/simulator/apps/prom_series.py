"""The simulated cloud seen as Prometheus series: what node_exporter on each hypervisor and
Ceilometer's Prometheus exporter would have scraped.

Hosts carry the labels Watcher's Prometheus datasource queries by (``fqdn`` = hypervisor
name, ``instance`` = ``ip:9100``); servers carry ``resource`` = server uuid. Samples sit on a
scrape grid (multiples of ``SCRAPE_INTERVAL`` in Unix time), from ``UPTIME`` before the
scenario starts up to the simulated now. Counters (``node_cpu_seconds_total``,
``ceilometer_cpu``) come from ``cumulative``, so ``rate()`` over them gives back the
scenario's CPU usage.
"""

import math
import threading
from collections.abc import Callable

import numpy as np

from watcher.simulator.apps.cumulative import Counters
from watcher.simulator.apps.promql import Matcher

SCRAPE_INTERVAL = 60.0
NODE_EXPORTER_PORT = 9100
CEILOMETER_TARGET = "ceilometer-exporter:9099"
MIB = 1024 * 1024
# Split of busy CPU time between node_exporter's user and system modes; Watcher only reads
# idle, the split keeps the modes of one CPU adding up to one second per second.
_MODE_SHARE = {"user": 0.85, "system": 0.15}
_INDEXED_LABELS = ("mode", "fqdn", "resource", "instance")


class _Signal:
    """One value over time, sampled on the grid; several series can share it (every CPU of a
    host runs the same idle counter). ``fn`` gives its values (for a counter, its rate) at an
    array of times."""

    __slots__ = ("key", "fn", "version", "counter")

    def __init__(self, key: tuple, fn: Callable[[np.ndarray], np.ndarray],
                 version: Callable[[], tuple], counter: bool) -> None:
        self.key, self.fn, self.version, self.counter = key, fn, version, counter


class PrometheusStore:
    def __init__(self, state, interval: float = SCRAPE_INTERVAL) -> None:
        self.state = state
        self.interval = interval
        self._lock = threading.Lock()
        self.counters = Counters(state.clock, interval)
        self._catalog_signature: tuple | None = None
        self._series: list[tuple[dict, _Signal]] = []
        self._by_name: dict[str, list[tuple[dict, _Signal]]] = {}
        self._by_label: dict[tuple, list[tuple[dict, _Signal]]] = {}

    # -- catalog -------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Build the series catalog now rather than at the first query."""
        self._catalog()

    def _catalog(self) -> list[tuple[dict, _Signal]]:
        state = self.state
        signature = (len(state.hypervisors), hash(tuple(state.servers)))
        with self._lock:
            if signature != self._catalog_signature:
                self._series = list(self._build())
                self._by_name, self._by_label = {}, {}
                for entry in self._series:
                    labels = entry[0]
                    self._by_name.setdefault(labels["__name__"], []).append(entry)
                    for label in _INDEXED_LABELS:
                        if label in labels:
                            key = (labels["__name__"], label, labels[label])
                            self._by_label.setdefault(key, []).append(entry)
                self._catalog_signature = signature
            return self._series

    def _build(self):
        state = self.state
        metrics = state.metrics
        for hypervisor in state.hypervisor_order:
            host = hypervisor.name
            common = {"fqdn": host, "instance": f"{hypervisor.host_ip}:{NODE_EXPORTER_PORT}",
                      "job": "node"}

            def version(host=host) -> tuple:
                # Under the state lock: a migration may be changing the host's server set.
                with state.lock:
                    hyp = state.hypervisors_by_name[host]
                    revs = sum(state.servers[sid].rev for sid in hyp.servers)
                    return hyp.rev, state.host_powered_on(host), revs

            def busy(ats: np.ndarray, host=host) -> np.ndarray:
                return metrics.host_values(host, "cpu_util", ats) / 100.0

            modes = {"idle": _Signal(("idle", host), lambda ats, b=busy: 1.0 - b(ats),
                                     version, True)}
            for mode, share in _MODE_SHARE.items():
                modes[mode] = _Signal((mode, host), lambda ats, b=busy, s=share: s * b(ats),
                                      version, True)
            for cpu in range(hypervisor.vcpus):
                for mode, signal in modes.items():
                    yield {"__name__": "node_cpu_seconds_total", "cpu": str(cpu), "mode": mode,
                           **common}, signal
            total = hypervisor.memory_mb * MIB
            yield {"__name__": "node_memory_MemTotal_bytes", **common}, _Signal(
                ("memtotal", host), lambda ats, total=total: np.full(len(ats), float(total)),
                version, False)
            yield {"__name__": "node_memory_MemAvailable_bytes", **common}, _Signal(
                ("memavail", host), lambda ats, host=host, total=total: total * (
                    1.0 - metrics.host_values(host, "memory_util", ats) / 100.0), version,
                False)
            yield {"__name__": "up", **common}, _Signal(
                ("up", host), lambda ats, host=host: np.full(
                    len(ats), float(state.host_powered_on(host))), version, False)
        for server in state.servers.values():
            yield from self._server_series(server)

    def _server_series(self, server):
        state = self.state
        metrics = state.metrics
        sid = server.id
        common = {"resource": sid, "resource_name": server.name, "project": server.project_id,
                  "user": server.user_id, "publisher": "watcher-simulator",
                  "job": "ceilometer", "instance": CEILOMETER_TARGET}

        def version(sid=sid) -> tuple:
            found = state.servers.get(sid)
            return (None,) if found is None else (found.rev, found.status, found.host,
                                                  found.flavor_id)

        def flavor():
            # Looked up at each sample: a resize changes it.
            return state.flavors[state.servers[sid].flavor_id]

        yield {"__name__": "ceilometer_cpu", "counter": "cpu", "type": "cumulative",
               "unit": "ns", **common}, _Signal(
            ("cpu", sid), lambda ats: metrics.server_values(sid, "cpu_util", ats) / 100.0
            * flavor().vcpus * 1e9, version, True)
        yield {"__name__": "ceilometer_memory_usage", "counter": "memory.usage",
               "type": "gauge", "unit": "MB", **common}, _Signal(
            ("memory", sid), lambda ats: metrics.server_values(sid, "memory_util", ats)
            / 100.0 * flavor().ram, version, False)

    # -- queries -------------------------------------------------------------------------------

    def matching(self, matchers: list[Matcher]) -> list[tuple[dict, _Signal]]:
        series = self._catalog()
        name = next((m.value for m in matchers if m.name == "__name__" and m.op == "="), None)
        if name is not None:
            series = self._by_name.get(name, [])
            for m in matchers:
                if m.op == "=" and m.name in _INDEXED_LABELS:
                    series = self._by_label.get((name, m.name, m.value), [])
                    break
        return [(labels, signal) for labels, signal in series
                if all(m.matches(labels.get(m.name, "")) for m in matchers)]

    def select(self, matchers: list[Matcher], mint: float,
               maxt: float) -> list[tuple[dict, list[tuple[float, float]]]]:
        """Series matching ``matchers`` with their samples in ``(mint, maxt]``."""
        labels, times, values = self.select_grid(matchers, mint, maxt)
        times = times.tolist()
        return [(own, list(zip(times, row, strict=True)))
                for own, row in zip(labels, values.tolist(), strict=True)]

    def select_grid(self, matchers: list[Matcher], mint: float,
                    maxt: float) -> tuple[list[dict], np.ndarray, np.ndarray]:
        """:meth:`select` as arrays: every series has a sample at each grid time in
        ``(mint, maxt]``, so the answer is the series' labels, those times and a series x
        times matrix of values. A signal several series share is computed once."""
        step = self.interval
        first = math.floor(mint / step) + 1
        last = math.floor(min(maxt, self.state.clock.now()) / step)
        first = max(first, self.counters.first_index())
        indices = np.arange(first, last + 1)
        times = indices * step
        matched = self.matching(matchers)
        values = np.empty((len(matched), len(times)))
        if len(times):
            signals = {id(signal): signal for _, signal in matched}
            counters = [signal for signal in signals.values() if signal.counter]
            rows = dict(zip([id(signal) for signal in counters], self.counters.many_values(
                [(signal.key, signal.fn, signal.version()) for signal in counters],
                first, last), strict=True))
            for signal in signals.values():
                if not signal.counter:
                    rows[id(signal)] = signal.fn(times)
            for number, (_, signal) in enumerate(matched):
                values[number] = rows[id(signal)]
        return [labels for labels, _ in matched], times, values

    def label_names(self) -> list[str]:
        names = set()
        for labels, _ in self._catalog():
            names.update(labels)
        return sorted(names)

    def targets(self) -> list[tuple[dict, str, bool]]:
        """Scrape targets as ``(labels, url, up)``: one node_exporter per hypervisor, and the
        Ceilometer exporter."""
        out = []
        for hypervisor in self.state.hypervisor_order:
            labels = {"fqdn": hypervisor.name,
                      "instance": f"{hypervisor.host_ip}:{NODE_EXPORTER_PORT}", "job": "node"}
            up = self.state.host_powered_on(hypervisor.name)
            out.append((labels, f"http://{labels['instance']}/metrics", up))
        out.append(({"instance": CEILOMETER_TARGET, "job": "ceilometer"},
                    f"http://{CEILOMETER_TARGET}/metrics", True))
        return out
