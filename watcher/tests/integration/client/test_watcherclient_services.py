"""python-watcherclient against the whole chain: watcher-api, watcher-decision-engine and
watcher-applier as real processes on RabbitMQ, sharing one SQLite database.

Covers what needs the engine over RPC (``strategy state``, ``datamodel list``) and a dummy
audit from creation to an applied plan.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid

import pytest

from watcher.tests import servers
from watcher.tests.integration.client import conftest

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def chain(tmp_path_factory, watcherclient_venv):
    host, port = servers.require("rabbitmq")
    workdir = tmp_path_factory.mktemp("watcher-chain")
    db_url = f"sqlite:///{workdir}/watcher.sqlite"
    conftest.prepare_database(db_url, sample_rows=False)
    api_port = conftest.free_port()
    # Own exchange and topics: other test runs may share this broker.
    suffix = uuid.uuid4().hex[:8]
    config = workdir / "watcher.conf"
    config.write_text(
        "[DEFAULT]\n"
        "enable_authentication = False\n"
        f"transport_url = rabbit://guest:guest@{host}:{port}/\n"
        f"control_exchange = watcher-test-{suffix}\n"
        f"host = chain-{suffix}\n"
        "periodic_interval = 2\n"
        "[oslo_messaging_notifications]\n"
        "driver = noop\n"
        "[database]\n"
        f"connection = {db_url}\n"
        "[api]\n"
        "host = 127.0.0.1\n"
        f"port = {api_port}\n"
        "[watcher_decision_engine]\n"
        f"conductor_topic = watcher.decision.control.{suffix}\n"
        "[watcher_applier]\n"
        f"conductor_topic = watcher.applier.control.{suffix}\n"
    )
    processes = [conftest.start_service("watcher-decision-engine", config, workdir)]
    processes.append(conftest.start_service("watcher-applier", config, workdir))
    processes.append(conftest.start_service("watcher-api", config, workdir, api_port))
    endpoint = f"http://127.0.0.1:{api_port}"
    executable = os.path.join(watcherclient_venv, "bin", "watcher")

    def cli(*args: str):
        command = [executable, "--no-auth", "--os-endpoint-override", endpoint, *args,
                   "-f", "json"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (args, result.stdout, result.stderr, _logs(workdir))
        return json.loads(result.stdout) if result.stdout.strip() else None

    try:
        # The engine syncs goals, then strategies, when it starts: the goal alone can be
        # there while the strategies are still being written (seen on a loaded machine).
        _wait(lambda: any(s["Name"] == "dummy" for s in cli("strategy", "list")), 60)
        yield cli
    finally:
        for process in reversed(processes):
            conftest.stop_service(process)


def _logs(workdir) -> str:
    return "\n".join(
        f"--- {path.name}\n{path.read_text()[-3000:]}" for path in workdir.glob("*.log")
    )


def _wait(predicate, timeout: float, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


def test_strategy_state_comes_from_the_engine(chain):
    rows = chain("strategy", "state", "dummy")
    assert {"Type": "Name", "State": "dummy", "Mandatory": "", "Comment": ""} in rows


def test_datamodel_list_answers(chain):
    assert chain("datamodel", "list") is not None


def test_services_report_their_heartbeat(chain):
    def both_active():
        services = {s["Name"]: s["Status"] for s in chain("service", "list")}
        return services.get("watcher-decision-engine") == "ACTIVE" and \
            services.get("watcher-applier") == "ACTIVE"

    _wait(both_active, 30)


def test_a_dummy_audit_from_creation_to_applied_plan(chain):
    audit = chain("audit", "create", "-g", "dummy", "-s", "dummy", "-t", "ONESHOT",
                  "-p", "para1=1.0", "--name", "chain-audit")
    _wait(lambda: chain("audit", "show", audit["UUID"])["State"] == "SUCCEEDED", 60)
    plans = chain("actionplan", "list", "--audit", audit["UUID"])
    assert [p["State"] for p in plans] == ["RECOMMENDED"]
    plan_uuid = plans[0]["UUID"]
    actions = chain("action", "list", "--action-plan", plan_uuid)
    assert sorted(a["Action"] for a in actions) == ["nop", "nop", "sleep"]
    assert chain("actionplan", "start", plan_uuid)["State"] == "PENDING"
    _wait(lambda: chain("actionplan", "show", plan_uuid)["State"] == "SUCCEEDED", 60)
    states = {a["State"] for a in chain("action", "list", "--action-plan", plan_uuid)}
    assert states == {"SUCCEEDED"}
