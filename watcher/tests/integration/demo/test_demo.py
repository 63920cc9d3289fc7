"""The demo end to end: simulator, embedded watcher, audit, plan, the cloud changed as planned."""

import os
import re
import signal
import sqlite3
import subprocess
import sys

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


def test_generated_cloud_demo_releases_hosts_without_overloading_any(spy, capsys, tmp_path):
    # The default cloud, smaller so the test stays short: same generator, traces and flow.
    args = ["--hypervisors", "12", "--servers", "120", "--output-dir", str(tmp_path)]
    assert demo.main(args) == 0
    output = capsys.readouterr().out

    summary = re.search(r"^  active hosts\s+(\d+)\s+(\d+)$", output, re.M)
    before, after = int(summary.group(1)), int(summary.group(2))
    assert after < before
    assert re.search(r"^  overloaded hosts\s+\d+\s+0$", output, re.M)
    # What the demo printed is what the simulated cloud holds.
    used = set(spy.hosts_after().values())
    assert len(used) == after
    assert len(set(spy.hosts_before.values())) == before
    assert spy.hosts_after() != spy.hosts_before
    png, page = tmp_path / "consolidation.png", tmp_path / "consolidation.html"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = page.read_text()
    assert 'src="consolidation.png"' in html
    assert f"<td>{before}</td><td>{after}</td>" in html
    assert f"Chart: {png}" in output and f"Page:  {page}" in output
    assert "Demo done" in output


def test_consolidation_demo_moves_the_servers_it_planned(spy, capsys, tmp_path):
    args = ["--scenario", demo.SMALL_SCENARIO, "--strategy", "node_resource_consolidation",
            "--output-dir", str(tmp_path)]
    assert demo.main(args) == 0
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


def test_host_maintenance_demo_empties_and_disables_the_node(spy, capsys, tmp_path):
    args = ["--scenario", demo.SMALL_SCENARIO, "--strategy", "host_maintenance",
            "--maintenance-node", "compute-1", "--output-dir", str(tmp_path)]
    assert demo.main(args) == 0
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


def test_ctrl_c_while_the_plan_runs_stops_everything_without_a_traceback(tmp_path):
    # A real Ctrl-C needs a process of its own: the demo in a child, SIGINT once the plan
    # is started.
    database = str(tmp_path / "db.sqlite")
    args = [sys.executable, "-m", "watcher.cmd.demo", "--hypervisors", "12", "--servers",
            "120", "--output-dir", str(tmp_path), "--db", database]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ, PYTHONUNBUFFERED="1"))
    lines = []
    try:
        for line in child.stdout:
            lines.append(line)
            if line.startswith("Starting action plan"):
                child.send_signal(signal.SIGINT)
                break
        output = "".join(lines) + child.stdout.read()
        errors = child.stderr.read()
        returncode = child.wait(timeout=120)
    finally:
        child.kill()
    assert (returncode, errors) == (130, ""), output
    assert "Ctrl-C: stopping the services" in output
    assert output.rstrip().endswith("Interrupted: everything the demo started is stopped.")
    assert "Demo done" not in output
    # The applier stopped gracefully: nothing it ran was left half-done in the database.
    assert re.search(r"database (\S+)$", output, re.M).group(1) == database
    with sqlite3.connect(database) as db:
        states = {row[0] for row in db.execute("SELECT state FROM action_plans")}
        states |= {row[0] for row in db.execute("SELECT state FROM actions")}
    assert "ONGOING" not in states, states
