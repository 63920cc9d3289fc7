"""The demo's cloud: the default scenario, and what the cloud looks like at one moment.

The default scenario comes from the simulator's generator (hosts of three sizes, mostly small
flavors, a lognormal popularity per host so a few hosts are crowded past their physical cores
and many are nearly empty), with every server's CPU replaying a row of a PlanetLab trace.

A snapshot reads the cloud as an operator would: hosts, services and servers from Nova,
capacities from Placement, allocations from the servers' flavors (vCPU, RAM and disk, as Nova
claims them). Measured CPU and memory come from the simulator's metric series (the numbers
its Prometheus and Gnocchi serve), summed over each host's servers without the 100 % cap a
host reading has, so an overloaded host shows as one.
"""

from __future__ import annotations

import dataclasses
import os
import time

from watcher import simulator
from watcher.simulator.scenario import generator

SCENARIOS = os.path.join(os.path.dirname(simulator.__file__), "scenarios")
TRACE = os.path.join(SCENARIOS, "planetlab-20110303-sample.csv")
# Seconds of metric history the simulated clock has behind it when the audit starts: the
# strategies average over the last hour.
HISTORY = 3600


def demo_scenario(hypervisors: int = 40, servers: int = 400, seed: int = 3,
                  trace: str = TRACE) -> dict:
    """A generated cloud whose servers replay ``trace`` and whose clock reads wall time."""
    if not os.path.exists(trace):
        raise FileNotFoundError(f"trace file '{trace}' not found")
    doc = generator.generate(hypervisors=hypervisors, servers=servers, seed=seed, trace=trace)
    doc["name"] = f"demo-{hypervisors}x{servers}-planetlab"
    doc.pop("storage", None)  # volumes play no part in server consolidation
    # Once advanced by HISTORY the clock reads wall time, where the datasource's queries
    # fall; operations then take these simulated (= wall) seconds.
    doc["clock"] = {"start": time.time() - HISTORY, "speed": 1.0}
    doc["dynamics"] = {"live_migration": 0.1, "cold_migration": 0.2, "service_update": 0.1}
    return doc


@dataclasses.dataclass
class HostUse:
    name: str
    status: str
    cores: int  # physical
    vcpu_capacity: float  # allocatable: (total - reserved) x allocation ratio
    memory_capacity: float
    disk_capacity: float = 0.0
    vcpus_allocated: int = 0
    memory_allocated: int = 0
    disk_allocated: int = 0
    cpu_cores_used: float = 0.0  # measured
    memory_used: float = 0.0  # measured, MB
    servers: list[str] = dataclasses.field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.servers)

    @property
    def cpu_use(self) -> float:
        """Measured CPU over physical cores (1.0 = every core busy)."""
        return self.cpu_cores_used / self.cores if self.cores else 0.0

    @property
    def memory_use(self) -> float:
        return self.memory_used / self.memory_capacity if self.memory_capacity else 0.0

    def allocations(self) -> dict[str, float]:
        """Allocated over allocatable, per resource class Placement limits."""
        pairs = {"vCPU": (self.vcpus_allocated, self.vcpu_capacity),
                 "RAM": (self.memory_allocated, self.memory_capacity),
                 "disk": (self.disk_allocated, self.disk_capacity)}
        return {kind: used / total if total else 0.0 for kind, (used, total) in pairs.items()}

    def fullest_allocation(self) -> tuple[str, float]:
        """The resource class closest to its Placement limit, and how close: what stops a
        consolidation from packing a host further."""
        return max(self.allocations().items(), key=lambda item: item[1])

    @property
    def overcommitted(self) -> bool:
        """More vCPUs handed out than the host has cores (allowed by the allocation ratio)."""
        return self.vcpus_allocated > self.cores

    def overload(self) -> list[str]:
        """Why this host is overloaded; empty when it is not."""
        reasons = []
        if self.cpu_cores_used > self.cores + 1e-9:
            reasons.append(f"CPU {self.cpu_cores_used:.1f} of {self.cores} cores")
        if self.vcpus_allocated > self.vcpu_capacity + 1e-9:
            reasons.append(f"{self.vcpus_allocated} vCPUs of {self.vcpu_capacity:g} allocatable")
        if self.memory_allocated > self.memory_capacity + 1e-9:
            reasons.append(f"{self.memory_allocated} MB of {self.memory_capacity:g} allocatable")
        if self.disk_allocated > self.disk_capacity + 1e-9:
            reasons.append(f"{self.disk_allocated} GB of disk of {self.disk_capacity:g} "
                           "allocatable")
        return reasons


@dataclasses.dataclass
class Snapshot:
    hosts: dict[str, HostUse]
    where: dict[str, str]  # server id -> host

    @property
    def active_hosts(self) -> int:
        return sum(h.active for h in self.hosts.values())

    @property
    def overloaded(self) -> dict[str, list[str]]:
        return {n: h.overload() for n, h in self.hosts.items() if h.overload()}

    def lower_bound(self) -> int:
        """Fewest hosts that could hold the load: the largest hosts first, until they cover
        the measured CPU (in physical cores) and the allocated vCPUs, memory and disk."""
        demand = [sum(h.cpu_cores_used for h in self.hosts.values()),
                  sum(h.vcpus_allocated for h in self.hosts.values()),
                  sum(h.memory_allocated for h in self.hosts.values()),
                  sum(h.disk_allocated for h in self.hosts.values())]
        if not any(demand):
            return 0
        sizes = [(h.cores, h.vcpu_capacity, h.memory_capacity, h.disk_capacity)
                 for h in self.hosts.values()]
        bound = 0
        for resource, need in enumerate(demand):
            covered, count = 0.0, 0
            for size in sorted((s[resource] for s in sizes), reverse=True):
                if covered >= need - 1e-9:
                    break
                covered += size
                count += 1
            bound = max(bound, count)
        return bound


def snapshot(conn, sim) -> Snapshot:
    """The cloud now, through Nova and Placement, with the simulator's measured use."""
    hosts: dict[str, HostUse] = {}
    for service in conn.compute.services(binary="nova-compute"):
        hosts[service.host] = HostUse(service.host, service.status, 0, 0.0, 0.0)
    for provider in conn.placement.resource_providers():
        host = hosts.get(provider.name)
        if host is None:
            continue
        for inventory in conn.placement.resource_provider_inventories(provider):
            allocatable = (inventory.total - inventory.reserved) * inventory.allocation_ratio
            if inventory.resource_class == "VCPU":
                host.cores = inventory.total  # Placement's total is the physical count
                host.vcpu_capacity = allocatable
            elif inventory.resource_class == "MEMORY_MB":
                host.memory_capacity = allocatable
            elif inventory.resource_class == "DISK_GB":
                host.disk_capacity = allocatable
    metrics = sim.state.metrics
    where = {}
    for server in servers(conn):
        where[server["id"]] = server["OS-EXT-SRV-ATTR:host"]
        host = hosts.get(server["OS-EXT-SRV-ATTR:host"])
        if host is None:
            continue
        flavor = server["flavor"]
        host.servers.append(server["name"])
        host.vcpus_allocated += flavor["vcpus"]
        host.memory_allocated += flavor["ram"]
        host.disk_allocated += flavor["disk"] + flavor.get("ephemeral", 0) + (
            flavor.get("swap", 0) + 1023) // 1024
        cpu = metrics.server_value(server["id"], "cpu_util")
        host.cpu_cores_used += cpu * flavor["vcpus"] / 100
        host.memory_used += metrics.server_value(server["id"], "memory_util") * flavor["ram"] / 100
    return Snapshot(hosts, where)


def servers(conn) -> list[dict]:
    """Every server as Nova's JSON, page by page. openstacksdk's Server objects would cost
    seconds for a few hundred servers, twice per demo; 2.47 embeds the flavor."""
    found: list[dict] = []
    url: str | None = "/servers/detail?all_tenants=1"
    while url:
        body = conn.compute.get(url, microversion="2.47").json()
        found += body["servers"]
        url = next((link["href"] for link in body.get("servers_links", [])
                    if link["rel"] == "next"), None)
    return found
