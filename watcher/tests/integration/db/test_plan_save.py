"""A plan, its actions and its efficacy indicators are written in one transaction, with bulk
inserts whose statement count does not grow with the plan (SQLite, MariaDB, PostgreSQL)."""

from __future__ import annotations

import math

import pytest
import sqlalchemy as sa
from oslo_messaging.notify import _impl_test
from oslo_utils import uuidutils

from watcher import objects
from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.db import api as db_api
from watcher.db.sqlalchemy import facade
from watcher.decision_engine.planner import weight
from watcher.decision_engine.solution import base as solution_base
from watcher.tests.fixtures import database

pytestmark = pytest.mark.integration

# Rows per multi-row INSERT: SQLAlchemy's insertmanyvalues and psycopg2's execute_values
# pages both hold 1,000 rows; pymysql packs rows up to max_allowed_packet.
BULK_BATCH = 1000


class _Planner(weight.WeightPlanner):
    def __init__(self) -> None:
        super().__init__(_PlannerConfig())


class _PlannerConfig:
    weights = {"migrate": 30}
    parallelization = {"migrate": 2}


class _Strategy:
    def __init__(self, name: str) -> None:
        self.name = name

    def get_name(self) -> str:
        return self.name


@pytest.fixture
def ctx(any_db):
    return watcher_context.get_admin_context()


def _solution(strategy_name: str, actions: int) -> solution_base.Solution:
    solution = solution_base.Solution(strategy=_Strategy(strategy_name))
    for n in range(actions):
        solution.add_action("migrate", {"migration_type": "live", "n": n},
                            resource_id=f"server-{n}")
    solution.efficacy_indicators = [
        {"name": "instance_migrations_count", "description": "Migrations", "unit": None,
         "value": float(actions)},
        {"name": "released_compute_nodes_count", "description": "Released", "unit": None,
         "value": 2.5},
    ]
    return solution


def _new_plan(ctx) -> objects.ActionPlan:
    audit = database.make_audit(state="ONGOING")
    return objects.ActionPlan(ctx, audit_id=audit.id, strategy_id=database.make_strategy().id,
                              state="RECOMMENDED", global_efficacy=[])


def test_plan_actions_and_indicators_are_stored_together(ctx):
    plan = _new_plan(ctx)
    first, second = uuidutils.generate_uuid(), uuidutils.generate_uuid()
    plan.create_with_actions(
        [
            {"uuid": first, "action_type": "nop", "input_parameters": {"message": "a"},
             "state": "PENDING", "parents": []},
            {"uuid": second, "action_type": "sleep", "input_parameters": {"duration": 1.0},
             "state": "PENDING", "parents": [first]},
        ],
        [{"name": "released_nodes", "description": "Released", "unit": "%", "value": 12.25}],
    )
    stored = objects.ActionPlan.get_by_uuid(ctx, plan.uuid)
    assert (stored.id, stored.state) == (plan.id, "RECOMMENDED")
    actions = {a.uuid: a for a in objects.Action.list(ctx, filters={"action_plan_id": plan.id})}
    assert actions[first].parents == [] and actions[second].parents == [first]
    assert actions[second].input_parameters == {"duration": 1.0}
    assert {a.state for a in actions.values()} == {"PENDING"}
    assert all(a.created_at is not None and a.deleted_at is None for a in actions.values())
    indicators = objects.EfficacyIndicator.list(ctx, filters={"action_plan_id": plan.id})
    assert [(i.name, i.unit, i.value) for i in indicators] == [("released_nodes", "%", 12.25)]
    assert uuidutils.is_uuid_like(indicators[0].uuid)
    # The rows are live: the API's lists filter on these.
    assert objects.Action.list(ctx, filters={"action_plan_uuid": plan.uuid, "deleted": False})


def test_a_failed_save_leaves_no_row(ctx):
    plan = _new_plan(ctx)
    twice = uuidutils.generate_uuid()
    action = {"uuid": twice, "action_type": "nop", "input_parameters": {}, "state": "PENDING",
              "parents": []}
    # The second row breaks the unique UUID key inside the transaction, after the plan row
    # and the first action went in.
    with pytest.raises(exception.WatcherException):
        plan.create_with_actions([action, dict(action)], [])
    assert objects.ActionPlan.list(ctx) == []
    assert db_api.get_instance().get_action_list(ctx) == []


def test_invalid_values_are_refused_before_anything_is_written(ctx):
    plan = _new_plan(ctx)
    with pytest.raises(exception.Invalid):
        plan.create_with_actions(
            [{"action_type": "x" * 300, "input_parameters": {}, "parents": []}], [])
    with pytest.raises(exception.Invalid):
        plan.create_with_actions([{"action_type": "nop", "parents": "not a list"}], [])
    assert objects.ActionPlan.list(ctx) == []


def _statements_to_schedule(ctx, actions: int) -> int:
    strategy = database.make_strategy()
    audit = database.make_audit(state="ONGOING", strategy_id=strategy.id)
    solution = _solution(strategy.name, actions)
    statements = []
    engine = facade.get_engine()

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        plan = _Planner().schedule(ctx, objects.Audit.get_by_id(ctx, audit.id), solution)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    stored = objects.Action.list(ctx, filters={"action_plan_id": plan.id})
    assert len(stored) == actions
    assert plan.state == "RECOMMENDED"
    return len(statements)


def test_saving_statement_count_does_not_grow_with_the_plan(ctx, notification_level):
    small = _statements_to_schedule(ctx, 100)
    large = _statements_to_schedule(ctx, 1000)
    # The strategy lookup, the plan row, one multi-row INSERT per table and batch, the ids;
    # with notifications, the plan's audit, goal and strategy are read once per plan.
    assert small <= (10 if not notification_level else 30)
    assert large - small <= math.ceil(1000 / BULK_BATCH)
    if notification_level:
        sent = [m["event_type"] for _c, m, _p, _r in _impl_test.NOTIFICATIONS]
        assert sent.count("action.create") == 1100
