"""Run watcher-tempest-plugin's scenario tests against the simulator and our services.

    python tools/run_tempest.py [--regex REGEX] [--workspace DIR]

1. The simulator serves ``etc/tempest/simulator-cloud.yaml`` (an empty three-host cloud).
2. Embedded mode runs watcher-api, the decision engine and the applier against it; the
   API's endpoint is added to the simulated Keystone catalog as ``infra-optim``.
3. tempest and watcher-tempest-plugin (from the package index, in a virtualenv cached under
   ``tmp/.cache``) run with ``etc/tempest/tempest.conf.template`` filled in.

The exit status is tempest's. See doc/source/contributor/tempest.rst.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

TEMPEST = ["tempest==47.0.0", "watcher-tempest-plugin==3.9.0"]
SCENARIOS = "watcher_tempest_plugin.tests.scenario"
# The boot-from-volume variants (classes ending in BfV) repeat these tests on volumes: left
# to full runs, so CI stays at about two minutes.
CI_REGEX = (SCENARIOS + r"\.(test_execute_dummy_optim|test_execute_host_maintenance|"
            r"test_execute_node_resource_consolidation|test_execute_workload_balance)"
            r"\.(?!\w*BfV\.)")
TEMPLATES = os.path.join(ROOT, "etc", "tempest")
# The plugin writes the CPU and RAM readings the balancing strategies act on into this
# datasource before each audit, and Watcher reads them back from it.
DATASOURCE = "gnocchi"


def write_workspace(workspace: str, tempest_bin: str, sim, datasource: str = "") -> str:
    """``tempest init`` a workspace and write its tempest.conf and accounts.yaml."""
    if not os.path.exists(os.path.join(workspace, ".stestr.conf")):
        # tempest registers workspaces by name; one per directory keeps names unique.
        name = "watcher-" + hashlib.sha1(workspace.encode()).hexdigest()[:10]
        subprocess.run([tempest_bin, "init", "--name", name, workspace], check=True,
                       capture_output=True)
    accounts = os.path.join(workspace, "etc", "accounts.yaml")
    with open(os.path.join(TEMPLATES, "accounts.yaml.template")) as source, \
            open(accounts, "w") as target:
        target.write(source.read())
    tenant = sim.state.tenant
    public = next(n for n in tenant.networks.values() if n.external)
    values = {"accounts_file": accounts, "auth_url": sim.auth_url,
              "image_id": next(iter(tenant.images)), "public_network_id": public.id,
              "datasource": datasource, "max_microversion": max_microversion(),
              "lock_path": os.path.join(workspace, "lock")}
    # Account locks of an earlier run of this workspace that was killed hold nothing now.
    shutil.rmtree(values["lock_path"], ignore_errors=True)
    conf = os.path.join(workspace, "etc", "tempest.conf")
    with open(os.path.join(TEMPLATES, "tempest.conf.template")) as source, \
            open(conf, "w") as target:
        target.write(source.read().format(**values))
    return conf


def max_microversion() -> str:
    from watcher.api.controllers.v1 import versions

    return versions.MAX_VERSION_STRING


def bus_url() -> str | None:
    """The local RabbitMQ when one listens: the simulator's notifications then reach the
    decision engine, as Nova's do on a devstack."""
    from watcher.tests import servers

    if servers.is_listening(*servers.SERVERS["rabbitmq"]):
        return servers.rabbit_url(*servers.SERVERS["rabbitmq"])
    return None


def use_private_bus(suffix: str) -> dict[str, str]:
    """Exchanges, topics and queues of this run's own on a shared broker (a test run may be
    using the same one). Returns the simulator's notification exchanges."""
    from watcher.conf import CONF

    nova, cinder = f"nova-{suffix}", f"openstack-{suffix}"
    CONF.set_override("host", f"tempest-{suffix}")
    CONF.set_override("control_exchange", f"watcher-tempest-{suffix}")
    # Queues are named after topics whatever the exchange: the topics must be private too.
    for group in ("watcher_decision_engine", "watcher_applier"):
        CONF.set_override("conductor_topic", f"{CONF[group].conductor_topic}.{suffix}",
                          group=group)
    CONF.set_override("notification_topics",
                      [f"{nova}.versioned_notifications", f"{cinder}.notifications"],
                      group="watcher_decision_engine")
    # Nothing reads Watcher's own notifications in a tempest run, and a publisher's queue
    # with no consumer would outlive it, full.
    CONF.set_override("driver", ["noop"], group="oslo_messaging_notifications")
    return {"nova_exchange": nova, "cinder_exchange": cinder}


def delete_private_queues(url: str) -> None:
    """The run's durable queues: its notification pool and its services' RPC topics."""
    from watcher.conf import CONF
    from watcher.tests import servers

    servers.delete_queues(url, [CONF.host] + servers.rpc_queues(CONF))


def run(regex: str, workspace: str, concurrency: int = 1) -> int:
    from watcher.cmd import embedded
    from watcher.cmd.demo import point_clients_at
    from watcher.common import config
    from watcher.conf import CONF
    from watcher.simulator.runner import Simulator
    from watcher.tests.fixtures.venvs import cached_venv

    tempest_bin = os.path.join(cached_venv("tempest", TEMPEST), "bin", "tempest")
    config.parse_args([])
    url = bus_url()
    exchanges = use_private_bus(uuid.uuid4().hex[:8]) if url else None
    # With notifications, rebuilds only refresh what they do not carry (a server's pinned
    # availability zone, which the extended-attributes test waits up to 300 s for); the
    # plugin's upstream job rebuilds every 120 s. Without them, rebuilds are all the model
    # has: the plugin audits as soon as its new server is in the model, and one rebuilt while
    # the server was still building shows it unmovable; every second made that more likely
    # (servers entered the model while building), so 5.
    period = 60 if url else 5
    if url is None:
        print("[tempest] no RabbitMQ: the model follows the cloud by rebuilds every 5 s "
              "instead of notifications", flush=True)
    for name in ("compute", "storage"):
        CONF.set_override("period", period,
                          group=f"watcher_cluster_data_model_collectors.{name}")
    with Simulator.from_scenario(os.path.join(TEMPLATES, "simulator-cloud.yaml"),
                                 transport_url=url, notification_exchanges=exchanges) as sim:
        point_clients_at(sim)
        CONF.set_override("datasources", [DATASOURCE], group="watcher_datasources")
        # run_extended_attributes_tests: flavor extra specs and, from Nova 2.96, the pinned
        # availability zone in the compute model.
        CONF.set_override("enable_extended_attributes", True, group="compute_model")
        CONF.set_override("api_version", "2.96", group="nova")
        # One migration at a time: the actuator test gives one server a live and a cold
        # migration in one plan, and Nova refuses the second while the first runs (409).
        group = "watcher_planners.weight"
        CONF.set_override("parallelization", dict(CONF[group].parallelization, migrate=1),
                          group=group)
        try:
            with embedded.Embedded(transport_url=url or "fake://") as watcher:
                sim.register_endpoint("infra-optim", "watcher", watcher.api_url)
                write_workspace(workspace, tempest_bin, sim, DATASOURCE)
                command = [tempest_bin, "run", "--regex", regex, "--concurrency",
                           str(concurrency)]
                return subprocess.run(command, cwd=workspace).returncode
        finally:
            if url:
                delete_private_queues(url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regex", default=SCENARIOS,
                        help="tests to run (default: the whole scenario suite)")
    parser.add_argument("--ci", action="store_true",
                        help="only the dummy, host_maintenance, node_resource_consolidation "
                             "and workload_balance scenarios")
    parser.add_argument("--workspace", default=os.path.join(ROOT, "tmp", "tempest"))
    args = parser.parse_args(argv)
    return run(CI_REGEX if args.ci else args.regex, os.path.abspath(args.workspace))


if __name__ == "__main__":
    sys.exit(main())
