"""The demo: a simulated cloud, every watcher service in one process, one consolidation audit
through the REST API, its action plan applied, and the cloud before and after.

1. The simulator serves a generated cloud (40 hypervisors, 400 servers by default) whose
   servers replay PlanetLab CPU traces: a few hosts are crowded past their physical cores,
   many are nearly idle. Watcher's clients log in to it as its admin and read its metrics
   from its Prometheus.
2. Embedded mode starts the API, the decision engine and the applier (SQLite, in-process
   bus).
3. The demo creates the audit through the REST API, prints the plan, starts it with
   progress shown, then prints before and after (active hosts, per-host CPU and RAM bars,
   each host's fullest allocation, overloaded hosts, migrations, a lower bound on the hosts
   needed, the time taken) and writes the same as a PNG chart and an HTML page.

``--strategy`` picks the consolidation strategy; ``--strategy host_maintenance
--maintenance-node NODE`` evacuates and disables one hypervisor instead. ``--scenario FILE``
runs on a scenario file (such as ``watcher/simulator/scenarios/small.yaml``) instead of the
generated cloud. ``--keep-running`` leaves the services up and prints commands to try.

    python -m watcher.cmd.demo [--strategy ...] [--keep-running] [--output-dir DIR]
                               [--db FILE] [--debug]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from keystoneauth1 import loading as ks_loading

from watcher import simulator
from watcher.cmd import demo_cloud, demo_report, embedded
from watcher.common import config
from watcher.conf import CONF

HEADERS = {"Content-Type": "application/json", "OpenStack-API-Version": "infra-optim 1.5"}
SMALL_SCENARIO = os.path.join(os.path.dirname(simulator.__file__), "scenarios", "small.yaml")
FINAL_AUDIT_STATES = {"SUCCEEDED", "FAILED", "CANCELLED", "SUSPENDED"}
FINAL_PLAN_STATES = {"SUCCEEDED", "FAILED", "CANCELLED", "SUPERSEDED"}
DEFAULT_STRATEGY = "packing_consolidation"
# Actions of one kind the applier runs at once (the weight planner's defaults are 2 for
# migrations and 1 for service changes, the workflow engine's one worker per CPU).
IN_PARALLEL = 6
PLAN_LINES = 12  # actions printed in full; the rest are counted
COUNT_INTERVAL = 2.0  # seconds between two counts of a running plan's actions


class DemoError(Exception):
    """A step of the demo went wrong; the message says which."""


@dataclasses.dataclass
class Scenario:
    """What the demo audits."""

    goal: str = "server_consolidation"
    strategy: str = DEFAULT_STRATEGY
    parameters: dict = dataclasses.field(default_factory=dict)
    # A scenario file, or None for the generated PlanetLab cloud.
    cloud: str | None = None
    # Keep servers of server groups out of the audit (their policy is unknown to strategies).
    exclude_grouped_servers: bool = True


class Client:
    """The watcher REST API, as any HTTP client sees it."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.base_url + path, data=data, method=method, headers=HEADERS
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                text = response.read()
        except urllib.error.HTTPError as exc:
            raise DemoError(f"{method} {path}: {exc.code} {exc.read().decode()}") from exc
        return json.loads(text) if text else {}

    def wait(
        self,
        path: str,
        key: str,
        done: set,
        timeout: float = 60,
        on_poll: Callable[[dict], None] | None = None,
        interval: float = 0.2,
    ) -> dict:
        """Poll ``path`` until its ``key`` is one of ``done``; ``on_poll`` sees every read."""
        deadline = time.monotonic() + timeout
        while True:
            item = self.request("GET", path)
            if on_poll is not None:
                on_poll(item)
            if item[key] in done:
                return item
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path} did not reach {sorted(done)} in {timeout} s")
            time.sleep(interval)


class Progress:
    """Elapsed-time prefixed lines, each state printed once when it changes."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.seen: dict[str, str] = {}

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def line(self, text: str) -> None:
        print(f"  [{self.elapsed:5.1f}s] {text}", flush=True)

    def changed(self, key: str, value: str, text: str) -> None:
        if self.seen.get(key) != value:
            self.seen[key] = value
            self.line(text)


def grouped_servers_scope(conn) -> tuple[list, list[str]]:
    """An audit scope excluding the members of (anti-)affinity groups, and ``name on host``
    for each: their hosts stay active whatever the plan."""
    members = [m for g in conn.compute.server_groups(all_projects=True) for m in g.member_ids]
    if not members:
        return [], []
    names = sorted(f"{server.name} on {server.compute_host}"
                   for server in map(conn.compute.get_server, members))
    scope = [{"compute": [{"exclude": [{"instances": [{"uuid": m} for m in members]}]}]}]
    return scope, names


def check_after(actions: list[dict], after: demo_cloud.Snapshot) -> list[str]:
    """What the cloud should show after the plan (``actions`` in run order) but does not."""
    problems = []
    service_states = {}
    for action in actions:
        parameters = action["input_parameters"]
        if action["action_type"] == "migrate":
            host = after.where.get(parameters["resource_id"])
            wanted = parameters.get("destination_node")
            if host == parameters["source_node"] or (wanted and host != wanted):
                problems.append(
                    f"{parameters['resource_name']} is on {host}, expected "
                    f"{wanted or 'any host but ' + parameters['source_node']}"
                )
        elif action["action_type"] == "change_nova_service_state":
            # A host disabled for the duration of the plan is enabled again by a later action.
            service_states[parameters.get("resource_name")] = parameters["state"]
    for name, state in service_states.items():
        if name in after.hosts and after.hosts[name].status != state:
            problems.append(f"{name} is {after.hosts[name].status}, expected {state}")
    return problems


# -- the audit and its plan, through the watcher API ----------------------------------------


def wait_audit(client: Client, uuid: str, progress: Progress, timeout: float) -> dict:
    return client.wait(
        f"/v1/audits/{uuid}",
        "state",
        FINAL_AUDIT_STATES,
        timeout,
        lambda audit: progress.changed("audit", audit["state"], f"audit {audit['state']}"),
    )


def plan_actions(client: Client, plan_uuid: str) -> list[dict]:
    """The plan's actions, parents before children (the order they can run in)."""
    actions = client.request("GET", f"/v1/actions/detail?action_plan_uuid={plan_uuid}&limit=1000")
    pending = {a["uuid"]: a for a in actions["actions"]}
    ordered: list[dict] = []
    done: set[str] = set()
    while pending:
        ready = [a for a in pending.values() if set(a["parents"]) <= done]
        if not ready:
            raise RuntimeError(f"action plan {plan_uuid} has a cycle")
        for action in ready:
            ordered.append(action)
            done.add(action["uuid"])
            del pending[action["uuid"]]
    return ordered


def describe(action: dict) -> str:
    parameters = action["input_parameters"]
    if action["action_type"] == "migrate":
        target = parameters.get("destination_node") or "(Nova scheduler's choice)"
        return (
            f"migrate {parameters.get('resource_name')} {parameters['source_node']} -> {target}"
            f" ({parameters['migration_type']})"
        )
    if action["action_type"] == "change_nova_service_state":
        reason = parameters.get("disabled_reason")
        return f"{parameters['state'][:-1]} nova-compute on {parameters.get('resource_name')}" + (
            f" ({reason})" if reason else ""
        )
    if action["action_type"] == "stop":
        return f"stop {parameters['resource_id']}"
    return f"{action['action_type']} {json.dumps(parameters, sort_keys=True)}"


def print_plan(plan: dict, actions: list[dict]) -> None:
    print(f"\nAction plan {plan['uuid']} ({plan['state']})")
    for row in plan.get("efficacy_indicators") or []:
        print(f"  indicator {row['name']}: {row['value']:g}")
    for row in plan.get("global_efficacy") or []:
        print(f"  global efficacy {row['name']}: {row['value']:g}{row['unit'] or ''}")
    kinds: dict[str, int] = {}
    for action in actions:
        kinds[action["action_type"]] = kinds.get(action["action_type"], 0) + 1
    print("  " + ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items())))
    number = {a["uuid"]: i + 1 for i, a in enumerate(actions)}
    for action in actions[:PLAN_LINES]:
        after = ", ".join(f"#{number[p]}" for p in action["parents"][:3])
        more = "..." if len(action["parents"]) > 3 else ""
        print(
            f"  #{number[action['uuid']]:<3} {describe(action)}"
            + (f"  after {after}{more}" if after else "")
        )
    if len(actions) > PLAN_LINES:
        print(f"  ... and {len(actions) - PLAN_LINES} more")


def run_plan(client: Client, plan_uuid: str, progress: Progress, timeout: float) -> dict:
    """Start the plan; one line per plan state and whenever the action counts change."""
    total = len(plan_actions(client, plan_uuid))
    counted = [-COUNT_INTERVAL]  # when the actions were last counted

    def show(plan: dict) -> None:
        progress.changed("plan", plan["state"], f"action plan {plan['state']}")
        if (plan["state"] not in FINAL_PLAN_STATES
                and progress.elapsed - counted[0] < COUNT_INTERVAL):
            return
        counted[0] = progress.elapsed
        states: dict[str, int] = {}
        for action in client.request(
                "GET", f"/v1/actions?action_plan_uuid={plan_uuid}&limit=1000")["actions"]:
            states[action["state"]] = states.get(action["state"], 0) + 1
        done = states.get("SUCCEEDED", 0)
        counts = ", ".join(f"{n} {s.lower()}" for s, n in sorted(states.items())
                           if s != "SUCCEEDED")
        progress.changed("actions", json.dumps(states, sort_keys=True),
                         f"{demo_report.bar(done / total if total else 1)} {done}/{total} "
                         f"actions done" + (f" ({counts})" if counts else ""))

    client.request("POST", f"/v1/action_plans/{plan_uuid}/start")
    # The API shares this process with the applier: reading the plan is cheap, listing its
    # actions is not, so they are counted only every COUNT_INTERVAL.
    return client.wait(f"/v1/action_plans/{plan_uuid}", "state", FINAL_PLAN_STATES, timeout, show,
                       interval=0.5)


def print_cloud(title: str, snap: demo_cloud.Snapshot) -> None:
    overcommitted = [h.name for h in snap.hosts.values() if h.overcommitted]
    print(f"\n{title}: {len(snap.hosts)} hypervisors, {len(snap.where)} servers, "
          f"{snap.active_hosts} active hosts, {len(overcommitted)} with more vCPUs than cores, "
          f"{len(snap.overloaded)} overloaded (lower bound {snap.lower_bound()} hosts)")
    for name, reasons in sorted(snap.overloaded.items()):
        print(f"  overloaded: {name}: {', '.join(reasons)}")


def run(client: Client, conn, sim, scenario: Scenario, output_dir: str,
        timeout: float = 150) -> int:
    before = demo_cloud.snapshot(conn, sim)
    print_cloud("Cloud before", before)

    # The scope of an audit comes from its audit template.
    template = {"name": "demo", "goal": scenario.goal, "strategy": scenario.strategy}
    if scenario.exclude_grouped_servers:
        template["scope"], names = grouped_servers_scope(conn)
        if names:
            print(f"\nLeft out of the audit (server group members, their hosts stay active): "
                  f"{', '.join(names)}")
    template = client.request("POST", "/v1/audit_templates", template)
    body = {
        "audit_type": "ONESHOT",
        "audit_template_uuid": template["uuid"],
        "parameters": scenario.parameters,
    }
    audit = client.request("POST", "/v1/audits", body)
    print(f"\nAudit {audit['uuid']} ({scenario.goal} / {scenario.strategy}, {scenario.parameters})")
    progress = Progress()
    audit = wait_audit(client, audit["uuid"], progress, timeout)
    seconds = {"audit": progress.elapsed}
    if audit["state"] != "SUCCEEDED":
        print(f"Audit {audit['state']}: {audit.get('status_message')}")
        return 1
    plans = client.request("GET", f"/v1/action_plans?audit_uuid={audit['uuid']}")["action_plans"]
    if not plans:
        print("The audit produced no action plan")
        return 1
    plan = client.request("GET", f"/v1/action_plans/{plans[0]['uuid']}")
    actions = plan_actions(client, plan["uuid"])
    print_plan(plan, actions)
    if plan["state"] != "RECOMMENDED":
        print(f"Nothing to apply: the plan is {plan['state']}")
        return 0 if plan["state"] == "SUCCEEDED" else 1

    print(f"\nStarting action plan {plan['uuid']}")
    progress = Progress()
    plan = run_plan(client, plan["uuid"], progress, timeout)
    seconds["plan"] = progress.elapsed

    after = demo_cloud.snapshot(conn, sim)
    outcome = demo_report.Outcome(
        strategy=scenario.strategy, before=before, after=after,
        migrations=sum(a["action_type"] == "migrate" for a in actions), seconds=seconds,
        indicators={row["name"]: row["value"] for row in plan.get("efficacy_indicators") or []})
    print("\nPer host, busiest first (CPU: measured over physical cores; RAM: measured over "
          "allocatable):")
    print(demo_report.text_chart(outcome))
    print_cloud("\nCloud after", after)
    print(f"\n  {'':<26}{'before':>8}{'after':>8}")
    for what, old, new in outcome.summary():
        print(f"  {what:<26}{old:>8}{new:>8}")
    print(f"  migrations: {outcome.migrations}; audit {seconds['audit']:.1f} s, "
          f"plan {seconds['plan']:.1f} s")
    png, page = demo_report.write_files(outcome, output_dir)
    print(f"\nChart: {png}\nPage:  {page}")

    problems = check_after(actions, after)
    for problem in problems:
        print(f"  MISMATCH: {problem}")
    if plan["state"] != "SUCCEEDED" or problems:
        print(f"\nDemo failed: action plan {plan['state']}")
        return 1
    if after.overloaded:
        print(f"\nDemo failed: {len(after.overloaded)} hosts overloaded after the plan")
        return 1
    print("\nDemo done: the cloud matches the action plan.")
    return 0


def point_clients_at(sim) -> None:
    """[watcher_clients_auth] logs in to the simulator as its admin, metrics come from its
    Prometheus; Nova polls are short and migrations run several at a time."""
    group = "watcher_clients_auth"
    CONF.register_opts(ks_loading.get_auth_plugin_conf_options("password"), group=group)
    CONF.set_override("auth_type", "password", group=group)
    for name, value in sim.admin_credentials.items():
        CONF.set_override(name, value, group=group)
    address = urllib.parse.urlparse(sim.service_url("prometheus"))
    CONF.set_override("host", address.hostname, group="prometheus_client")
    CONF.set_override("port", address.port, group="prometheus_client")
    CONF.set_override("datasources", ["prometheus"], group="watcher_datasources")
    CONF.set_override("collector_plugins", ["compute"], group="collector")
    # The simulated clock may run fast; production's 5 s poll would dominate the demo.
    CONF.set_override("migration_interval", 0.1, group="nova")
    parallel = dict(CONF["watcher_planners.weight"].parallelization, migrate=IN_PARALLEL,
                    change_nova_service_state=IN_PARALLEL)
    CONF.set_override("parallelization", parallel, group="watcher_planners.weight")
    CONF.set_override("max_workers", IN_PARALLEL, group="watcher_workflow_engines.taskflow")


def try_next(api_url: str, clouds_yaml: str) -> str:
    endpoint = f"--os-auth-type none --os-endpoint {api_url}"
    return "\n".join([
        "\nThe services keep running (Ctrl-C stops them). Try, with python-openstackclient and",
        "python-watcherclient installed:",
        f"  openstack {endpoint} optimize goal list",
        f"  openstack {endpoint} optimize strategy list --goal server_consolidation",
        f"  openstack {endpoint} optimize audit list",
        f"  openstack {endpoint} optimize actionplan list",
        f"  openstack {endpoint} optimize audit create -g server_consolidation "
        "-s node_resource_consolidation",
        "and the simulated cloud itself:",
        f"  OS_CLIENT_CONFIG_FILE={clouds_yaml} openstack --os-cloud watcher-demo "
        "hypervisor list",
    ])


def parse(argv: list[str]) -> tuple[Scenario, argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strategy", default=DEFAULT_STRATEGY,
                        help=f"consolidation strategy, or host_maintenance "
                        f"(default {DEFAULT_STRATEGY})")
    parser.add_argument("--host-choice", choices=["specify", "auto"], default="specify",
                        help="node_resource_consolidation's host_choice")
    parser.add_argument("--maintenance-node", default="compute-00001",
                        help="host_maintenance's node")
    parser.add_argument("--backup-node")
    parser.add_argument("--scenario", help="simulator scenario file instead of the generated "
                        f"cloud (for example {SMALL_SCENARIO})")
    parser.add_argument("--hypervisors", type=int, default=40)
    parser.add_argument("--servers", type=int, default=400)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--output-dir", default=os.path.join("tmp", "demo"),
                        help="where the chart and the page go (default tmp/demo)")
    parser.add_argument("--keep-running", action="store_true",
                        help="leave the services up afterwards, until Ctrl-C")
    parser.add_argument("--db", help="keep the services' SQLite database in this file "
                        "(default: a temporary one, removed at the end)")
    args, rest = parser.parse_known_args(argv)
    if args.strategy == "host_maintenance":
        parameters = {"maintenance_node": args.maintenance_node}
        if args.backup_node:
            parameters["backup_node"] = args.backup_node
        # Every server of the node must leave; the Nova scheduler keeps group policies.
        scenario = Scenario("cluster_maintaining", args.strategy, parameters, args.scenario,
                            False)
    else:
        parameters = ({"host_choice": args.host_choice}
                      if args.strategy == "node_resource_consolidation" else {})
        scenario = Scenario(strategy=args.strategy, parameters=parameters, cloud=args.scenario)
    return scenario, args, rest


def wait_for_ctrl_c() -> None:
    while True:
        time.sleep(3600)


def main(argv: list[str] | None = None) -> int:
    try:
        return demo(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        print("Interrupted: everything the demo started is stopped.", flush=True)
        return 130


def demo(argv: list[str]) -> int:
    import openstack

    from watcher.simulator.runner import Simulator

    scenario, args, rest = parse(argv)
    config.parse_args(rest)
    if not CONF.debug:
        # The demo's own lines tell the story; service logs only when something goes wrong.
        logging.getLogger().setLevel(logging.WARNING)
    started = time.monotonic()
    try:
        cloud = scenario.cloud or demo_cloud.demo_scenario(args.hypervisors, args.servers,
                                                           args.seed)
    except FileNotFoundError as exc:
        print(f"Demo failed: {exc}")
        return 1
    with Simulator.from_scenario(cloud) as sim:
        if scenario.cloud is None:
            sim.clock.advance(demo_cloud.HISTORY)
        source = scenario.cloud or f"generated, PlanetLab CPU traces ({demo_cloud.TRACE})"
        print(f"Simulated cloud: Keystone {sim.auth_url} ({source})")
        point_clients_at(sim)
        conn = openstack.connect(**sim.clouds_yaml_entry)
        with embedded.Embedded(db_path=args.db) as watcher:
            print(f"Embedded watcher: API {watcher.api_url}, database {watcher.db_path}")
            try:
                rc = run(Client(watcher.api_url), conn, sim, scenario, args.output_dir)
            except (DemoError, TimeoutError) as exc:
                print(f"\nDemo failed: {exc}")
                rc = 1
            except KeyboardInterrupt:
                # Stopping takes a few seconds: the applier aborts the running actions and
                # cancels the plan first.
                print("\nCtrl-C: stopping the services (an action plan still running ends "
                      "CANCELLED)...", flush=True)
                raise
            print(f"Total: {time.monotonic() - started:.1f} s")
            if args.keep_running:
                clouds_yaml = os.path.abspath(os.path.join(args.output_dir, "clouds.yaml"))
                sim.write_clouds_yaml(clouds_yaml, "watcher-demo")
                print(try_next(watcher.api_url, clouds_yaml), flush=True)
                try:
                    wait_for_ctrl_c()
                except KeyboardInterrupt:
                    # The way --keep-running ends: the demo's result stands.
                    print("\nStopping the services and the simulated cloud...", flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
