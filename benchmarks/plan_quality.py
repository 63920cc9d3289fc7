#!/usr/bin/env python3
"""Consolidation plan quality on PlanetLab days, through the real services.

For each trace day and host shape (watcher/simulator/scenario/planetlab.py builds the cloud:
one server per trace row, hosts at most half full) and each strategy of the
server_consolidation goal:

1. the simulator serves the cloud with its clock at 12:00 of the trace day (the trailing
   12 h of metrics are the trace's 00:00-12:00), Prometheus deriving host CPU from servers;
2. an embedded watcher (API, decision engine, applier in this process) runs a one-shot audit
   posted to its REST API, the plan is read back with its actions and efficacy indicators
   and started, and the final placement is read from the simulated Nova;
3. watcher/simulator/plan_score.py, which imports no strategy code, replays that placement
   over 12:00-24:00 (trace steps 144-287) and the plan's actions in dependency order.

Columns: plan state; migrate actions (and how many succeeded when not all); hosts with
servers before and after; the host lower bound (largest over CPU demand at each server's p95
of the trailing window against physical cores, and VCPU/RAM/disk allocations against
allocatable); the host and migration lower bounds the plan's efficacy indicators report
(compute_nodes_lower_bound, instance_migrations_lower_bound), when they do; overloaded
host-steps (demand above physical cores) of the active ones; unmet CPU (excess over
demand); hosts over allocatable capacity while the plan runs (worst case per parallel chunk)
/ at the end as Nova reports it; audit time (POST to SUCCEEDED; the strategy's own time in
brackets when reported); wall time of the run.
The ``initial`` row scores the cloud as built, without a plan.

    .venv/bin/python benchmarks/plan_quality.py                      # 2 days x 2 shapes
    .venv/bin/python benchmarks/plan_quality.py --days 20110303 --shapes cpu-bound \\
        --strategies basic
    .venv/bin/python benchmarks/plan_quality.py --generate           # 20,000 VMs, 1,000 hosts
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import re
import sys
import time
import urllib.parse

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import watcher  # noqa: E402,F401  (before any oslo library)
from watcher.cmd import demo, embedded  # noqa: E402
from watcher.common import config  # noqa: E402
from watcher.conf import CONF  # noqa: E402
from watcher.simulator import child, plan_score  # noqa: E402
from watcher.simulator.scenario import planetlab  # noqa: E402

DAYS = ("20110303", "20110306")
STRATEGIES = ("vm_workload_consolidation", "basic", "packing_consolidation")
APPS = [
    "watcher.simulator.apps.keystone:KeystoneApp",
    "watcher.simulator.apps.nova:NovaApp",
    "watcher.simulator.apps.placement:PlacementApp",
    "watcher.simulator.apps.prometheus:PrometheusApp",
]
# Simulated seconds a live migration takes: none, so that a plan of hundreds of migrations
# runs in minutes (the applier's own work), not the hours it would on a real cloud.
MIGRATION_SECONDS = 0.0
FINAL_AUDIT = {"SUCCEEDED", "FAILED", "CANCELLED", "SUSPENDED"}
FINAL_PLAN = {"SUCCEEDED", "FAILED", "CANCELLED", "SUPERSEDED"}
COLUMNS = ("strategy", "plan", "migrations", "hosts before", "hosts after", "host LB",
           "plan's host LB", "migr LB", "overloaded host-steps", "unmet CPU %",
           "alloc violations", "audit s", "wall s")
_HOST_BOUND = re.compile(r"^compute_nodes_lower_bound$")
_MIGRATION_BOUND = re.compile(r"^instance_migrations_lower_bound$")
_STRATEGY_TIME = re.compile(r"(solve|strategy).*(time|duration|seconds)")


class Progress:
    """Elapsed-time prefixed lines: which stage, and how long it took."""

    def __init__(self, quiet: bool = False) -> None:
        self.started = time.monotonic()
        self.quiet = quiet

    def __call__(self, text: str) -> None:
        if not self.quiet:
            print(f"[{time.monotonic() - self.started:6.1f}s] {text}", file=sys.stderr,
                  flush=True)


@dataclasses.dataclass
class Result:
    strategy: str
    plan_state: str
    migrations: int
    migrations_run: int | None  # migrate actions that succeeded, when the plan ran
    hosts_before: int
    hosts_after: int
    host_bound: int
    plan_host_bound: float | None
    migration_bound: float | None
    cpu: plan_score.CpuReplay
    plan_violations: int
    final_violations: int
    audit_seconds: float | None
    strategy_seconds: float | None
    wall_seconds: float

    def row(self) -> list[str]:
        share = (100.0 * self.cpu.overloaded_host_steps / self.cpu.active_host_steps
                 if self.cpu.active_host_steps else 0.0)
        audit = "-" if self.audit_seconds is None else f"{self.audit_seconds:.1f}"
        if self.strategy_seconds is not None:
            audit += f" ({self.strategy_seconds:.2f})"
        migrations = str(self.migrations)
        if self.migrations_run is not None and self.migrations_run != self.migrations:
            migrations += f" ({self.migrations_run} run)"
        return [self.strategy, self.plan_state, migrations, str(self.hosts_before),
                str(self.hosts_after), str(self.host_bound), _optional(self.plan_host_bound),
                _optional(self.migration_bound),
                f"{self.cpu.overloaded_host_steps} ({share:.1f}%)",
                f"{self.cpu.unmet_percent:.2f}",
                f"{self.plan_violations} / {self.final_violations}", audit,
                f"{self.wall_seconds:.1f}"]


def _optional(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def format_table(title: str, results: list[Result]) -> str:
    rows = [list(COLUMNS)] + [r.row() for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [title]
    for number, row in enumerate(rows):
        lines.append("  ".join(cell.rjust(w) if i else cell.ljust(w)
                               for i, (cell, w) in enumerate(zip(row, widths, strict=True))))
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def host_bound(cloud: planetlab.PlanetLabCloud) -> int:
    p95 = np.percentile(cloud.cores[:, :planetlab.NOON_STEP], 95, axis=1)
    return plan_score.host_lower_bound(float(p95.sum()), float(cloud.shape.vcpus),
                                       cloud.flavors, cloud.shape.allocatable())["hosts"]


def score_initial(cloud: planetlab.PlanetLabCloud) -> Result:
    cpu = plan_score.replay_cpu(cloud.placement, cloud.cores[:, planetlab.NOON_STEP:],
                                cloud.physical_cores)
    hosts = plan_score.active_hosts(cloud.placement)
    violations = plan_score.allocation_violations(cloud.placement, cloud.flavors,
                                                  cloud.allocatable, [])
    return Result("initial", "-", 0, None, hosts, hosts, host_bound(cloud), None, None, cpu,
                  0, len(violations), None, None, 0.0)


# -- one audit through the services ---------------------------------------------------------


def configure(sim) -> None:
    demo.point_clients_at(sim)
    address = urllib.parse.urlparse(sim.service_url("prometheus"))
    CONF.set_override("host", address.hostname, group="prometheus_client")
    CONF.set_override("port", address.port, group="prometheus_client")
    CONF.set_override("datasources", ["prometheus"], group="watcher_datasources")
    CONF.set_override("query_interval", 0, group="watcher_datasources")
    CONF.set_override("collector_plugins", ["compute"], group="collector")
    CONF.set_override("migration_interval", 0.1, group="nova")


def known_strategies(client: demo.Client) -> set[str]:
    found = client.request("GET", "/v1/strategies?goal=server_consolidation&limit=1000")
    return {s["name"] for s in found["strategies"]}


def list_all(client: demo.Client, path: str, key: str) -> list[dict]:
    """Every item of a paged watcher collection."""
    items: list[dict] = []
    while path:
        page = client.request("GET", path)
        items += page[key]
        following = page.get("next")
        path = urllib.parse.urlsplit(following)._replace(scheme="", netloc="").geturl() \
            if following else ""
    return items


def read_servers(conn, cloud: planetlab.PlanetLabCloud) -> tuple[dict[str, int], np.ndarray]:
    """Each server's index by Nova id, and where each server runs, as the simulated Nova
    says."""
    hosts = {name: i for i, name in enumerate(cloud.host_names)}
    servers = {name: i for i, name in enumerate(cloud.vm_names)}
    ids, placement = {}, np.full(len(servers), -1)
    for server in conn.compute.servers(details=True, all_projects=True):
        ids[server.id] = servers[server.name]
        placement[servers[server.name]] = hosts[server.compute_host]
    return ids, placement


def plan_moves(actions: list[dict], cloud: planetlab.PlanetLabCloud, server_ids: dict[str, int],
               after: np.ndarray) -> list[plan_score.Move]:
    hosts = {name: i for i, name in enumerate(cloud.host_names)}
    moves = []
    for action in actions:
        if action["action_type"] != "migrate":
            continue
        parameters = action["input_parameters"]
        server = server_ids[parameters["resource_id"]]
        # Without a destination the Nova scheduler chose one: where the server ended up.
        wanted = parameters.get("destination_node")
        destination = hosts[wanted] if wanted else int(after[server])
        moves.append(plan_score.Move(server, hosts[parameters["source_node"]], destination,
                                     action["uuid"], tuple(action["parents"])))
    return moves


def wait(client: demo.Client, path: str, done: set[str], timeout: float,
         interval: float) -> dict:
    """Poll ``path`` until its state is in ``done``; slow polls leave the services the CPU."""
    deadline = time.monotonic() + timeout
    while True:
        item = client.request("GET", path)
        if item["state"] in done:
            return item
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} still {item['state']} after {timeout:.0f} s")
        time.sleep(interval)


def indicator(plan: dict, pattern: re.Pattern) -> float | None:
    for row in plan.get("efficacy_indicators") or []:
        if pattern.search(row["name"]):
            return float(row["value"])
    return None


def run_strategy(cloud: planetlab.PlanetLabCloud, strategy: str, progress: Progress,
                 apply: bool = True, timeout: float = 1800) -> Result | None:
    """Audit, apply and score one strategy on a fresh copy of ``cloud``; None if the
    strategy is not installed. Without ``apply`` the plan is scored as if it had run."""
    import openstack

    started = time.monotonic()
    scenario = dict(cloud.scenario, clock={"start": time.time() - planetlab.NOON_SECONDS,
                                           "speed": 1.0},
                    dynamics={"live_migration": MIGRATION_SECONDS})
    with child.ChildSimulator(scenario, APPS, advance=planetlab.NOON_SECONDS) as sim:
        configure(sim)
        conn = openstack.connect(**sim.clouds_yaml_entry)
        with embedded.Embedded() as service:
            client = demo.Client(service.api_url)
            if strategy not in known_strategies(client):
                progress(f"{strategy}: not installed, skipped (not among this environment's "
                         "watcher_strategies entry points: reinstall after setup.cfg changes)")
                return None
            progress(f"{strategy}: services up ({time.monotonic() - started:.1f} s), auditing")
            template = client.request("POST", "/v1/audit_templates", {
                "name": f"bench-{strategy}", "goal": "server_consolidation",
                "strategy": strategy})
            posted = time.monotonic()
            audit = client.request("POST", "/v1/audits", {
                "audit_type": "ONESHOT", "audit_template_uuid": template["uuid"]})
            audit = wait(client, f"/v1/audits/{audit['uuid']}", FINAL_AUDIT, timeout, 0.2)
            audit_seconds = time.monotonic() - posted
            progress(f"{strategy}: audit {audit['state']} in {audit_seconds:.1f} s")
            if audit["state"] != "SUCCEEDED":
                raise RuntimeError(f"audit {audit['state']}: {audit.get('status_message')}")
            plans = client.request("GET", f"/v1/action_plans?audit_uuid={audit['uuid']}")
            plan, actions, state = {}, [], "no plan"
            if plans["action_plans"]:
                plan = client.request("GET", "/v1/action_plans/"
                                             f"{plans['action_plans'][0]['uuid']}")
                actions = list_all(client, "/v1/actions/detail?action_plan_uuid="
                                           f"{plan['uuid']}&limit=1000", "actions")
                state = plan["state"]
            migrations = sum(a["action_type"] == "migrate" for a in actions)
            migrations_run = None
            if state == "RECOMMENDED" and actions and not apply:
                state = "not run"
            elif state == "RECOMMENDED" and actions:
                progress(f"{strategy}: applying {len(actions)} actions "
                         f"({migrations} migrations)")
                applying = time.monotonic()
                client.request("POST", f"/v1/action_plans/{plan['uuid']}/start")
                state = wait(client, f"/v1/action_plans/{plan['uuid']}", FINAL_PLAN, timeout,
                             1.0)["state"]
                progress(f"{strategy}: plan {state} in {time.monotonic() - applying:.1f} s")
                ran = list_all(client, "/v1/actions/detail?action_plan_uuid="
                                       f"{plan['uuid']}&limit=1000", "actions")
                migrations_run = sum(a["action_type"] == "migrate" and a["state"] == "SUCCEEDED"
                                     for a in ran)
            server_ids, after = read_servers(conn, cloud)
    moves = plan_score.chunks(plan_moves(actions, cloud, server_ids, after))
    if not apply:
        after = plan_score.apply(cloud.placement, moves)
    violations = plan_score.allocation_violations(cloud.placement, cloud.flavors,
                                                  cloud.allocatable, moves)
    final = plan_score.allocation_violations(after, cloud.flavors, cloud.allocatable, [])
    cpu = plan_score.replay_cpu(after, cloud.cores[:, planetlab.NOON_STEP:],
                                cloud.physical_cores)
    return Result(strategy, state, migrations, migrations_run,
                  plan_score.active_hosts(cloud.placement), plan_score.active_hosts(after),
                  host_bound(cloud), indicator(plan, _HOST_BOUND),
                  indicator(plan, _MIGRATION_BOUND), cpu,
                  len({(v.chunk, v.host) for v in violations}), len({v.host for v in final}),
                  audit_seconds, indicator(plan, _STRATEGY_TIME), time.monotonic() - started)


def run_cloud(cloud: planetlab.PlanetLabCloud, strategies: list[str], progress: Progress,
              apply: bool = True) -> list[Result]:
    results = [score_initial(cloud)]
    for strategy in strategies:
        result = run_strategy(cloud, strategy, progress, apply)
        if result is not None:
            results.append(result)
    return results


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trace-dir", default=planetlab.default_trace_dir())
    parser.add_argument("--days", default=",".join(DAYS), help="comma-separated trace days")
    parser.add_argument("--shapes", default=",".join(planetlab.SHAPES))
    parser.add_argument("--strategies", default=",".join(STRATEGIES))
    parser.add_argument("--vms", type=int, help="servers per cloud (default: one per row)")
    parser.add_argument("--hosts", type=int, help="hosts per cloud (default: servers / 5)")
    parser.add_argument("--generate", action="store_true",
                        help="one generated cloud of 20,000 servers on 1,000 cpu-bound hosts "
                             "(the first day's rows, reused in order)")
    parser.add_argument("--no-apply", dest="apply", action="store_false",
                        help="score the plans without running them (the final placement is "
                             "then the plan's, not read back from Nova)")
    parser.add_argument("--debug", action="store_true", help="show the services' logs")
    return parser.parse_args(argv)


def clouds(args: argparse.Namespace):
    days = args.days.split(",")
    if args.generate:
        # 20 servers a host: the spread reaches 51 % of a host's cores on these rows.
        yield planetlab.build(os.path.join(args.trace_dir, f"{days[0]}.csv"), "cpu-bound",
                              vms=args.vms or 20000, hosts=args.hosts or 1000,
                              max_start_fill=0.55)
        return
    for day in days:
        for shape in args.shapes.split(","):
            yield planetlab.build(os.path.join(args.trace_dir, f"{day}.csv"), shape,
                                  vms=args.vms, hosts=args.hosts)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    config.parse_args(["--debug"] if args.debug else [])
    if not args.debug:
        # Failed actions are part of the result (the table shows them), not noise to print.
        logging.getLogger().setLevel(logging.CRITICAL + 1)
    progress = Progress()
    strategies = [s for s in args.strategies.split(",") if s]
    tables = []
    for cloud in clouds(args):
        title = (f"{cloud.scenario['name']}: {len(cloud.vm_names)} servers, "
                 f"{len(cloud.host_names)} hosts")
        progress(f"{title}: built")
        results = run_cloud(cloud, strategies, progress, args.apply)
        strategies = [s for s in strategies if s in {r.strategy for r in results}]
        tables.append(format_table(title, results))
        print(tables[-1] + "\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
