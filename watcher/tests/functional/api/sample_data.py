"""Rows the API tests read: goals and strategies as the engine's sync writes them, plus
audits, action plans, actions and services as the engine and applier would leave them.

UUIDs are fixed so the gabbi files can name them.
"""

from __future__ import annotations

import datetime

from oslo_utils import timeutils

from watcher import objects

DUMMY_GOAL = "a0000000-0000-4000-8000-000000000001"
CONSOLIDATION_GOAL = "a0000000-0000-4000-8000-000000000002"
DUMMY_STRATEGY = "b0000000-0000-4000-8000-000000000001"
BASIC_STRATEGY = "b0000000-0000-4000-8000-000000000002"
DONE_AUDIT = "c0000000-0000-4000-8000-000000000001"
EVENT_AUDIT = "c0000000-0000-4000-8000-000000000002"
RUNNING_AUDIT = "c0000000-0000-4000-8000-000000000003"
RECOMMENDED_PLAN = "d0000000-0000-4000-8000-000000000001"
ONGOING_PLAN = "d0000000-0000-4000-8000-000000000002"
SUCCEEDED_PLAN = "d0000000-0000-4000-8000-000000000003"
PENDING_PLAN = "d0000000-0000-4000-8000-000000000004"
NOP_ACTION = "e0000000-0000-4000-8000-000000000001"
SLEEP_ACTION = "e0000000-0000-4000-8000-000000000002"
ONGOING_ACTION = "e0000000-0000-4000-8000-000000000003"
SCORING_ENGINE = "f0000000-0000-4000-8000-000000000001"

# The dummy strategy's parameters, as its get_schema() declares them upstream.
DUMMY_PARAMETERS_SPEC = {
    "properties": {
        "para1": {
            "description": "number parameter example",
            "type": "number",
            "default": 3.2,
            "minimum": 1.0,
            "maximum": 10.2,
        },
        "para2": {
            "description": "string parameter example",
            "type": "string",
            "default": "hello",
        },
    },
}

BASIC_PARAMETERS_SPEC = {
    "properties": {
        "migration_attempts": {"type": "number", "minimum": 0, "default": 0},
        "period": {"type": "number", "minimum": 0, "default": 7200},
    },
}

CONSOLIDATION_EFFICACY = [
    {"name": "compute_nodes_count", "description": "The total number of enabled compute "
     "nodes.", "unit": None, "schema": {"type": "integer", "minimum": 0}},
]


def load_catalog(context) -> None:
    """Goals and strategies, as ``watcher-sync`` writes them."""
    dummy = objects.Goal(context, uuid=DUMMY_GOAL, name="dummy", display_name="Dummy goal",
                         efficacy_specification=[])
    dummy.create()
    consolidation = objects.Goal(context, uuid=CONSOLIDATION_GOAL, name="server_consolidation",
                                 display_name="Server Consolidation",
                                 efficacy_specification=CONSOLIDATION_EFFICACY)
    consolidation.create()
    objects.Strategy(context, uuid=DUMMY_STRATEGY, name="dummy", display_name="Dummy strategy",
                     goal_id=dummy.id, parameters_spec=DUMMY_PARAMETERS_SPEC).create()
    objects.Strategy(context, uuid=BASIC_STRATEGY, name="basic",
                     display_name="Basic offline consolidation", goal_id=consolidation.id,
                     parameters_spec=BASIC_PARAMETERS_SPEC).create()


def _plan(context, uuid, audit, strategy, state):
    plan = objects.ActionPlan(context, uuid=uuid, audit_id=audit.id, strategy_id=strategy.id,
                              state=state, global_efficacy=[], hostname="engine-1")
    plan.create()
    return plan


def load_work(context) -> None:
    """Audits, plans, actions, services and a scoring engine (needs ``load_catalog``)."""
    goal = objects.Goal.get_by_uuid(context, DUMMY_GOAL)
    strategy = objects.Strategy.get_by_uuid(context, DUMMY_STRATEGY)
    done = objects.Audit(context, uuid=DONE_AUDIT, name="done-audit", audit_type="ONESHOT",
                         state="SUCCEEDED", goal_id=goal.id, strategy_id=strategy.id,
                         parameters={"para1": 3.2, "para2": "hello"}, scope=[],
                         auto_trigger=False, hostname="engine-1")
    done.create()
    objects.Audit(context, uuid=EVENT_AUDIT, name="event-audit", audit_type="EVENT",
                  state="PENDING", goal_id=goal.id, strategy_id=strategy.id,
                  parameters={"para1": 3.2, "para2": "hello"}, scope=[],
                  auto_trigger=False).create()
    objects.Audit(context, uuid=RUNNING_AUDIT, name="running-audit", audit_type="CONTINUOUS",
                  state="ONGOING", goal_id=goal.id, strategy_id=strategy.id, interval="3600",
                  parameters={"para1": 3.2, "para2": "hello"}, scope=[], auto_trigger=False,
                  hostname="engine-1").create()
    recommended = _plan(context, RECOMMENDED_PLAN, done, strategy, "RECOMMENDED")
    objects.EfficacyIndicator(context, uuid="90000000-0000-4000-8000-000000000001",
                              action_plan_id=recommended.id, name="instance_migrations_count",
                              description="The number of VM migrations to be performed.",
                              unit=None, value=0).create()
    objects.Action(context, uuid=NOP_ACTION, action_plan_id=recommended.id, action_type="nop",
                   input_parameters={"message": "Welcome"}, state="PENDING",
                   parents=[]).create()
    objects.Action(context, uuid=SLEEP_ACTION, action_plan_id=recommended.id,
                   action_type="sleep", input_parameters={"duration": 3.2}, state="PENDING",
                   parents=[NOP_ACTION]).create()
    ongoing = _plan(context, ONGOING_PLAN, done, strategy, "ONGOING")
    objects.EfficacyIndicator(context, uuid="90000000-0000-4000-8000-000000000002",
                              action_plan_id=ongoing.id, name="released_compute_nodes_ratio",
                              description="Ratio of released compute nodes.", unit="%",
                              value=12.5).create()
    objects.Action(context, uuid=ONGOING_ACTION, action_plan_id=ongoing.id, action_type="nop",
                   input_parameters={"message": "busy"}, state="ONGOING", parents=[]).create()
    _plan(context, SUCCEEDED_PLAN, done, strategy, "SUCCEEDED")
    _plan(context, PENDING_PLAN, done, strategy, "PENDING")
    objects.ActionDescription(context, action_type="nop",
                              description="Logging a NOP message").create()
    objects.ActionDescription(context, action_type="sleep",
                              description="Wait for a given interval in seconds.").create()
    now = timeutils.utcnow()
    objects.Service(context, name="watcher-decision-engine", host="engine-1",
                    last_seen_up=now).create()
    objects.Service(context, name="watcher-applier", host="applier-1",
                    last_seen_up=now - datetime.timedelta(hours=1)).create()
    objects.ScoringEngine(context, uuid=SCORING_ENGINE, name="dummy_scorer",
                          description="Dummy Scorer calculating the maximum value",
                          metainfo="Empty metadata").create()
