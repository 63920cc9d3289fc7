"""The demo: a simulated cloud, every watcher service in one process, one audit through the
REST API, its action plan applied to the cloud.

1. The simulator serves the small scenario shipped with watcher (four hypervisors, a few
   servers) on loopback; watcher's clients log in to it as the scenario's admin.
2. Embedded mode starts the API, the decision engine (whose collector reads the cloud) and
   the applier.
3. The demo prints the cloud, creates an audit, prints the recommended plan, starts it,
   and prints the cloud again as the real client API reports it.

By default the audit consolidates servers (``node_resource_consolidation``, destinations
named by the strategy); servers in (anti-)affinity server groups are excluded from the audit
scope, since the strategy does not know group policies. ``--strategy host_maintenance
--maintenance-node compute-1`` evacuates and disables one hypervisor instead.

    python -m watcher.cmd.demo [--strategy ...] [--debug]
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
import urllib.request
from collections.abc import Callable

from keystoneauth1 import loading as ks_loading

from watcher import simulator
from watcher.cmd import embedded
from watcher.common import config
from watcher.conf import CONF

HEADERS = {"Content-Type": "application/json", "OpenStack-API-Version": "infra-optim 1.5"}
SMALL_SCENARIO = os.path.join(os.path.dirname(simulator.__file__), "scenarios", "small.yaml")
FINAL_AUDIT_STATES = {"SUCCEEDED", "FAILED", "CANCELLED", "SUSPENDED"}
FINAL_PLAN_STATES = {"SUCCEEDED", "FAILED", "CANCELLED", "SUPERSEDED"}


class DemoError(Exception):
    """A step of the demo went wrong; the message says which."""


@dataclasses.dataclass
class Scenario:
    """What the demo audits."""

    goal: str = "server_consolidation"
    strategy: str = "node_resource_consolidation"
    parameters: dict = dataclasses.field(default_factory=lambda: {"host_choice": "specify"})
    cloud: str = SMALL_SCENARIO
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
            time.sleep(0.2)


class Progress:
    """Elapsed-time prefixed lines, each state printed once when it changes."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.seen: dict[str, str] = {}

    def line(self, text: str) -> None:
        print(f"  [{time.monotonic() - self.started:5.1f}s] {text}", flush=True)

    def changed(self, key: str, value: str, text: str) -> None:
        if self.seen.get(key) != value:
            self.seen[key] = value
            self.line(text)


# -- the cloud, read through the real client API -------------------------------------------


@dataclasses.dataclass
class Host:
    name: str
    status: str
    disabled_reason: str | None
    vcpu_capacity: float
    servers: dict[str, int]  # server name -> vCPUs

    @property
    def vcpu_used(self) -> int:
        return sum(self.servers.values())


def read_cloud(conn) -> tuple[dict[str, Host], dict[str, str]]:
    """Hosts by name, and the host of each server (by server id), as Nova and Placement say."""
    hosts = {}
    for service in conn.compute.services(binary="nova-compute"):
        hosts[service.host] = Host(service.host, service.status, service.disabled_reason, 0, {})
    for provider in conn.placement.resource_providers():
        if provider.name in hosts:
            for inventory in conn.placement.resource_provider_inventories(provider):
                if inventory.resource_class == "VCPU":
                    hosts[provider.name].vcpu_capacity = (
                        inventory.total - inventory.reserved
                    ) * inventory.allocation_ratio
    where = {}
    for server in conn.compute.servers(details=True, all_projects=True):
        where[server.id] = server.compute_host
        if server.compute_host in hosts:
            hosts[server.compute_host].servers[server.name] = server.flavor.vcpus
    return hosts, where


def print_cloud(title: str, hosts: dict[str, Host]) -> None:
    print(f"\n{title}")
    print(f"  {'host':<12} {'service':<28} {'vCPU used/cap':>14}  servers")
    for host in sorted(hosts.values(), key=lambda h: h.name):
        service = host.status + (f" ({host.disabled_reason})" if host.disabled_reason else "")
        vcpus = f"{host.vcpu_used}/{host.vcpu_capacity:g}"
        servers = ", ".join(sorted(host.servers)) or "-"
        print(f"  {host.name:<12} {service:<28} {vcpus:>14}  {servers}")


def grouped_servers_scope(conn) -> tuple[list, list[str]]:
    """An audit scope excluding the members of (anti-)affinity groups, and their names."""
    members = [m for g in conn.compute.server_groups(all_projects=True) for m in g.member_ids]
    if not members:
        return [], []
    names = sorted(conn.compute.get_server(m).name for m in members)
    scope = [{"compute": [{"exclude": [{"instances": [{"uuid": m} for m in members]}]}]}]
    return scope, names


def check_after(actions: list[dict], hosts: dict[str, Host], where: dict[str, str]) -> list[str]:
    """What the cloud should show after the plan (``actions`` in run order) but does not."""
    problems = []
    service_states = {}
    for action in actions:
        parameters = action["input_parameters"]
        if action["action_type"] == "migrate":
            host = where.get(parameters["resource_id"])
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
        if name in hosts and hosts[name].status != state:
            problems.append(f"{name} is {hosts[name].status}, expected {state}")
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
    number = {a["uuid"]: i + 1 for i, a in enumerate(actions)}
    for action in actions:
        after = ", ".join(f"#{number[p]}" for p in action["parents"])
        print(
            f"  #{number[action['uuid']]:<3} {describe(action)}"
            + (f"  after {after}" if after else "")
        )


def run_plan(client: Client, plan_uuid: str, progress: Progress, timeout: float) -> dict:
    def show(plan: dict) -> None:
        progress.changed("plan", plan["state"], f"action plan {plan['state']}")
        for action in plan_actions(client, plan_uuid):
            line = f"{action['state']:<10} {describe(action)}"
            progress.changed(action["uuid"], action["state"], line)

    client.request("POST", f"/v1/action_plans/{plan_uuid}/start")
    return client.wait(f"/v1/action_plans/{plan_uuid}", "state", FINAL_PLAN_STATES, timeout, show)


def run(client: Client, conn, scenario: Scenario, timeout: float = 40) -> int:
    hosts, _ = read_cloud(conn)
    print_cloud("Cloud before", hosts)

    # The scope of an audit comes from its audit template.
    template = {"name": "demo", "goal": scenario.goal, "strategy": scenario.strategy}
    if scenario.exclude_grouped_servers:
        template["scope"], names = grouped_servers_scope(conn)
        if names:
            print(f"\nLeft out of the audit (server group members): {', '.join(names)}")
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
    plan = run_plan(client, plan["uuid"], Progress(), timeout)

    hosts, where = read_cloud(conn)
    print_cloud("Cloud after", hosts)
    problems = check_after(actions, hosts, where)
    for problem in problems:
        print(f"  MISMATCH: {problem}")
    if plan["state"] != "SUCCEEDED" or problems:
        print(f"\nDemo failed: action plan {plan['state']}")
        return 1
    print("\nDemo done: the cloud matches the action plan.")
    return 0


def point_clients_at(sim) -> None:
    """[watcher_clients_auth] logs in to the simulator as its admin; Nova polls are short."""
    group = "watcher_clients_auth"
    CONF.register_opts(ks_loading.get_auth_plugin_conf_options("password"), group=group)
    CONF.set_override("auth_type", "password", group=group)
    for name, value in sim.admin_credentials.items():
        CONF.set_override(name, value, group=group)
    # The simulated clock runs fast; production's 5 s poll would dominate the demo.
    CONF.set_override("migration_interval", 0.2, group="nova")


def parse(argv: list[str]) -> tuple[Scenario, list[str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--strategy",
        choices=["node_resource_consolidation", "host_maintenance"],
        default="node_resource_consolidation",
    )
    parser.add_argument("--host-choice", choices=["specify", "auto"], default="specify")
    parser.add_argument("--maintenance-node", default="compute-1")
    parser.add_argument("--backup-node")
    parser.add_argument("--scenario", default=SMALL_SCENARIO, help="simulator scenario file")
    args, rest = parser.parse_known_args(argv)
    if args.strategy == "host_maintenance":
        parameters = {"maintenance_node": args.maintenance_node}
        if args.backup_node:
            parameters["backup_node"] = args.backup_node
        # Every server of the node must leave; the Nova scheduler keeps group policies.
        scenario = Scenario("cluster_maintaining", args.strategy, parameters, args.scenario, False)
    else:
        scenario = Scenario(parameters={"host_choice": args.host_choice}, cloud=args.scenario)
    return scenario, rest


def main(argv: list[str] | None = None) -> int:
    import openstack

    from watcher.simulator.runner import Simulator

    scenario, rest = parse(sys.argv[1:] if argv is None else argv)
    config.parse_args(rest)
    if not CONF.debug:
        # The demo's own lines tell the story; service logs only when something goes wrong.
        logging.getLogger().setLevel(logging.WARNING)
    with Simulator.from_scenario(scenario.cloud) as sim:
        print(f"Simulated cloud: Keystone {sim.auth_url} (scenario {scenario.cloud})")
        point_clients_at(sim)
        conn = openstack.connect(**sim.clouds_yaml_entry)
        with embedded.Embedded() as watcher:
            print(f"Embedded watcher: API {watcher.api_url}, database {watcher.db_path}")
            try:
                return run(Client(watcher.api_url), conn, scenario)
            except (DemoError, TimeoutError) as exc:
                print(f"\nDemo failed: {exc}")
                return 1


if __name__ == "__main__":
    sys.exit(main())
