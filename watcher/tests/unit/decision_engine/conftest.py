"""A SQLite database with the synced plugins, the in-process bus and captured notifications.

``env`` yields a helper whose ``events()`` lists the event types sent so far (oslo.messaging's
``test`` notification driver)."""

from __future__ import annotations

import pytest
from oslo_config import fixture as cfg_fixture
from oslo_messaging.notify import _impl_test
from oslo_utils import uuidutils

from watcher import objects
from watcher.common import context as watcher_context
from watcher.common import rpc
from watcher.conf import CONF
from watcher.decision_engine import sync
from watcher.notifications import events


class Env:
    def __init__(self) -> None:
        self.context = watcher_context.get_admin_context()

    @staticmethod
    def notifications() -> list[tuple[str, dict, str, str]]:
        """(event_type, payload, priority, publisher_id) of every notification sent."""
        return [
            (m["event_type"], m["payload"], priority, m["publisher_id"])
            for _ctxt, m, priority, _retry in _impl_test.NOTIFICATIONS
        ]

    def events(self) -> list[str]:
        return [n[0] for n in self.notifications()]

    def audit(self, audit_type: str = "ONESHOT", **values):
        goal = objects.Goal.get_by_name(self.context, "dummy")
        strategy = objects.Strategy.get_by_name(self.context, "dummy")
        fields = dict(
            uuid=uuidutils.generate_uuid(),
            name=f"audit-{uuidutils.generate_uuid()[:8]}",
            audit_type=audit_type,
            state="PENDING",
            goal_id=goal.id,
            strategy_id=strategy.id,
            parameters={"para1": 1.0},
            scope=[],
            auto_trigger=False,
            force=False,
        )
        fields.update(values)
        audit = objects.Audit(self.context, **fields)
        audit.create()
        return audit


@pytest.fixture
def env(sqlite_db):
    conf = cfg_fixture.Config(CONF)
    conf.setUp()
    conf.config(transport_url="fake://", host="host-a")
    conf.config(driver=["test"], group="oslo_messaging_notifications")
    rpc.cleanup()
    events.register()
    sync.Syncer().sync()
    _impl_test.reset()
    try:
        yield Env()
    finally:
        rpc.cleanup()
        conf.cleanUp()
        _impl_test.reset()


def make_plan(env: Env, actions: list[tuple[str, dict]], state: str = "PENDING", chain=True):
    """A plan whose actions run one after another (``chain``) or all in parallel."""
    audit = env.audit(state="SUCCEEDED")
    strategy = objects.Strategy.get_by_name(env.context, "dummy")
    plan = objects.ActionPlan(
        env.context,
        uuid=uuidutils.generate_uuid(),
        audit_id=audit.id,
        strategy_id=strategy.id,
        state=state,
        global_efficacy=[],
    )
    plan.create()
    previous = None
    for kind, params in actions:
        action = objects.Action(
            env.context,
            uuid=uuidutils.generate_uuid(),
            action_plan_id=plan.id,
            action_type=kind,
            input_parameters=params,
            state="PENDING",
            parents=[previous] if (previous and chain) else [],
        )
        action.create()
        previous = action.uuid
    return plan
