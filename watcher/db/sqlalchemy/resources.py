"""What the DB API knows about each resource table beyond its columns.

Per table: the exceptions for a missing row and for a duplicate, the relational filters
(``goal_uuid``, ``audit_uuid``, ...), which child rows forbid a hard delete, and the values a
new row gets by default.
"""

import dataclasses
from collections.abc import Callable, Mapping

from watcher.common import exception
from watcher.db.sqlalchemy import models
from watcher.db.sqlalchemy import query as q


@dataclasses.dataclass(frozen=True)
class Resource:
    model: type
    not_found: Callable[[object], Exception]
    already_exists: Callable[[dict], Exception]
    relations: Mapping[str, q.Relation] = dataclasses.field(default_factory=dict)
    # (child model, foreign key attribute): rows that forbid a hard delete while they exist.
    children: tuple[tuple[type, str], ...] = ()
    referenced: Callable[[object], Exception] | None = None
    # Values a new row gets when the caller leaves them out or passes None.
    defaults: Mapping[str, object] = dataclasses.field(default_factory=dict)
    # Names looked up without regard to case, on every backend alike: MariaDB's collation
    # does so for upstream, and upstream's API tests rely on it (GET /v1/goals/DUMMY).
    names_fold_case: bool = False

    @property
    def has_uuid(self) -> bool:
        return "uuid" in q.column_names(self.model)


_GOAL_RELATIONS = {
    "goal_uuid": q.Relation([("goal_id", models.Goal)], "uuid"),
    "goal_name": q.Relation([("goal_id", models.Goal)], "name"),
}
_STRATEGY_RELATIONS = {
    "strategy_uuid": q.Relation([("strategy_id", models.Strategy)], "uuid"),
    "strategy_name": q.Relation([("strategy_id", models.Strategy)], "name"),
}
_ACTION_PLAN_RELATIONS = {
    "action_plan_uuid": q.Relation([("action_plan_id", models.ActionPlan)], "uuid"),
}

GOAL = Resource(
    model=models.Goal,
    not_found=lambda v: exception.GoalNotFound(goal=v),
    already_exists=lambda values: exception.GoalAlreadyExists(uuid=values.get("uuid")),
    children=((models.Strategy, "goal_id"), (models.AuditTemplate, "goal_id"),
              (models.Audit, "goal_id")),
    referenced=lambda v: exception.GoalReferenced(goal=v),
    names_fold_case=True,
)
STRATEGY = Resource(
    model=models.Strategy,
    not_found=lambda v: exception.StrategyNotFound(strategy=v),
    already_exists=lambda values: exception.StrategyAlreadyExists(uuid=values.get("uuid")),
    relations=_GOAL_RELATIONS,
    children=((models.AuditTemplate, "strategy_id"), (models.Audit, "strategy_id"),
              (models.ActionPlan, "strategy_id")),
    referenced=lambda v: exception.StrategyReferenced(strategy=v),
    names_fold_case=True,
)
AUDIT_TEMPLATE = Resource(
    model=models.AuditTemplate,
    not_found=lambda v: exception.AuditTemplateNotFound(audit_template=v),
    already_exists=lambda values: exception.AuditTemplateAlreadyExists(
        audit_template=values.get("name") or values.get("uuid")),
    relations={**_GOAL_RELATIONS, **_STRATEGY_RELATIONS},
)
AUDIT = Resource(
    model=models.Audit,
    not_found=lambda v: exception.AuditNotFound(audit=v),
    already_exists=lambda values: exception.AuditAlreadyExists(
        audit=values.get("name") or values.get("uuid")),
    relations={**_GOAL_RELATIONS, **_STRATEGY_RELATIONS},
    children=((models.ActionPlan, "audit_id"),),
    referenced=lambda v: exception.AuditReferenced(audit=v),
    # Upstream's DB layer fills these itself; the literal is the audit state PENDING.
    defaults={"state": "PENDING", "auto_trigger": False, "force": False},
)
ACTION_PLAN = Resource(
    model=models.ActionPlan,
    not_found=lambda v: exception.ActionPlanNotFound(action_plan=v),
    already_exists=lambda values: exception.ActionPlanAlreadyExists(uuid=values.get("uuid")),
    relations={
        "audit_uuid": q.Relation([("audit_id", models.Audit)], "uuid"),
        **_STRATEGY_RELATIONS,
    },
    children=((models.Action, "action_plan_id"), (models.EfficacyIndicator, "action_plan_id")),
    referenced=lambda v: exception.ActionPlanReferenced(action_plan=v),
)
ACTION = Resource(
    model=models.Action,
    not_found=lambda v: exception.ActionNotFound(action=v),
    already_exists=lambda values: exception.ActionAlreadyExists(uuid=values.get("uuid")),
    relations={
        **_ACTION_PLAN_RELATIONS,
        "audit_uuid": q.Relation(
            [("action_plan_id", models.ActionPlan), ("audit_id", models.Audit)], "uuid"),
    },
    defaults={"state": "PENDING"},
)
EFFICACY_INDICATOR = Resource(
    model=models.EfficacyIndicator,
    not_found=lambda v: exception.EfficacyIndicatorNotFound(efficacy_indicator=v),
    already_exists=lambda values: exception.EfficacyIndicatorAlreadyExists(
        uuid=values.get("uuid")),
    relations=_ACTION_PLAN_RELATIONS,
)
SCORING_ENGINE = Resource(
    model=models.ScoringEngine,
    not_found=lambda v: exception.ScoringEngineNotFound(scoring_engine=v),
    already_exists=lambda values: exception.ScoringEngineAlreadyExists(
        uuid=values.get("uuid")),
    names_fold_case=True,
)
SERVICE = Resource(
    model=models.Service,
    not_found=lambda v: exception.ServiceNotFound(service=v),
    already_exists=lambda values: exception.ServiceAlreadyExists(
        name=values.get("name"), host=values.get("host")),
    children=((models.APSchedulerJob, "service_id"),),
    referenced=lambda v: exception.ServiceReferenced(service=v),
)
ACTION_DESCRIPTION = Resource(
    model=models.ActionDescription,
    not_found=lambda v: exception.ActionDescriptionNotFound(action_id=v),
    already_exists=lambda values: exception.ActionDescriptionAlreadyExists(
        action_type=values.get("action_type")),
)
