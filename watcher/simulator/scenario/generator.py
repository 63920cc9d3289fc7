"""Generate large scenarios with realistic, skewed load.

Hosts come in three sizes; flavors are mostly small; each host gets a lognormal popularity so
a few hosts run hot and many are nearly empty, which is what consolidation and balancing
strategies need to chew on. Everything derives from ``seed``.
"""

import numpy as np

_HOST_TYPES = [  # (vcpus, memory_mb, disk_gb, weight)
    (32, 131072, 1000, 0.3),
    (48, 262144, 2000, 0.5),
    (64, 524288, 4000, 0.2),
]
_FLAVORS = [  # (name, vcpus, ram, disk, weight)
    ("m1.tiny", 1, 512, 1, 0.10),
    ("m1.small", 1, 2048, 20, 0.35),
    ("m1.medium", 2, 4096, 40, 0.30),
    ("m1.large", 4, 8192, 80, 0.17),
    ("m1.xlarge", 8, 16384, 160, 0.08),
]
_INT_KEYS = ("hypervisors", "servers", "seed", "volumes", "baremetal", "projects",
             "host_scale")


def parse_spec(spec: str) -> dict:
    """``hypervisors=1000,servers=20000,seed=1[,volumes=N,baremetal=N,host_scale=N,
    trace=FILE]``."""
    out: dict = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"--generate: '{part}' is not key=value")
        if key in _INT_KEYS:
            out[key] = int(value)
        elif key in ("trace", "speed"):
            out[key] = value if key == "trace" else float(value)
        else:
            raise ValueError(f"--generate: unknown key '{key}' (known: "
                             f"{', '.join(_INT_KEYS + ('trace', 'speed'))})")
    return out


def generate(hypervisors: int = 10, servers: int = 100, seed: int = 1,
             volumes: int | None = None, baremetal: int = 0, projects: int | None = None,
             trace: str | None = None, speed: float = 1.0, host_scale: int = 1) -> dict:
    """``host_scale`` multiplies every host type's vCPUs, memory and disk: upstream's worst
    reported cloud (113 hosts, 15,769 servers) needs hosts four times the usual size."""
    rng = np.random.default_rng(seed)
    zones = [f"az{i + 1}" for i in range(max(1, hypervisors // 500))]
    projects = projects or max(2, servers // 200)
    project_names = ["admin"] + [f"project-{i:04d}" for i in range(1, projects)]
    hosts = _hypervisors(rng, hypervisors, host_scale)
    doc: dict = {
        "name": f"generated-{hypervisors}x{servers}-seed{seed}",
        "seed": seed,
        "clock": {"speed": speed},
        "identity": {
            "projects": [{"name": n} for n in project_names] + [{"name": "demo"},
                                                                 {"name": "service"}],
            "users": [
                {"name": "admin", "password": "admin", "project": "admin", "roles": ["admin"]},
                {"name": "demo", "password": "demo", "project": "demo", "roles": ["member"]},
            ],
        },
        "compute": {
            "availability_zones": zones,
            "aggregates": [{"name": f"agg-{zone}", "availability_zone": zone,
                            "hosts": [h["name"] for i, h in enumerate(hosts)
                                      if i % len(zones) == z]}
                           for z, zone in enumerate(zones)],
            "hypervisors": hosts,
            "flavors": [{"name": n, "vcpus": c, "ram": r, "disk": d}
                        for n, c, r, d, _ in _FLAVORS],
        },
    }
    groups, placed = _servers(rng, hosts, servers, project_names)
    doc["compute"]["server_groups"] = groups
    doc["compute"]["servers"] = placed
    doc["storage"] = _storage(rng, hypervisors, placed,
                              servers // 4 if volumes is None else volumes)
    if baremetal:
        doc["baremetal"] = {"nodes": [{"name": f"bm-{h['name']}", "hypervisor": h["name"]}
                                      for h in hosts[:baremetal]]}
    cpu = ({"trace": {"file": trace, "row": "*", "step": 300}} if trace else
           {"random_walk": {"mean": 25.0, "stddev": 5.0, "mean_spread": 0.9}})
    doc["metrics"] = {"defaults": {"server": {"cpu_util": cpu}}}
    return doc


def _hypervisors(rng: np.random.Generator, count: int, scale: int) -> list[dict]:
    weights = np.array([t[3] for t in _HOST_TYPES])
    kinds = rng.choice(len(_HOST_TYPES), size=count, p=weights / weights.sum())
    out = []
    for index, kind in enumerate(kinds):
        vcpus, memory, disk = (scale * size for size in _HOST_TYPES[kind][:3])
        out.append({"name": f"compute-{index + 1:05d}", "vcpus": vcpus, "memory_mb": memory,
                    "disk_gb": disk, "power": {"idle_watts": 80.0 + vcpus,
                                               "max_watts": 200.0 + 5.0 * vcpus}})
    return out


def _servers(rng: np.random.Generator, hosts: list[dict], count: int,
             projects: list[str]) -> tuple[list[dict], list[dict]]:
    # Free capacity per host, as Placement computes it with Nova's default ratios.
    free = np.array([[h["vcpus"] * 4.0, h["memory_mb"] - 512.0, float(h["disk_gb"])]
                     for h in hosts])
    popularity = rng.lognormal(0.0, 1.2, len(hosts))
    popularity /= popularity.sum()
    weights = np.array([f[4] for f in _FLAVORS])
    flavors = rng.choice(len(_FLAVORS), size=count, p=weights / weights.sum())
    tries = rng.choice(len(hosts), size=(count, 6), p=popularity)
    owners = rng.integers(0, len(projects), size=count)
    shutoff = rng.random(count) < 0.03
    group_count = max(1, count // 300)
    groups = [{"name": f"group-{g:04d}", "policy": "anti-affinity",
               "project": projects[g % len(projects)]} for g in range(group_count)]
    group_hosts: list[set] = [set() for _ in groups]
    servers = []
    cursor = 0
    for index in range(count):
        _, vcpus, ram, disk, _ = _FLAVORS[flavors[index]]
        need = np.array([vcpus, ram, disk], dtype=float)
        group = index // 3 if index < group_count * 3 else None
        banned = group_hosts[group] if group is not None else ()
        host = next((int(c) for c in tries[index]
                     if c not in banned and (free[c] >= need).all()), None)
        if host is None:
            host, cursor = _first_fit(free, need, banned, cursor)
        if host is None and group is not None:
            group = None  # no room for the group's spread: boot it outside the group
            host, cursor = _first_fit(free, need, (), cursor)
        if host is None:
            break  # the cloud is full: stop rather than over-commit
        free[host] -= need
        server = {"name": f"vm-{index + 1:06d}", "flavor": _FLAVORS[flavors[index]][0],
                  "host": hosts[host]["name"], "project": projects[owners[index]]}
        if shutoff[index]:
            server["status"] = "SHUTOFF"
        if group is not None:
            group_hosts[group].add(host)
            server["server_group"] = groups[group]["name"]
            server["project"] = groups[group]["project"]
        servers.append(server)
    return groups, servers


def _first_fit(free: np.ndarray, need: np.ndarray, banned, cursor: int) -> tuple:
    """Round-robin scan from ``cursor`` so full hosts at the front are not rescanned."""
    for step in range(len(free)):
        candidate = (cursor + step) % len(free)
        if candidate not in banned and (free[candidate] >= need).all():
            return candidate, candidate
    return None, cursor


def _storage(rng: np.random.Generator, hypervisors: int, servers: list[dict],
             volumes: int) -> dict:
    backends = [{"name": f"backend{b + 1}", "host": f"storage-{b + 1:03d}",
                 "pools": [{"name": f"pool{p + 1}", "total_capacity_gb": 200000}
                           for p in range(2)]}
                for b in range(max(1, hypervisors // 250))]
    pools = [f"{b['host']}@{b['name']}#{p['name']}" for b in backends for p in b["pools"]]
    sizes = rng.choice([10, 20, 50, 100, 200], size=volumes, p=[0.3, 0.3, 0.2, 0.15, 0.05])
    where = rng.integers(0, len(pools), size=volumes)
    attach = rng.random(volumes) < 0.3
    out = []
    for index in range(volumes):
        volume = {"name": f"vol-{index + 1:06d}", "size": int(sizes[index]),
                  "pool": pools[where[index]], "type": "default"}
        if attach[index] and servers:
            server = servers[index % len(servers)]
            volume["attachments"] = [{"server": server["name"]}]
            volume["project"] = server["project"]
        out.append(volume)
    types = [{"name": "default"}] + [{"name": b["name"], "backend": b["name"]}
                                      for b in backends]
    return {"backends": backends, "volume_types": types, "volumes": out}
