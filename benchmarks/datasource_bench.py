#!/usr/bin/env python3
"""Metric datasource benchmark: the four metrics a balancing audit reads (host CPU and RAM,
instance CPU and RAM) for every host and instance of a generated cloud, once with the bulk
reads and once one resource at a time as upstream does, against the simulator's Prometheus
(prometheus datasource) and Gnocchi. Prints wall time and HTTP requests served for each.

    .venv/bin/python benchmarks/datasource_bench.py --hypervisors 200 --servers 4000
"""

import argparse
import time
import urllib.parse

from keystoneauth1 import identity, session

from watcher.conf import CONF
from watcher.decision_engine.datasources import gnocchi, prometheus
from watcher.decision_engine.model.element import ComputeNode, Instance
from watcher.simulator.runner import Simulator
from watcher.simulator.scenario.generator import generate

APPS = ["watcher.simulator.apps.keystone:KeystoneApp",
        "watcher.simulator.apps.prometheus:PrometheusApp",
        "watcher.simulator.apps.gnocchi:GnocchiApp"]
HOST_METRICS = ("host_cpu_usage", "host_ram_usage")
INSTANCE_METRICS = ("instance_cpu_usage", "instance_ram_usage")


def _model(sim) -> tuple[list[ComputeNode], list[Instance]]:
    nodes = [ComputeNode(uuid=h.id, hostname=h.name, vcpus=h.vcpus, memory=h.memory_mb)
             for h in sim.state.hypervisor_order]
    instances = []
    for server in sim.state.servers.values():
        flavor = sim.state.flavors[server.flavor_id]
        instances.append(Instance(uuid=server.id, vcpus=flavor.vcpus, memory=flavor.ram,
                                  disk=flavor.disk))
    return nodes, instances


def _bulk(ds, nodes, instances) -> int:
    values = 0
    for metric in HOST_METRICS:
        values += sum(v is not None for v in ds.host_metric_all(nodes, metric).values())
    for metric in INSTANCE_METRICS:
        values += sum(v is not None for v in ds.instance_metric_all(instances, metric).values())
    return values


def _one_by_one(ds, nodes, instances) -> int:
    values = [ds.get_host_cpu_usage(n) for n in nodes] + [ds.get_host_ram_usage(n)
                                                          for n in nodes]
    values += [ds.get_instance_cpu_usage(i) for i in instances]
    values += [ds.get_instance_ram_usage(i) for i in instances]
    return sum(v is not None for v in values)


def _measure(label: str, sim, service: str, ds, read, nodes, instances) -> None:
    ds.reset_cache()
    before = sim.requests[service]
    started = time.monotonic()
    values = read(ds, nodes, instances)
    elapsed = time.monotonic() - started
    print(f"{label:<34} {elapsed:8.2f} s {sim.requests[service] - before:8d} requests "
          f"{values:8d} values", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hypervisors", type=int, default=100)
    parser.add_argument("--servers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scenario = generate(hypervisors=args.hypervisors, servers=args.servers, seed=args.seed)
    with Simulator.from_scenario(scenario, apps=APPS, speed=1e-6) as sim:
        sim.clock.advance(7200 + 30)
        nodes, instances = _model(sim)
        print(f"{len(nodes)} hosts, {len(instances)} instances; 2 host and 2 instance metrics")
        address = urllib.parse.urlparse(sim.service_url("prometheus"))
        CONF.set_override("host", address.hostname, "prometheus_client")
        CONF.set_override("port", address.port, "prometheus_client")
        prom = prometheus.PrometheusHelper(now=sim.clock.now)
        _measure("prometheus bulk", sim, "prometheus", prom, _bulk, nodes, instances)
        _measure("prometheus one by one", sim, "prometheus", prom, _one_by_one, nodes,
                 instances)
        keystone = session.Session(auth=identity.Password(**sim.admin_credentials))
        gnoc = gnocchi.GnocchiHelper(session=keystone, now=sim.clock.now)
        _measure("gnocchi bulk", sim, "metric", gnoc, _bulk, nodes, instances)
        _measure("gnocchi one by one", sim, "metric", gnoc, _one_by_one, nodes, instances)


if __name__ == "__main__":
    main()
