"""End to end audit time: POST /v1/audits to SUCCEEDED, through the real services.

Used by ``benchmarks/plan_save.py --end-to-end``. For each generated cloud (``hosts x servers``,
watcher/simulator/scenario/generator.py, its clock 4 h past the start so the usage window has
history) the simulator serves Keystone, Nova, Placement and Prometheus in its own process; an
embedded watcher (API, decision engine, applier in this process) first collects its compute
model, then a one-shot vm_workload_consolidation audit is posted to its REST API and polled
until it ends. Printed per cloud: the collection time (from the services' start to the first
model), the audit's wall time (POST to SUCCEEDED, plan saved), its actions, the HTTP requests
the simulator served during the audit (by service), and the peak resident memory of the
watcher and simulator processes. Each cloud runs in a new process so the peaks are its own.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import resource
import time
import urllib.parse

import plan_quality

from watcher.cmd import demo, embedded
from watcher.common import config
from watcher.decision_engine.model.collector import manager as collector_manager
from watcher.simulator import child
from watcher.simulator.scenario import generator

STRATEGY = "vm_workload_consolidation"
# hosts x servers [x host scale]: the generator's hosts hold about 20 servers; upstream's worst
# reported cloud runs 140 on each, which takes hosts four times the usual size.
DEFAULT_CLOUDS = ("50x1000", "113x15769x4", "1000x20000")
# Simulated seconds of history before the audit: vm_workload_consolidation's usage_period.
HISTORY = 4 * 3600.0
TIMEOUT = 1800.0
POLL_INTERVAL = 0.1  # each poll is an API request and a database read: CPU taken from the audit


@dataclasses.dataclass
class Figures:
    hosts: int
    servers: int
    collect_seconds: float
    audit_seconds: float
    state: str
    actions: int
    requests: dict[str, int]
    watcher_peak_mb: float
    simulator_peak_mb: float

    def line(self) -> str:
        served = ", ".join(f"{name} {count}" for name, count in sorted(self.requests.items()))
        return (f"{self.hosts:>5} hosts {self.servers:>6} servers  collect "
                f"{self.collect_seconds:6.1f} s  POST->{self.state} {self.audit_seconds:6.2f} s"
                f"  {self.actions:>5} actions  simulator requests {sum(self.requests.values())}"
                f" ({served})  peak RSS watcher {self.watcher_peak_mb:.0f} MB, simulator "
                f"{self.simulator_peak_mb:.0f} MB")


def parse_cloud(text: str) -> tuple[int, int, int]:
    """``HOSTSxSERVERS[xSCALE]`` -> (hosts, servers, host scale)."""
    parts = [int(p) for p in text.lower().split("x")]
    if len(parts) not in (2, 3):
        raise ValueError(f"cloud {text!r}: expected HOSTSxSERVERS[xSCALE]")
    return parts[0], parts[1], parts[2] if len(parts) == 3 else 1


def simulator_requests(sim: child.ChildSimulator) -> dict[str, int]:
    """Requests served so far by service, from the simulator's root document."""
    root = urllib.parse.urlsplit(sim.auth_url)._replace(path="").geturl()
    return demo.Client(root).request("GET", "/")["requests"]


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0  # KiB on Linux


def measure(hosts: int, servers: int, scale: int = 1) -> Figures:
    """One cloud, in this process (the simulator in a child of it)."""
    scenario = generator.generate(hypervisors=hosts, servers=servers, seed=1, host_scale=scale)
    scenario["clock"] = {"start": time.time() - HISTORY, "speed": 1.0}
    placed = len(scenario["compute"]["servers"])
    with child.ChildSimulator(scenario, plan_quality.APPS, advance=HISTORY) as sim:
        plan_quality.configure(sim)
        started = time.monotonic()
        with embedded.Embedded() as service:
            compute = collector_manager.get_collector_manager().get_cluster_model_collector(
                "compute")
            if not compute.wait_for_first_sync(TIMEOUT) or compute.cluster_data_model is None:
                raise RuntimeError(f"no compute model: {compute.last_error}")
            collect_seconds = time.monotonic() - started
            client = demo.Client(service.api_url)
            template = client.request("POST", "/v1/audit_templates", {
                "name": "end-to-end", "goal": "server_consolidation", "strategy": STRATEGY})
            before = simulator_requests(sim)
            posted = time.monotonic()
            audit = client.request("POST", "/v1/audits", {
                "audit_type": "ONESHOT", "audit_template_uuid": template["uuid"]})
            audit = plan_quality.wait(client, f"/v1/audits/{audit['uuid']}",
                                      plan_quality.FINAL_AUDIT, TIMEOUT, POLL_INTERVAL)
            audit_seconds = time.monotonic() - posted
            after = simulator_requests(sim)
            plans = client.request("GET", f"/v1/action_plans?audit_uuid={audit['uuid']}")
            actions = 0
            for plan in plans["action_plans"]:
                actions += len(plan_quality.list_all(
                    client, f"/v1/actions?action_plan_uuid={plan['uuid']}&limit=1000",
                    "actions"))
    # The root document's own request is not counted: it is served outside every app.
    requests = {name: count - before.get(name, 0) for name, count in after.items()
                if count != before.get(name, 0)}
    return Figures(hosts, placed, collect_seconds, audit_seconds, audit["state"], actions,
                   requests, _peak_mb(resource.RUSAGE_SELF), _peak_mb(resource.RUSAGE_CHILDREN))


def _worker(cloud: tuple[int, int, int], debug: bool, pipe) -> None:
    config.parse_args(["--debug"] if debug else [])
    if not debug:
        logging.getLogger().setLevel(logging.WARNING)
    try:
        pipe.send(measure(*cloud))
    except Exception as exc:  # the parent prints it
        pipe.send(f"{type(exc).__name__}: {exc}")


def run(clouds: list[str], debug: bool = False) -> None:
    """Measure each cloud in a fresh process and print its line."""
    context = multiprocessing.get_context("spawn")
    for text in clouds:
        receive, send = context.Pipe(duplex=False)
        worker = context.Process(target=_worker, args=(parse_cloud(text), debug, send))
        worker.start()
        result = receive.recv()
        worker.join()
        print(result.line() if isinstance(result, Figures) else f"{text}: failed: {result}",
              flush=True)
