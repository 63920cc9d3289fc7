"""A decision engine killed (SIGKILL) while it saves a large plan: after its restart no plan of
that audit can be started, and the API says why.

Real processes on PostgreSQL and RabbitMQ: ``watcher-api`` and a decision engine that stops
inside the plan's transaction once its first rows of actions are in (killed_engine.py), so
the kill lands mid-write every time. A plan left half written by an earlier write protocol
(plan row RECOMMENDED first, actions one by one) for another audit of the engine is swept
by the same restart.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from oslo_utils import uuidutils

from watcher import objects
from watcher.common import context as watcher_context
from watcher.conf import CONF
from watcher.db.sqlalchemy import migration
from watcher.decision_engine import sync
from watcher.tests import servers
from watcher.tests.fixtures import database
from watcher.tests.integration.client.conftest import free_port, wait_for_port
from watcher.tests.integration.embedded import flow
from watcher.tests.integration.rpc import conftest as bus

pytestmark = pytest.mark.integration

HERE = os.path.dirname(os.path.abspath(__file__))
EXTRA_ACTIONS = 5000
HEADERS = {"Content-Type": "application/json", "OpenStack-API-Version": "infra-optim 1.5"}


@pytest.fixture
def server_db():
    servers.require("postgresql")
    name, url = database.create_server_database("postgresql")
    database.point_facade_at(url)
    migration.create_schema()
    try:
        yield url
    finally:
        database.point_facade_at(None)
        database.drop_server_database("postgresql", name)


def _config(tmp_path, host: str, db_url: str, broker: str, api_port: int) -> str:
    text = f"""
[DEFAULT]
host = {host}
periodic_interval = 1
transport_url = {broker}
control_exchange = {CONF.control_exchange}
enable_authentication = False

[database]
connection = {db_url}

[api]
host = 127.0.0.1
port = {api_port}

[watcher_decision_engine]
conductor_topic = {CONF.watcher_decision_engine.conductor_topic}
notification_topics = {",".join(CONF.watcher_decision_engine.notification_topics)}

[watcher_applier]
conductor_topic = {CONF.watcher_applier.conductor_topic}

[oslo_messaging_notifications]
driver = noop

[oslo_messaging_rabbit]
amqp_auto_delete = True
"""
    path = tmp_path / "watcher.conf"
    path.write_text(text)
    return str(path)


def _start(argv: list[str], log_path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        argv,
        stdout=open(log_path, "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, **(env or {})},
    )


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


class _Api:
    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"

    def call(self, method: str, path: str, body=None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data, HEADERS, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")


def _legacy_partial_plan(host: str) -> tuple[str, str]:
    """An ONGOING audit of ``host`` with a plan written as the old protocol left it when
    killed: the plan row already RECOMMENDED, only some of its actions in."""
    audit = flow.create_audit()
    audit.state = "ONGOING"
    audit.hostname = host
    audit.save()
    context = watcher_context.get_admin_context()
    plan = objects.ActionPlan(context, audit_id=audit.id, strategy_id=audit.strategy_id,
                              state="RECOMMENDED", global_efficacy=[])
    plan.create()
    objects.Action(context, uuid=uuidutils.generate_uuid(), action_plan_id=plan.id,
                   action_type="nop", input_parameters={"message": "1 of 200"},
                   state="PENDING", parents=[]).create()
    return audit.uuid, plan.uuid


def _unstartable_with_reason(api: _Api, audit_uuid: str) -> list[dict]:
    status, audit = api.call("GET", f"/v1/audits/{audit_uuid}")
    assert status == 200
    assert audit["state"] == "CANCELLED", audit
    assert "restarted" in audit["status_message"], audit
    status, listing = api.call("GET", f"/v1/action_plans?audit_uuid={audit_uuid}")
    assert status == 200
    plans = listing["action_plans"]
    for plan in plans:
        assert plan["state"] == "CANCELLED", plan
        status, detail = api.call("GET", f"/v1/action_plans/{plan['uuid']}")
        assert "may be incomplete" in detail["status_message"], detail
        status, refused = api.call("POST", f"/v1/action_plans/{plan['uuid']}/start")
        assert 400 <= status < 500, (status, refused)
    return plans


def _wait_until_serving(host: str) -> None:
    """A service beats once before it starts its RPC server and again a period after: the
    second beat means the engine takes casts (its queue is not durable)."""
    context = watcher_context.get_admin_context()

    def beats():
        rows = objects.Service.list(
            context, filters={"name": "watcher-decision-engine", "host": host})
        return rows[0].last_seen_up if rows else None

    first = flow.wait_for(beats, 60, what="the engine's first heartbeat")
    flow.wait_for(lambda: beats() != first, 60, what="the engine's second heartbeat")


def test_plan_of_an_engine_killed_mid_write_can_never_be_started(tmp_path, bus_conf, server_db):
    host, port = servers.require("rabbitmq")
    sync.Syncer(watcher_context.get_admin_context()).sync()
    engine_host = f"de-killed-{bus_conf}"
    api_port = free_port()
    config = _config(tmp_path, engine_host, server_db, bus.broker_url(host, port), api_port)
    marker = tmp_path / "mid-write"
    procs = []
    try:
        api_proc = _start([os.path.join(os.path.dirname(sys.executable), "watcher-api"),
                           "--config-file", config], tmp_path / "api.log")
        procs.append(api_proc)
        wait_for_port(api_port, api_proc)
        api = _Api(api_port)
        engine = _start(
            [sys.executable, os.path.join(HERE, "killed_engine.py"), "--config-file", config],
            tmp_path / "engine-1.log",
            {"WATCHER_TEST_EXTRA_ACTIONS": str(EXTRA_ACTIONS), "WATCHER_TEST_MARKER": str(marker)},
        )
        procs.append(engine)
        _wait_until_serving(engine_host)
        legacy_audit, legacy_plan = _legacy_partial_plan(engine_host)
        status, audit = api.call("POST", "/v1/audits", {
            "audit_type": "ONESHOT", "goal": "dummy", "strategy": "dummy",
            "parameters": {"para1": 1.0}})
        assert status == 201, audit
        flow.wait_for(marker.exists, 90, what="the engine inside the plan's transaction")
        # Mid-write: the audit runs, and nothing of its plan is visible yet.
        assert api.call("GET", f"/v1/audits/{audit['uuid']}")[1]["state"] == "ONGOING"
        listing = api.call("GET", f"/v1/action_plans?audit_uuid={audit['uuid']}")[1]
        assert listing["action_plans"] == []

        _kill(engine)
        procs.remove(engine)
        restarted = _start([sys.executable, "-m", "watcher.cmd.decisionengine",
                            "--config-file", config], tmp_path / "engine-2.log")
        procs.append(restarted)
        flow.wait_for(
            lambda: api.call("GET", f"/v1/audits/{audit['uuid']}")[1]["state"] == "CANCELLED",
            90, what="the restarted engine's sweep",
        )
        assert _unstartable_with_reason(api, audit["uuid"]) == []
        context = watcher_context.get_admin_context()
        # The killed transaction left no row at all.
        assert objects.Action.list(context, filters={"audit_uuid": audit["uuid"]}) == []
        legacy = _unstartable_with_reason(api, legacy_audit)
        assert [p["uuid"] for p in legacy] == [legacy_plan]
    finally:
        for proc in procs:
            _kill(proc)
