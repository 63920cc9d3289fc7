"""Two decision engines on one broker: the continuous audit's owner is killed with SIGKILL,
the other engine takes the audit over and the audit never runs in both at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
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


def _start(config_file: str, log_path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "watcher.cmd.decisionengine", f"--config-file={config_file}"],
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
