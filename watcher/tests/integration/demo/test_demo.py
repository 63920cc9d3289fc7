"""The demo end to end: simulator, embedded watcher, audit, plan, the cloud changed as planned."""

import re

import pytest
from keystoneauth1 import loading as ks_loading
from oslo_config import fixture as cfg_fixture

from watcher.cmd import demo
from watcher.conf import CONF
from watcher.simulator.runner import Simulator

pytestmark = pytest.mark.integration

MIGRATION = re.compile(r"^  #\d+\s+migrate (\S+) (\S+) -> (\S+)")
SERVICE = re.compile(r"^  #\d+\s+(enable|disable) nova-compute on (\S+)")


class Spy:
    """Keeps the simulator the demo starts, and where each server was at the start."""

    def __init__(self) -> None:
        self.sim = None
        self.hosts_before: dict[str, str] = {}

    def start(self, scenario):
        self.sim = original_from_scenario(scenario)
        self.hosts_before = {s.name: s.host for s in self.sim.state.servers.values()}
        return self.sim

    def hosts_after(self) -> dict[str, str]:
        return {s.name: s.host for s in self.sim.state.servers.values()}


original_from_scenario = Simulator.from_scenario


@pytest.fixture
def spy(monkeypatch):
    conf = cfg_fixture.Config(CONF)
    conf.setUp()
    watcher_spy = Spy()
    monkeypatch.setattr(Simulator, "from_scenario", watcher_spy.start)
    yield watcher_spy
    conf.cleanUp()
    # The demo registers the password plugin's options (auth_url is required) on the global
    # CONF; drop them so later parses in this process do not demand them.
    CONF.unregister_opts(
        ks_loading.get_auth_plugin_conf_options("password"), group="watcher_clients_auth"
    )


def planned(output: str) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """Migrations (server, source, destination) and final service states the demo printed."""
    migrations, services = [], {}
    for line in output.splitlines():
        if match := MIGRATION.match(line):
            migrations.append(match.groups())
        elif match := SERVICE.match(line):
            services[match.group(2)] = match.group(1) + "d"
    return migrations, services


def test_consolidation_demo_moves_the_servers_it_planned(spy, capsys):
    assert demo.main([]) == 0
    output = capsys.readouterr().out
    migrations, services = planned(output)

    # compute-3's two servers go to compute-1; web-1 and web-2 (anti-affinity) stay out.
    assert sorted(migrations) == [
        ("batch-2", "compute-3", "compute-1"),
        ("demo-1", "compute-3", "compute-1"),
    ]
    assert services == {}
    expected = dict(spy.hosts_before)
    expected.update({server: destination for server, _, destination in migrations})
    assert spy.hosts_after() == expected
    assert spy.hosts_after() != spy.hosts_before
    assert "compute-3" not in spy.hosts_after().values()
    assert "released_nodes_ratio: 25%" in output
    assert "Demo done" in output


def test_host_maintenance_demo_empties_and_disables_the_node(spy, capsys):
    assert demo.main(["--strategy", "host_maintenance", "--maintenance-node", "compute-1"]) == 0
    output = capsys.readouterr().out
    migrations, services = planned(output)

    on_compute_1 = sorted(n for n, h in spy.hosts_before.items() if h == "compute-1")
    assert sorted(m[0] for m in migrations) == on_compute_1
    assert {m[2] for m in migrations} == {"(Nova"}  # the scheduler chooses
    assert services == {"compute-1": "disabled"}
    after = spy.hosts_after()
    assert "compute-1" not in after.values()
    for name, host in spy.hosts_before.items():
        assert (after[name] != host) == (name in on_compute_1)
    service = spy.sim.state.compute_services["compute-1"]
    assert (service.status, service.disabled_reason) == ("disabled", "watcher_maintaining")
