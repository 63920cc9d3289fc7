"""A simulated cloud whose metric series are constant, and an embedded watcher (API, decision
engine, applier; SQLite, in-process bus) reading it: Nova and Placement through
[watcher_clients_auth], metrics from the simulator's Prometheus."""

from __future__ import annotations

import time
import urllib.parse

import pytest
from oslo_config import fixture as cfg_fixture

from watcher.cmd import demo, embedded
from watcher.conf import CONF
from watcher.simulator.runner import Simulator
from watcher.tests.fixtures.cloud import point_clients_at
from watcher.tests.integration.embedded import flow

APPS = [
    "watcher.simulator.apps.keystone:KeystoneApp",
    "watcher.simulator.apps.nova:NovaApp",
    "watcher.simulator.apps.placement:PlacementApp",
    "watcher.simulator.apps.prometheus:PrometheusApp",
    "watcher.simulator.apps.gnocchi:GnocchiApp",
]


# Seconds of metric history before the audits run.
HISTORY = 7200


def scenario(hypervisors: list[dict], servers: list[dict], metrics: dict,
             speed: float = 1) -> dict:
    """A cloud whose clock starts ``HISTORY`` seconds ago; once moved forward by as much it
    reads the wall time, so the datasource's queries (at wall time) fall in its history."""
    return {
        "name": "strategies",
        # Faster than wall time, the simulated clock stays ahead of the queries' wall time,
        # still inside the history.
        "clock": {"start": time.time() - HISTORY, "speed": speed},
        "identity": {
            "projects": [{"name": "admin"}],
            "users": [{"name": "admin", "password": "pw", "project": "admin",
                       "roles": ["admin"]}],
        },
        "compute": {
            "hypervisors": hypervisors,
            "flavors": [
                {"name": "m1", "vcpus": 2, "ram": 2048, "disk": 20},
                {"name": "m2", "vcpus": 4, "ram": 4096, "disk": 40},
            ],
            "servers": servers,
        },
        "metrics": metrics,
    }


class Cloud:
    """The simulator and the watcher API client of one test."""

    def __init__(self, sim: Simulator, client: demo.Client, conf: cfg_fixture.Config) -> None:
        self.sim = sim
        self.client = client
        self.conf = conf

    def audit(self, goal: str, strategy: str, parameters: dict | None = None,
              timeout: float = 60) -> tuple[dict, list[dict]]:
        """Run a one-shot audit; returns its action plan and the plan's actions."""
        audit = self.client.request("POST", "/v1/audits", {
            "audit_type": "ONESHOT", "goal": goal, "strategy": strategy,
            "parameters": parameters or {},
        })
        ended = self.client.wait(f"/v1/audits/{audit['uuid']}", "state",
                                 {"SUCCEEDED", "FAILED", "CANCELLED"}, timeout)
        assert ended["state"] == "SUCCEEDED", ended
        plans = self.client.request("GET", f"/v1/action_plans?audit_uuid={audit['uuid']}")
        (plan,) = plans["action_plans"]
        plan = self.client.request("GET", f"/v1/action_plans/{plan['uuid']}")
        actions = self.client.request(
            "GET", f"/v1/actions/detail?action_plan_uuid={plan['uuid']}")["actions"]
        return plan, actions

    def server_id(self, name: str) -> str:
        return next(s.id for s in self.sim.state.servers.values() if s.name == name)


@pytest.fixture
def make_cloud(tmp_path):
    """``make_cloud(scenario)`` starts both; everything is stopped after the test."""
    started: list = []
    conf = cfg_fixture.Config(CONF)
    conf.setUp()
    CONF([], project="watcher", default_config_files=[])

    def make(cloud_scenario: dict) -> Cloud:
        sim = Simulator.from_scenario(cloud_scenario, apps=APPS)
        sim.__enter__()
        started.append(sim)
        sim.clock.advance(HISTORY)
        point_clients_at(conf, sim)
        address = urllib.parse.urlparse(sim.service_url("prometheus"))
        conf.config(host=address.hostname, port=address.port, group="prometheus_client")
        conf.config(datasources=["prometheus"], query_interval=0, query_max_retries=2,
                    group="watcher_datasources")
        conf.config(collector_plugins=["compute"], group="collector")
        conf.config(host="strategy-test")
        # The applier's Nova polls, short as the simulated clock may run fast.
        conf.config(migration_interval=0.2, group="nova")
        watcher = embedded.Embedded(db_path=str(tmp_path / "db.sqlite")).start()
        started.append(watcher)
        return Cloud(sim, demo.Client(watcher.api_url), conf)

    try:
        yield make
    finally:
        for item in reversed(started):
            if isinstance(item, Simulator):
                item.__exit__(None, None, None)
            else:
                item.stop()
        conf.cleanUp()


def plan_moves(actions: list[dict]) -> list[tuple[str, str, str]]:
    """``(server name, source, destination)`` of each migrate action."""
    return [
        (a["input_parameters"]["resource_name"], a["input_parameters"]["source_node"],
         a["input_parameters"].get("destination_node"))
        for a in actions if a["action_type"] == "migrate"
    ]


__all__ = ["Cloud", "flow", "plan_moves", "scenario"]
