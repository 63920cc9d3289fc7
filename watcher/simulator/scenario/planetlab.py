"""Simulator clouds built from a PlanetLab day (shared/data/planetlab/), for benchmarks and demos.

One server per trace row; its ``cpu_util`` (percent of its own vCPUs) replays that row at
5-minute steps from the moment the scenario's clock starts, so simulated 00:00 is the clock's
start and, once the clock has been advanced by ``NOON_SECONDS``, "now" is 12:00 of the trace
day with the 00:00-12:00 values as the trailing history (what an audit at noon sees).

Flavors (vCPU / RAM / disk) are a fixed mix drawn per row with a seeded RNG:
``pl.small`` 1 / 2 GiB / 20 GB (40 %), ``pl.medium`` 2 / 4 GiB / 40 GB (30 %), ``pl.large``
4 / 8 GiB / 80 GB (20 %), ``pl.xlarge`` 8 / 16 GiB / 160 GB (10 %). The traces only measure
CPU: a server's ``memory_util`` is the constant ``memory_use`` percent of its flavor's RAM.

Two host shapes (``SHAPES``): ``ram-bound`` (32 vCPU, 128 GiB, 2 TB, cpu_allocation_ratio 4)
and ``cpu-bound`` (32 vCPU, 512 GiB, 8 TB, ratio 16); RAM and disk ratios 1.0, Nova's
default 512 MiB of reserved host memory. The default host count is ``ceil(n_vms / 5)``.

Servers are spread least-loaded first (biggest first; each goes to the host whose fullest
resource, counting allocations and the trailing peak of CPU use, is emptiest after it lands;
ties to the lowest host index), and the builder refuses a cloud where any host starts more
than half full (``max_start_fill``) by allocations or by its measured CPU peak over the
trailing window. All of it is deterministic for a given trace file, shape, counts and seed.

    cloud = planetlab.build("/work/shared/data/planetlab/20110303.csv", "ram-bound",
                            start=time.time() - planetlab.NOON_SECONDS)
    with Simulator.from_scenario(cloud.scenario) as sim:
        sim.clock.advance(planetlab.NOON_SECONDS)    # now = 12:00 of the trace day = wall time
"""

from __future__ import annotations

import dataclasses
import math
import os

import numpy as np

from watcher.simulator import metrics

STEP = 300
STEPS_PER_DAY = 288
NOON_STEP = 144
NOON_SECONDS = NOON_STEP * STEP
# Nova's default reserved_host_memory_mb.
RESERVED_MEMORY_MB = 512

FLAVORS = (  # (name, vcpus, ram MiB, disk GB, share)
    ("pl.small", 1, 2048, 20, 0.4),
    ("pl.medium", 2, 4096, 40, 0.3),
    ("pl.large", 4, 8192, 80, 0.2),
    ("pl.xlarge", 8, 16384, 160, 0.1),
)


@dataclasses.dataclass(frozen=True)
class Shape:
    name: str
    vcpus: int
    memory_mb: int
    disk_gb: int
    vcpu_ratio: float
    memory_ratio: float = 1.0
    disk_ratio: float = 1.0

    def allocatable(self) -> np.ndarray:
        """VCPU, MEMORY_MB, DISK_GB as Placement counts them: (total - reserved) x ratio."""
        return np.array([self.vcpus * self.vcpu_ratio,
                         (self.memory_mb - RESERVED_MEMORY_MB) * self.memory_ratio,
                         self.disk_gb * self.disk_ratio])


SHAPES = {
    "ram-bound": Shape("ram-bound", 32, 128 * 1024, 2048, 4.0),
    "cpu-bound": Shape("cpu-bound", 32, 512 * 1024, 8192, 16.0),
}


@dataclasses.dataclass
class PlanetLabCloud:
    """A built cloud: the scenario to serve and the arrays an independent scorer needs."""

    scenario: dict
    shape: Shape
    trace_file: str
    vm_names: list[str]
    vm_rows: np.ndarray      # (n_vms,) trace row of each server
    util: np.ndarray         # (n_vms, 288) CPU use in percent of the server's vCPUs
    flavors: np.ndarray      # (n_vms, 3) vCPU, RAM MiB, disk GB of each server's flavor
    host_names: list[str]
    placement: np.ndarray    # (n_vms,) initial host index of each server

    @property
    def cores(self) -> np.ndarray:
        """(n_vms, 288) CPU demand of each server in cores."""
        return self.util * self.flavors[:, :1] / 100.0

    @property
    def physical_cores(self) -> np.ndarray:
        return np.full(len(self.host_names), float(self.shape.vcpus))

    @property
    def allocatable(self) -> np.ndarray:
        """(n_hosts, 3) allocatable VCPU, MEMORY_MB, DISK_GB per host."""
        return np.tile(self.shape.allocatable(), (len(self.host_names), 1))


def default_trace_dir() -> str:
    """shared/data/planetlab next to the project's checkout (``../shared``), or next to the
    directory holding it when the checkout is a worktree one level deeper."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))))
    candidates = [os.path.join(root, up, "shared", "data", "planetlab")
                  for up in ("..", os.path.join("..", ".."))]
    found = next((path for path in candidates if os.path.isdir(path)), candidates[0])
    return os.path.normpath(found)


def read_day(trace_file: str) -> tuple[list[str], np.ndarray]:
    """Row names and the (rows, 288) utilisation matrix of a PlanetLab day file."""
    names, rows = metrics.read_trace_file(trace_file)
    values = np.array(rows, dtype=float)
    if values.ndim != 2 or values.shape[1] < STEPS_PER_DAY:
        raise ValueError(f"{trace_file}: expected {STEPS_PER_DAY} values per row")
    return list(names), values[:, :STEPS_PER_DAY]


def build(trace_file: str, shape: str | Shape = "ram-bound", vms: int | None = None,
          hosts: int | None = None, seed: int = 1, start: float = 0.0, speed: float = 1.0,
          memory_use: float = 75.0, max_start_fill: float = 0.5) -> PlanetLabCloud:
    """A cloud of ``vms`` servers (default: one per row; more than the file has reuse its rows
    in order) on ``hosts`` hypervisors (default ``ceil(vms / 5)``) of ``shape``; no host may
    start fuller than ``max_start_fill``."""
    shape = SHAPES[shape] if isinstance(shape, str) else shape
    trace_file = os.path.abspath(trace_file)
    _, day = read_day(trace_file)
    count = len(day) if vms is None else vms
    if count < 1:
        raise ValueError("a cloud needs at least one server")
    host_count = hosts or math.ceil(count / 5)
    rows = np.arange(count) % len(day)
    util = day[rows]
    kinds = np.random.default_rng(seed).choice(
        len(FLAVORS), size=count, p=[f[4] for f in FLAVORS])
    flavors = np.array([FLAVORS[k][1:4] for k in kinds], dtype=float)
    names = [f"pl-{i:05d}" for i in range(count)]
    host_names = [f"compute-{h:04d}" for h in range(host_count)]
    placement = _spread(flavors, util, shape, host_count)
    _check_start_fill(placement, flavors, util, shape, host_count, max_start_fill)
    doc = {
        "name": f"planetlab-{os.path.splitext(os.path.basename(trace_file))[0]}-{shape.name}",
        "seed": seed,
        "clock": {"start": start, "speed": speed},
        "identity": {
            "projects": [{"name": "admin"}],
            "users": [{"name": "admin", "password": "admin", "project": "admin",
                       "roles": ["admin"]}],
        },
        "compute": {
            "hypervisors": [{"name": name, "vcpus": shape.vcpus, "memory_mb": shape.memory_mb,
                             "disk_gb": shape.disk_gb,
                             "allocation_ratios": {"vcpu": shape.vcpu_ratio,
                                                   "memory": shape.memory_ratio,
                                                   "disk": shape.disk_ratio},
                             "reserved": {"memory_mb": RESERVED_MEMORY_MB}}
                            for name in host_names],
            "flavors": [{"name": n, "vcpus": c, "ram": r, "disk": d}
                        for n, c, r, d, _ in FLAVORS],
            "servers": [{"name": names[i], "flavor": FLAVORS[kinds[i]][0],
                         "host": host_names[placement[i]],
                         "metadata": {"trace_row": str(int(rows[i]))}}
                        for i in range(count)],
        },
        "metrics": {
            "defaults": {"server": {"memory_util": {"constant": memory_use}}},
            "servers": {names[i]: {"cpu_util": {"trace": {"file": trace_file,
                                                          "row": int(rows[i]),
                                                          "step": STEP}}}
                        for i in range(count)},
        },
    }
    return PlanetLabCloud(doc, shape, trace_file, names, rows, util, flavors, host_names,
                          placement)


def _spread(flavors: np.ndarray, util: np.ndarray, shape: Shape, host_count: int) -> np.ndarray:
    capacity = np.append(shape.allocatable(), shape.vcpus)
    peaks = (util[:, :NOON_STEP] * flavors[:, :1] / 100.0).max(axis=1)
    need = np.column_stack([flavors, peaks]) / capacity
    load = np.zeros((host_count, 4))
    placement = np.empty(len(flavors), dtype=int)
    # Biggest first (by its fullest resource), then by row, so the spread is even.
    for vm in np.lexsort((np.arange(len(need)), -need.max(axis=1))):
        host = int(np.argmin((load + need[vm]).max(axis=1)))
        load[host] += need[vm]
        placement[vm] = host
    return placement


def _check_start_fill(placement: np.ndarray, flavors: np.ndarray, util: np.ndarray,
                      shape: Shape, host_count: int, limit: float) -> None:
    allocated = np.zeros((host_count, 3))
    np.add.at(allocated, placement, flavors)
    demand = np.zeros((host_count, NOON_STEP))
    np.add.at(demand, placement, util[:, :NOON_STEP] * flavors[:, :1] / 100.0)
    fullest = max(float((allocated / shape.allocatable()).max()),
                  float(demand.max() / shape.vcpus))
    if fullest > limit:
        raise ValueError(f"{len(placement)} servers on {host_count} {shape.name} hosts start "
                         f"{fullest:.0%} full on some host; use more hosts")
