"""Cross-reference checks of the built-in scenario sections (names that must exist, limits
the schema cannot express). Each check yields ``(path, message)``."""

import os
from collections.abc import Iterator

from watcher.simulator import (
    heat_scenario,  # noqa: F401 - registers the heat section
    metrics,
)
from watcher.simulator.apps import maas_scenario  # noqa: F401 - registers the maas section
from watcher.simulator.scenario.loader import Scenario, register_checker
from watcher.simulator.scenario.schema import HYPERVISOR_DEFAULTS as DEFAULTS

STRICT_GROUP_POLICIES = ("affinity", "anti-affinity")


def _unique(items: list, section: tuple, what: str) -> Iterator[tuple]:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        name = item["name"]
        if name in seen:
            yield section + (index, "name"), (f"duplicate {what} name '{name}' (first at "
                                              f"index {seen[name]})")
        seen.setdefault(name, index)


def _names(doc: dict, section: str, key: str) -> set[str]:
    return {item["name"] for item in doc.get(section, {}).get(key, [])}


def project_names(doc: dict) -> set[str]:
    projects = doc.get("identity", {}).get("projects")
    return {"admin", "demo"} if projects is None else {p["name"] for p in projects}


@register_checker
def check_identity(doc: dict, scenario: Scenario) -> Iterator[tuple]:
    identity = doc.get("identity", {})
    domains = {"default"} | {d.get("id", d["name"]) for d in identity.get("domains", [])}
    domains |= {d["name"] for d in identity.get("domains", [])}
    projects = project_names(doc)
    for key in ("domains", "projects", "users"):
        yield from _unique(identity.get(key, []), ("identity", key), key[:-1])
    for index, project in enumerate(identity.get("projects", [])):
        if project.get("domain", "default") not in domains:
            yield ("identity", "projects", index, "domain"), (
                f"unknown domain '{project['domain']}'")
    for index, user in enumerate(identity.get("users", [])):
        if user["project"] not in projects:
            yield ("identity", "users", index, "project"), f"unknown project '{user['project']}'"
        if user.get("domain", "default") not in domains:
            yield ("identity", "users", index, "domain"), f"unknown domain '{user['domain']}'"


@register_checker
def check_compute(doc: dict, scenario: Scenario) -> Iterator[tuple]:
    compute = doc.get("compute", {})
    base = ("compute",)
    for key, what in (("hypervisors", "hypervisor"), ("flavors", "flavor"),
                      ("servers", "server"), ("aggregates", "aggregate"),
                      ("server_groups", "server group")):
        yield from _unique(compute.get(key, []), base + (key,), what)
    hypervisors = {h["name"]: h for h in compute.get("hypervisors", [])}
    flavors = {f["name"]: f for f in compute.get("flavors", [])}
    flavors.update({f["id"]: f for f in compute.get("flavors", []) if "id" in f})
    groups = {g["name"]: g for g in compute.get("server_groups", [])}
    projects = project_names(doc)
    users = {u["name"] for u in doc.get("identity", {}).get("users", [])} or {"admin", "demo"}
    zones = set(compute.get("availability_zones", []))
    for index, aggregate in enumerate(compute.get("aggregates", [])):
        for pos, host in enumerate(aggregate.get("hosts", [])):
            if host not in hypervisors:
                yield base + ("aggregates", index, "hosts", pos), f"unknown host '{host}'"
        zone = aggregate.get("availability_zone")
        if zone and zones and zone not in zones:
            yield base + ("aggregates", index, "availability_zone"), (
                f"unknown availability zone '{zone}'")
    for index, group in enumerate(compute.get("server_groups", [])):
        if group.get("project", "admin") not in projects:
            yield base + ("server_groups", index, "project"), (
                f"unknown project '{group['project']}'")
    used: dict[str, list[int]] = {}
    group_hosts: dict[str, set] = {}
    for index, server in enumerate(compute.get("servers", [])):
        path = base + ("servers", index)
        flavor = flavors.get(server["flavor"])
        if flavor is None:
            yield path + ("flavor",), f"unknown flavor '{server['flavor']}'"
        host = server.get("host")
        if host is not None and host not in hypervisors:
            yield path + ("host",), f"unknown host '{host}'"
        elif host is None and server.get("status", "ACTIVE") not in ("SHELVED_OFFLOADED",
                                                                      "ERROR", "BUILD"):
            yield path + ("host",), "only SHELVED_OFFLOADED, ERROR or BUILD servers have no host"
        if server.get("project", "admin") not in projects:
            yield path + ("project",), f"unknown project '{server['project']}'"
        if server.get("user", "admin") not in users:
            yield path + ("user",), f"unknown user '{server['user']}'"
        group = server.get("server_group")
        if group is not None and group not in groups:
            yield path + ("server_group",), f"unknown server group '{group}'"
        if flavor is None or host is None or host not in hypervisors:
            continue
        totals = used.setdefault(host, [0, 0, 0])
        disk = 0 if server.get("boot_from_volume") else flavor["disk"]
        totals[0] += flavor["vcpus"]
        totals[1] += flavor["ram"]
        totals[2] += disk + flavor.get("ephemeral", 0)
        room = capacity(hypervisors[host])
        for pos, label in enumerate(("VCPU", "MEMORY_MB", "DISK_GB")):
            if totals[pos] > room[pos]:
                yield path + ("host",), (f"host '{host}' has no room for this server: "
                                         f"{label} {totals[pos]} > capacity {room[pos]}")
                totals[pos] -= (flavor["vcpus"], flavor["ram"], disk)[pos]
        if group is not None and group in groups:
            group_hosts.setdefault(group, set()).add(host)
            policy = groups[group]["policy"]
            if policy == "affinity" and len(group_hosts[group]) > 1:
                yield path + ("host",), (f"server group '{group}' has policy affinity but its "
                                         f"servers are on {sorted(group_hosts[group])}")
            if policy == "anti-affinity":
                hosts_seen = group_hosts.setdefault("\0" + group, set())
                if host in hosts_seen:
                    yield path + ("host",), (f"server group '{group}' has policy anti-affinity "
                                             f"but another member is already on '{host}'")
                hosts_seen.add(host)


def capacity(hypervisor: dict) -> tuple[int, int, int]:
    """What Placement lets be allocated: (total - reserved) * allocation ratio."""
    ratios = hypervisor.get("allocation_ratios", {})
    reserved = hypervisor.get("reserved", {})
    return (
        int((hypervisor["vcpus"] - reserved.get("vcpus", DEFAULTS["reserved_vcpus"]))
            * ratios.get("vcpu", DEFAULTS["vcpu_ratio"])),
        int((hypervisor["memory_mb"] - reserved.get("memory_mb", DEFAULTS["reserved_memory_mb"]))
            * ratios.get("memory", DEFAULTS["memory_ratio"])),
        int((hypervisor["disk_gb"] - reserved.get("disk_gb", DEFAULTS["reserved_disk_gb"]))
            * ratios.get("disk", DEFAULTS["disk_ratio"])),
    )


@register_checker
def check_storage(doc: dict, scenario: Scenario) -> Iterator[tuple]:
    storage = doc.get("storage", {})
    base = ("storage",)
    yield from _unique(storage.get("backends", []), base + ("backends",), "backend")
    yield from _unique(storage.get("volume_types", []), base + ("volume_types",), "volume type")
    yield from _unique(storage.get("volumes", []), base + ("volumes",), "volume")
    pools = set()
    backends = set()
    for backend in storage.get("backends", []):
        backends.add(backend["name"])
        for pool in backend["pools"]:
            pools.add(f"{backend['host']}@{backend['name']}#{pool['name']}")
    types = {t["name"] for t in storage.get("volume_types", [])}
    for index, vtype in enumerate(storage.get("volume_types", [])):
        if "backend" in vtype and vtype["backend"] not in backends:
            yield base + ("volume_types", index, "backend"), (
                f"unknown backend '{vtype['backend']}'")
    servers = {s["name"] for s in doc.get("compute", {}).get("servers", [])}
    projects = project_names(doc)
    for index, volume in enumerate(storage.get("volumes", [])):
        path = base + ("volumes", index)
        if volume["pool"] not in pools:
            yield path + ("pool",), (f"unknown pool '{volume['pool']}' (pools are named "
                                     f"host@backend#pool: {sorted(pools)[:5]})")
        if "type" in volume and volume["type"] not in types:
            yield path + ("type",), f"unknown volume type '{volume['type']}'"
        if volume.get("project", "admin") not in projects:
            yield path + ("project",), f"unknown project '{volume['project']}'"
        attachments = volume.get("attachments", [])
        for pos, attachment in enumerate(attachments):
            if attachment["server"] not in servers:
                yield path + ("attachments", pos, "server"), (
                    f"unknown server '{attachment['server']}'")
        if len(attachments) > 1 and not volume.get("multiattach"):
            yield path + ("attachments",), "more than one attachment needs multiattach: true"


@register_checker
def check_baremetal(doc: dict, scenario: Scenario) -> Iterator[tuple]:
    nodes = doc.get("baremetal", {}).get("nodes", [])
    yield from _unique(nodes, ("baremetal", "nodes"), "bare-metal node")
    hypervisors = _names(doc, "compute", "hypervisors")
    for index, node in enumerate(nodes):
        host = node.get("hypervisor")
        if host is not None and host not in hypervisors:
            yield ("baremetal", "nodes", index, "hypervisor"), f"unknown hypervisor '{host}'"


@register_checker
def check_metrics(doc: dict, scenario: Scenario) -> Iterator[tuple]:
    section = doc.get("metrics", {})
    known = {"hosts": _names(doc, "compute", "hypervisors"),
             "servers": _names(doc, "compute", "servers")}
    for kind, names in known.items():
        for name, series_set in section.get(kind, {}).items():
            if name not in names:
                yield ("metrics", kind, name), f"unknown {kind[:-1]} '{name}'"
            yield from _check_series_set(series_set, ("metrics", kind, name), scenario)
    for kind, series_set in section.get("defaults", {}).items():
        yield from _check_series_set(series_set, ("metrics", "defaults", kind), scenario)


def _check_series_set(series_set: dict, path: tuple, scenario: Scenario) -> Iterator[tuple]:
    for metric, spec in series_set.items():
        if metric not in metrics.KNOWN_METRICS:
            yield path + (metric,), (f"unknown metric '{metric}' (known: "
                                     f"{', '.join(sorted(metrics.KNOWN_METRICS))})")
        if "trace" in spec:
            trace = spec["trace"]
            file_name = scenario.resolve(trace["file"])
            if not os.path.exists(file_name):
                yield path + (metric, "trace", "file"), f"no such trace file '{file_name}'"
                continue
            try:
                metrics.load_trace(file_name, trace["row"])
            except KeyError:
                yield path + (metric, "trace", "row"), (
                    f"no row '{trace['row']}' in trace file '{trace['file']}'")
            except ValueError as err:
                yield path + (metric, "trace", "file"), str(err)


@register_checker
def check_failures(doc: dict, scenario: Scenario) -> Iterator[tuple]:
    hypervisors = _names(doc, "compute", "hypervisors")
    needs = {"refuse_live_migration": ("host",), "host_down": ("host",),
             "failure_rate": ("rate",), "api_timeout": ("service", "delay"),
             "api_error": ("service", "status")}
    for index, rule in enumerate(doc.get("failures", [])):
        path = ("failures", index)
        for field in needs[rule["type"]]:
            if field not in rule:
                yield path, f"a {rule['type']} rule needs '{field}'"
        if "host" in rule and rule["host"] not in hypervisors:
            yield path + ("host",), f"unknown host '{rule['host']}'"
