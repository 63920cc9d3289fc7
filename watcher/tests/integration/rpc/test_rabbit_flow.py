import threading
import time

import pytest

from watcher.cmd import demo, embedded
from watcher.common import context as watcher_context
from watcher.conf import CONF
from watcher.decision_engine import rpcapi as de_rpcapi
from watcher.tests import servers
from watcher.tests.integration.embedded import flow
from watcher.tests.integration.rpc import conftest as bus
from watcher.tests.integration.rpc import private_broker
from watcher.tests.integration.rpc.tcp_proxy import TcpProxy

pytestmark = pytest.mark.integration


def _subsequence(expected: list[str], got: list[str]) -> bool:
    position = 0
    for event in got:
        if position < len(expected) and event == expected[position]:
            position += 1
    return position == len(expected)


def test_audit_and_plan_over_rabbitmq_with_notifications(tmp_path, notifications):
    host, port = servers.require("rabbitmq")
    cloud = embedded.Embedded(
        db_path=str(tmp_path / "db.sqlite"),
        transport_url=bus.broker_url(host, port),
    ).start()
    try:
        client = demo.Client(cloud.api_url)
        audit_uuid, plan_uuid = flow.api_run_oneshot_audit(client)
        assert flow.api_start_plan(client, plan_uuid) == "SUCCEEDED"
        actions = client.request("GET", f"/v1/actions?action_plan_uuid={plan_uuid}")["actions"]
        assert sorted(a["action_type"] for a in actions) == ["nop", "nop", "sleep"]
        assert {a["state"] for a in actions} == {"SUCCEEDED"}
        flow.wait_for(
            lambda: notifications.types().count("action_plan.execution.end") == 1,
            what="the plan's end notification",
        )
    finally:
        cloud.stop()

    events = notifications.ordered()
    types = [e[2] for e in events]
    assert _subsequence(
        [
            "audit.create",
            "audit.update",
            "audit.strategy.start",
            "audit.strategy.end",
            "audit.planner.start",
            "action_plan.create",
            "action.create",
            "audit.planner.end",
            "audit.update",
            "action_plan.update",
            "action_plan.execution.start",
            "action.execution.start",
            "action.execution.end",
            "action_plan.execution.end",
        ],
        types,
    ), types
    assert types.count("action.create") == 3
    assert types.count("action.execution.end") == 3
    assert {e[1] for e in events} == {f"infra-optim:{CONF.host}"}

    audit_updates = [e[3] for e in events if e[2] == "audit.update"]
    last = audit_updates[-1]["watcher_object.data"]
    assert last["uuid"] == audit_uuid
    assert last["state_update"]["watcher_object.data"] == {
        "old_state": "ONGOING",
        "state": "SUCCEEDED",
    }
    assert last["strategy"]["watcher_object.data"]["name"] == "dummy"
    end = next(e[3] for e in events if e[2] == "action_plan.execution.end")
    assert end["watcher_object.name"] == "ActionPlanActionPayload"
    assert end["watcher_object.data"]["state"] == "SUCCEEDED"


def test_services_survive_a_broker_outage(tmp_path, bus_conf, durable_queues):
    host, port = servers.require("rabbitmq")
    proxy = TcpProxy((host, port)).start()
    cloud = embedded.Embedded(
        db_path=str(tmp_path / "db.sqlite"),
        transport_url=bus.broker_url("127.0.0.1", proxy.port),
        with_api=False,
    ).start()
    try:
        # Outage while an audit is being triggered: the cast waits for the broker.
        audit = flow.create_audit()
        proxy.cut()
        sender = threading.Thread(
            target=de_rpcapi.DecisionEngineAPI().trigger_audit,
            args=(watcher_context.get_admin_context(), audit.uuid),
        )
        sender.start()
        time.sleep(2)
        assert flow.audit_state(audit.uuid) == "PENDING"
        proxy.restore()
        sender.join(30)
        flow.wait_for(lambda: flow.audit_state(audit.uuid) == "SUCCEEDED", 30, what="audit")
        plan = flow.plans_of(audit.uuid)[0]

        # Outage while the plan runs: the applier keeps going and reports when it can.
        done = {}
        runner = threading.Thread(target=lambda: done.update(state=flow.start_plan(plan, 60)))
        runner.start()
        time.sleep(0.5)
        proxy.cut()
        time.sleep(2)
        proxy.restore()
        runner.join(60)
        assert done.get("state") == "SUCCEEDED"

        # The RPC servers reconnected: new work still flows.
        _, second_plan = flow.run_oneshot_audit()
        assert second_plan.state == "RECOMMENDED"
    finally:
        cloud.stop()
        proxy.stop()


def test_services_survive_a_broker_restart(tmp_path, bus_conf):
    """The broker process itself stops and starts again (a node of the test's own, since the
    machine's broker is shared): connections and transient state are gone, the services
    reconnect, redeclare what they consume, and no audit or plan is lost."""
    servers.require_program(private_broker.SERVER)
    broker = private_broker.PrivateBroker().start()
    # As in production: queues survive a broker restart.
    CONF.set_override("amqp_durable_queues", True, group="oslo_messaging_rabbit")
    CONF.set_override("amqp_auto_delete", False, group="oslo_messaging_rabbit")
    cloud = embedded.Embedded(
        db_path=str(tmp_path / "db.sqlite"), transport_url=broker.url, with_api=False
    ).start()
    try:
        # The broker is down when an audit is triggered: the cast waits for it.
        audit = flow.create_audit()
        broker.stop()
        sender = threading.Thread(
            target=de_rpcapi.DecisionEngineAPI().trigger_audit,
            args=(watcher_context.get_admin_context(), audit.uuid),
        )
        sender.start()
        time.sleep(1)
        assert flow.audit_state(audit.uuid) == "PENDING"
        broker.start()
        sender.join(60)
        flow.wait_for(lambda: flow.audit_state(audit.uuid) == "SUCCEEDED", 60, what="audit")
        plan = flow.plans_of(audit.uuid)[0]

        # The broker restarts while the plan runs.
        done = {}
        runner = threading.Thread(target=lambda: done.update(state=flow.start_plan(plan, 120)))
        runner.start()
        time.sleep(0.5)
        broker.stop()
        broker.start()
        runner.join(120)
        assert done.get("state") == "SUCCEEDED"

        # The RPC servers are consuming again: new work flows end to end.
        _, second_plan = flow.run_oneshot_audit(timeout=60)
        assert second_plan.state == "RECOMMENDED"
    finally:
        cloud.stop()
        broker.close()
        CONF.clear_override("amqp_durable_queues", group="oslo_messaging_rabbit")
        CONF.clear_override("amqp_auto_delete", group="oslo_messaging_rabbit")
