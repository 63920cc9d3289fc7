"""Several services on one broker, one killed with SIGKILL.

Decision engines: the other engine takes the dead one's continuous audit over and the audit
never runs in both at once. Appliers: the dead applier's running plan ends CANCELLED with
the reason, by the surviving applier."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from oslo_utils import timeutils

from watcher.common import context as watcher_context
from watcher.conf import CONF
from watcher.db.sqlalchemy import migration
from watcher.decision_engine import sync
from watcher.tests import servers
from watcher.tests.fixtures import database
from watcher.tests.integration.embedded import flow
from watcher.tests.integration.rpc import conftest as bus

pytestmark = pytest.mark.integration

SERVICE_DOWN_TIME = 4


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


def _config_file(tmp_path, host: str, db_url: str, broker: str) -> str:
    rabbit = CONF.oslo_messaging_rabbit
    text = f"""
[DEFAULT]
host = {host}
transport_url = {broker}
control_exchange = {CONF.control_exchange}
periodic_interval = 1
service_down_time = {SERVICE_DOWN_TIME}

[database]
connection = {db_url}

[watcher_decision_engine]
conductor_topic = {CONF.watcher_decision_engine.conductor_topic}
continuous_audit_interval = 1
notification_topics = {",".join(CONF.watcher_decision_engine.notification_topics)}

[watcher_applier]
conductor_topic = {CONF.watcher_applier.conductor_topic}

[oslo_messaging_notifications]
driver = messagingv2
topics = {CONF.oslo_messaging_notifications.topics[0]}

[oslo_messaging_rabbit]
amqp_auto_delete = {rabbit.amqp_auto_delete}
"""
    path = tmp_path / f"{host}.conf"
    path.write_text(text)
    return str(path)


def _start(config_file: str, log_path, command: str = "decisionengine") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", f"watcher.cmd.{command}", f"--config-file={config_file}"],
        stdout=open(log_path, "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(10)


def _runs(events, host: str) -> list[tuple[str, str]]:
    """(phase, timestamp) of the audit.strategy events one engine sent."""
    return [
        (e[2].rsplit(".", 1)[1], e[0])
        for e in events
        if e[1] == f"infra-optim:{host}" and e[2].startswith("audit.strategy.")
    ]


def test_continuous_audit_fails_over_to_the_surviving_engine(
    tmp_path,
    bus_conf,
    notifications,
    server_db,
):
    host, port = servers.require("rabbitmq")
    broker = bus.broker_url(host, port)
    sync.Syncer(watcher_context.get_admin_context()).sync()
    hosts = (f"de-a-{bus_conf}", f"de-b-{bus_conf}")
    procs = {}
    try:
        procs[hosts[0]] = _start(
            _config_file(tmp_path, hosts[0], server_db, broker), tmp_path / "a.log"
        )
        audit = flow.create_audit("CONTINUOUS", interval="1")
        owner = flow.wait_for(
            lambda: audit.refresh() or audit.hostname, 60, what="an owner for the audit"
        )
        assert owner == hosts[0]
        procs[hosts[1]] = _start(
            _config_file(tmp_path, hosts[1], server_db, broker), tmp_path / "b.log"
        )
        flow.wait_for(
            lambda: len(_runs(notifications.ordered(), hosts[0])) >= 4,
            60,
            what="two runs on the first engine",
        )
        # The second engine is up (its heartbeat is in) before the owner dies.
        flow.wait_for(
            lambda: len(flow_services(hosts[1])) == 1, 60, what="the second engine's heartbeat"
        )

        _kill(procs[hosts[0]])
        killed_at = timeutils.utcnow()
        killed_monotonic = time.monotonic()
        flow.wait_for(
            lambda: audit.refresh() or audit.hostname == hosts[1],
            2 * SERVICE_DOWN_TIME,
            what="takeover by the second engine",
        )
        takeover = time.monotonic() - killed_monotonic
        flow.wait_for(
            lambda: len(_runs(notifications.ordered(), hosts[1])) >= 2,
            30,
            what="a run on the second engine",
        )
    finally:
        for proc in procs.values():
            _kill(proc)

    assert takeover <= 2 * SERVICE_DOWN_TIME
    events = notifications.ordered()
    killed_stamp = str(killed_at)
    first = _runs(events, hosts[0])
    second = _runs(events, hosts[1])
    # Never both: the first engine's runs all start before the kill, the second's after it.
    assert first and second
    assert all(stamp < killed_stamp for _, stamp in first)
    assert all(stamp > killed_stamp for _, stamp in second)
    assert audit.state == "ONGOING"


def flow_services(host: str) -> list:
    from watcher import objects

    return objects.Service.list(
        watcher_context.get_admin_context(),
        filters={"name": "watcher-decision-engine", "host": host},
    )


def test_plan_of_a_killed_applier_ends_cancelled(tmp_path, bus_conf, server_db):
    host, port = servers.require("rabbitmq")
    broker = bus.broker_url(host, port)
    sync.Syncer(watcher_context.get_admin_context()).sync()
    hosts = (f"ap-a-{bus_conf}", f"ap-b-{bus_conf}")
    procs = {}
    try:
        procs[hosts[0]] = _start(
            _config_file(tmp_path, hosts[0], server_db, broker), tmp_path / "a.log", "applier"
        )
        flow.wait_for(lambda: services_of("watcher-applier", hosts[0]), 60, what="applier a")
        audit = flow.create_audit()
        plan = make_plan_for(audit)
        state = {}
        runner = threading.Thread(target=lambda: state.update(end=flow.start_plan(plan, 60)))
        runner.start()
        flow.wait_for(
            lambda: plan_state(plan.uuid) == ("ONGOING", hosts[0]), 30, what="plan running"
        )
        procs[hosts[1]] = _start(
            _config_file(tmp_path, hosts[1], server_db, broker), tmp_path / "b.log", "applier"
        )
        flow.wait_for(lambda: services_of("watcher-applier", hosts[1]), 60, what="applier b")
        _kill(procs[hosts[0]])
        runner.join(4 * SERVICE_DOWN_TIME + 30)
    finally:
        for proc in procs.values():
            _kill(proc)
    assert state.get("end") == "CANCELLED"
    plan.refresh()
    assert hosts[0] in plan.status_message
    # The weight planner runs the no-op first; the sleep was cut by the kill.
    assert {a.action_type: a.state for a in flow.actions_of(plan.uuid)} == {
        "nop": "SUCCEEDED",
        "sleep": "CANCELLED",
    }


def services_of(name: str, host: str) -> list:
    from watcher import objects

    return objects.Service.list(
        watcher_context.get_admin_context(), filters={"name": name, "host": host}
    )


def plan_state(uuid: str) -> tuple[str, str]:
    from watcher import objects

    plan = objects.ActionPlan.get_by_uuid(watcher_context.get_admin_context(), uuid)
    return plan.state, plan.hostname


def make_plan_for(audit):
    """A RECOMMENDED plan of a no-op then one long sleep, as the weight planner stores it."""
    from watcher.decision_engine.planner import weight
    from watcher.decision_engine.strategy.strategies import dummy_strategy

    solution = dummy_strategy.DummyStrategy().solution
    solution.add_action("sleep", {"duration": 60})
    solution.add_action("nop", {"message": "after"})
    return weight.WeightPlanner().schedule(watcher_context.get_admin_context(), audit, solution)


def test_sigterm_hands_the_continuous_audit_over_at_once(
    tmp_path, bus_conf, notifications, server_db
):
    host, port = servers.require("rabbitmq")
    broker = bus.broker_url(host, port)
    sync.Syncer(watcher_context.get_admin_context()).sync()
    hosts = (f"de-a-{bus_conf}", f"de-b-{bus_conf}")
    procs = {}
    try:
        procs[hosts[0]] = _start(
            _config_file(tmp_path, hosts[0], server_db, broker), tmp_path / "a.log"
        )
        audit = flow.create_audit("CONTINUOUS", interval="1")
        flow.wait_for(lambda: audit.refresh() or audit.hostname == hosts[0], 60, what="owner")
        procs[hosts[1]] = _start(
            _config_file(tmp_path, hosts[1], server_db, broker), tmp_path / "b.log"
        )
        flow.wait_for(lambda: flow_services(hosts[1]), 60, what="the second engine")
        flow.wait_for(
            lambda: _runs(notifications.ordered(), hosts[0]), 60, what="a run on the first"
        )
        os.killpg(procs[hosts[0]].pid, signal.SIGTERM)
        assert procs[hosts[0]].wait(30) == 0
        stopped_at = time.monotonic()
        flow.wait_for(
            lambda: audit.refresh() or audit.hostname == hosts[1],
            SERVICE_DOWN_TIME,
            what="handover before the failure would even be detected",
        )
        assert time.monotonic() - stopped_at < SERVICE_DOWN_TIME
    finally:
        for proc in procs.values():
            _kill(proc)
    assert audit.state == "ONGOING"
