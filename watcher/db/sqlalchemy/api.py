"""SQLAlchemy implementation of the DB API (reached through ``watcher.db.api.get_instance``).

Every resource has the same verbs: ``get_<r>_list``, ``create_<r>``, ``get_<r>_by_id`` /
``_by_uuid`` / ``_by_name`` (where the table has them), ``update_<r>``, ``soft_delete_<r>``
and ``destroy_<r>``. Rows come back detached from their session with every column loaded;
related rows only with ``eager=True``.

Each write is one transaction. To make several writes atomic, wrap them in
``Connection.transaction()``: the calls inside join it and commit or roll back together.
"""

import dataclasses
import functools
from collections.abc import Callable, Mapping

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_log import log
from oslo_utils import timeutils, uuidutils
from sqlalchemy import exists, select

from watcher._i18n import _
from watcher.common import exception
from watcher.db.sqlalchemy import facade, models
from watcher.db.sqlalchemy import query as q
from watcher.db.sqlalchemy.types import JsonEncodedType

LOG = log.getLogger(__name__)

# Columns whose text comes from exceptions of unbounded length; cut rather than fail the
# state change that carries them.
_TRUNCATED_COLUMNS = {"status_message": 255}


@dataclasses.dataclass(frozen=True)
class _Resource:
    model: type
    not_found: Callable[[object], Exception]
    already_exists: Callable[[dict], Exception]
    relations: Mapping[str, q.Relation] = dataclasses.field(default_factory=dict)
    # (child model, foreign key attribute): rows that forbid a hard delete while they exist.
    children: tuple[tuple[type, str], ...] = ()
    referenced: Callable[[object], Exception] | None = None
    # Values a new row gets when the caller leaves them out or passes None.
    defaults: Mapping[str, object] = dataclasses.field(default_factory=dict)

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

GOAL = _Resource(
    model=models.Goal,
    not_found=lambda v: exception.GoalNotFound(goal=v),
    already_exists=lambda values: exception.GoalAlreadyExists(uuid=values.get("uuid")),
    children=((models.Strategy, "goal_id"), (models.AuditTemplate, "goal_id"),
              (models.Audit, "goal_id")),
    referenced=lambda v: exception.GoalReferenced(goal=v),
)
STRATEGY = _Resource(
    model=models.Strategy,
    not_found=lambda v: exception.StrategyNotFound(strategy=v),
    already_exists=lambda values: exception.StrategyAlreadyExists(uuid=values.get("uuid")),
    relations=_GOAL_RELATIONS,
    children=((models.AuditTemplate, "strategy_id"), (models.Audit, "strategy_id"),
              (models.ActionPlan, "strategy_id")),
    referenced=lambda v: exception.StrategyReferenced(strategy=v),
)
AUDIT_TEMPLATE = _Resource(
    model=models.AuditTemplate,
    not_found=lambda v: exception.AuditTemplateNotFound(audit_template=v),
    already_exists=lambda values: exception.AuditTemplateAlreadyExists(
        audit_template=values.get("name") or values.get("uuid")),
    relations={**_GOAL_RELATIONS, **_STRATEGY_RELATIONS},
)
AUDIT = _Resource(
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
ACTION_PLAN = _Resource(
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
ACTION = _Resource(
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
EFFICACY_INDICATOR = _Resource(
    model=models.EfficacyIndicator,
    not_found=lambda v: exception.EfficacyIndicatorNotFound(efficacy_indicator=v),
    already_exists=lambda values: exception.EfficacyIndicatorAlreadyExists(
        uuid=values.get("uuid")),
    relations=_ACTION_PLAN_RELATIONS,
)
SCORING_ENGINE = _Resource(
    model=models.ScoringEngine,
    not_found=lambda v: exception.ScoringEngineNotFound(scoring_engine=v),
    already_exists=lambda values: exception.ScoringEngineAlreadyExists(
        uuid=values.get("uuid")),
)
SERVICE = _Resource(
    model=models.Service,
    not_found=lambda v: exception.ServiceNotFound(service=v),
    already_exists=lambda values: exception.ServiceAlreadyExists(
        name=values.get("name"), host=values.get("host")),
    children=((models.APSchedulerJob, "service_id"),),
    referenced=lambda v: exception.ServiceReferenced(service=v),
)
ACTION_DESCRIPTION = _Resource(
    model=models.ActionDescription,
    not_found=lambda v: exception.ActionDescriptionNotFound(action_id=v),
    already_exists=lambda values: exception.ActionDescriptionAlreadyExists(
        action_type=values.get("action_type")),
)


def _assign(resource: _Resource, row, values: Mapping) -> None:
    """Copy values onto a row; relationship keys are skipped, unknown keys refused."""
    model = resource.model
    columns = q.column_names(model)
    relationships = set(model.__mapper__.relationships.keys())
    for key, value in values.items():
        if key in relationships:
            continue
        if key not in columns:
            raise exception.Invalid(
                _("%(key)s is not a field of %(table)s") % {"key": key,
                                                          "table": model.__tablename__})
        column_type = model.__table__.columns[key].type
        if (isinstance(column_type, JsonEncodedType) and value is not None
                and not isinstance(value, column_type.python_container)):
            raise exception.Invalid(
                _("%(key)s must be a %(kind)s") % {
                    "key": key, "kind": column_type.python_container.__name__})
        limit = _TRUNCATED_COLUMNS.get(key)
        if limit and isinstance(value, str) and len(value) > limit:
            value = value[:limit]
        setattr(row, key, value)


def _retry_on_deadlock(function: Callable) -> Callable:
    """Retry a write that lost a deadlock, unless it runs inside a caller's transaction.

    Inside ``Connection.transaction()`` the deadlock has already rolled back the caller's
    earlier writes, so only the caller can start over.
    """
    retrying = oslo_db_api.wrap_db_retry(max_retries=5, retry_on_deadlock=True)(function)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if facade.in_transaction():
            return function(*args, **kwargs)
        return retrying(*args, **kwargs)

    return wrapper


class Connection:
    """The DB API. Stateless: any number of instances share the one facade."""

    # -- generic operations --------------------------------------------------------------

    @staticmethod
    def transaction():
        """A write transaction that the DB API calls made inside it join."""
        return facade.writer()

    @staticmethod
    def _list(resource: _Resource, context, filters=None, limit=None, marker=None,
              sort_key=None, sort_dir=None, eager=False) -> list:
        model = resource.model
        sort_key, sort_dir = q.check_sort(model, sort_key, sort_dir)
        with facade.reader() as session:
            stmt = select(model)
            if eager:
                stmt = q.eager(stmt, model)
            stmt = q.add_filters(stmt, model, filters, resource.relations)
            if not context.show_deleted:
                stmt = stmt.where(model.deleted_at.is_(None))
            if marker is not None:
                marker_row = session.scalars(
                    select(model).where(q.marker_condition(model, marker))).one_or_none()
                if marker_row is None:
                    raise exception.InvalidMarker(marker=marker)
                stmt = stmt.where(q.after_marker(model, sort_key, sort_dir, marker_row))
            stmt = q.order(stmt, model, sort_key, sort_dir)
            if limit is not None:
                stmt = stmt.limit(limit)
            return list(session.scalars(stmt).unique())

    @staticmethod
    def _get(resource: _Resource, context, field: str, value, eager: bool = False):
        model = resource.model
        if field == "id" and not (isinstance(value, int) or str(value).isdigit()):
            raise resource.not_found(value)
        with facade.reader() as session:
            stmt = select(model).where(getattr(model, field) == value)
            if eager:
                stmt = q.eager(stmt, model)
            if not context.show_deleted:
                stmt = stmt.where(model.deleted_at.is_(None))
            # Names repeat among soft-deleted rows: prefer the live row, then the newest.
            stmt = stmt.order_by(model.deleted_at.is_not(None), model.id.desc()).limit(1)
            row = session.scalars(stmt).unique().one_or_none()
        if row is None:
            raise resource.not_found(value)
        return row

    @staticmethod
    @_retry_on_deadlock
    def _create(resource: _Resource, values: Mapping):
        values = dict(values)
        if resource.has_uuid and not values.get("uuid"):
            values["uuid"] = uuidutils.generate_uuid()
        for key, default in resource.defaults.items():
            if values.get(key) is None:
                values[key] = default
        row = resource.model()
        _assign(resource, row, values)
        try:
            with facade.writer() as session:
                session.add(row)
                session.flush()
        except db_exc.DBDuplicateEntry:
            raise resource.already_exists(values) from None
        except db_exc.DBReferenceError as error:
            raise exception.Invalid(
                _("%(table)s refers to a missing %(key)s") % {
                    "table": resource.model.__tablename__, "key": error.key}) from None
        return row

    @staticmethod
    @_retry_on_deadlock
    def _update(resource: _Resource, id_or_uuid, values: Mapping):
        forbidden = {"id", "uuid"} & set(values)
        if forbidden:
            raise exception.Invalid(
                _("Cannot overwrite %(fields)s of an existing %(table)s row") % {
                    "fields": ", ".join(sorted(forbidden)),
                    "table": resource.model.__tablename__})
        model = resource.model
        try:
            with facade.writer() as session:
                stmt = select(model).where(q.identity_condition(model, id_or_uuid))
                row = session.scalars(stmt.with_for_update()).one_or_none()
                if row is None:
                    raise resource.not_found(id_or_uuid)
                _assign(resource, row, values)
                session.flush()
        except db_exc.DBDuplicateEntry:
            raise resource.already_exists(dict(values)) from None
        except db_exc.DBReferenceError as error:
            raise exception.Invalid(
                _("%(table)s refers to a missing %(key)s") % {
                    "table": model.__tablename__, "key": error.key}) from None
        return row

    @staticmethod
    @_retry_on_deadlock
    def _soft_delete(resource: _Resource, id_or_uuid):
        model = resource.model
        with facade.writer() as session:
            stmt = select(model).where(q.identity_condition(model, id_or_uuid))
            row = session.scalars(stmt.with_for_update()).one_or_none()
            if row is None:
                raise resource.not_found(id_or_uuid)
            row.deleted = row.id
            row.deleted_at = timeutils.utcnow()
            session.flush()
        return row

    @staticmethod
    @_retry_on_deadlock
    def _destroy(resource: _Resource, id_or_uuid) -> None:
        model = resource.model
        with facade.writer() as session:
            stmt = select(model).where(q.identity_condition(model, id_or_uuid))
            row = session.scalars(stmt.with_for_update()).one_or_none()
            if row is None:
                raise resource.not_found(id_or_uuid)
            for child, fk in resource.children:
                if session.scalar(select(exists().where(getattr(child, fk) == row.id))):
                    raise resource.referenced(id_or_uuid)
            session.delete(row)
            session.flush()

    # -- goals ---------------------------------------------------------------------------

    def get_goal_list(self, context, *args, **kwargs) -> list:
        return self._list(GOAL, context, *args, **kwargs)

    def create_goal(self, values: Mapping):
        return self._create(GOAL, values)

    def get_goal_by_id(self, context, goal_id, eager=False):
        return self._get(GOAL, context, "id", goal_id, eager)

    def get_goal_by_uuid(self, context, goal_uuid, eager=False):
        return self._get(GOAL, context, "uuid", goal_uuid, eager)

    def get_goal_by_name(self, context, goal_name, eager=False):
        return self._get(GOAL, context, "name", goal_name, eager)

    def update_goal(self, goal_id, values: Mapping):
        return self._update(GOAL, goal_id, values)

    def soft_delete_goal(self, goal_id):
        return self._soft_delete(GOAL, goal_id)

    def destroy_goal(self, goal_id) -> None:
        self._destroy(GOAL, goal_id)

    # -- strategies ----------------------------------------------------------------------

    def get_strategy_list(self, context, *args, **kwargs) -> list:
        return self._list(STRATEGY, context, *args, **kwargs)

    def create_strategy(self, values: Mapping):
        return self._create(STRATEGY, values)

    def get_strategy_by_id(self, context, strategy_id, eager=False):
        return self._get(STRATEGY, context, "id", strategy_id, eager)

    def get_strategy_by_uuid(self, context, strategy_uuid, eager=False):
        return self._get(STRATEGY, context, "uuid", strategy_uuid, eager)

    def get_strategy_by_name(self, context, strategy_name, eager=False):
        return self._get(STRATEGY, context, "name", strategy_name, eager)

    def update_strategy(self, strategy_id, values: Mapping):
        return self._update(STRATEGY, strategy_id, values)

    def soft_delete_strategy(self, strategy_id):
        return self._soft_delete(STRATEGY, strategy_id)

    def destroy_strategy(self, strategy_id) -> None:
        self._destroy(STRATEGY, strategy_id)

    # -- audit templates -----------------------------------------------------------------

    def get_audit_template_list(self, context, *args, **kwargs) -> list:
        return self._list(AUDIT_TEMPLATE, context, *args, **kwargs)

    def create_audit_template(self, values: Mapping):
        return self._create(AUDIT_TEMPLATE, values)

    def get_audit_template_by_id(self, context, audit_template_id, eager=False):
        return self._get(AUDIT_TEMPLATE, context, "id", audit_template_id, eager)

    def get_audit_template_by_uuid(self, context, audit_template_uuid, eager=False):
        return self._get(AUDIT_TEMPLATE, context, "uuid", audit_template_uuid, eager)

    def get_audit_template_by_name(self, context, audit_template_name, eager=False):
        return self._get(AUDIT_TEMPLATE, context, "name", audit_template_name, eager)

    def update_audit_template(self, audit_template_id, values: Mapping):
        return self._update(AUDIT_TEMPLATE, audit_template_id, values)

    def soft_delete_audit_template(self, audit_template_id):
        return self._soft_delete(AUDIT_TEMPLATE, audit_template_id)

    def destroy_audit_template(self, audit_template_id) -> None:
        self._destroy(AUDIT_TEMPLATE, audit_template_id)

    # -- audits --------------------------------------------------------------------------

    def get_audit_list(self, context, *args, **kwargs) -> list:
        return self._list(AUDIT, context, *args, **kwargs)

    def create_audit(self, values: Mapping):
        return self._create(AUDIT, values)

    def get_audit_by_id(self, context, audit_id, eager=False):
        return self._get(AUDIT, context, "id", audit_id, eager)

    def get_audit_by_uuid(self, context, audit_uuid, eager=False):
        return self._get(AUDIT, context, "uuid", audit_uuid, eager)

    def get_audit_by_name(self, context, audit_name, eager=False):
        return self._get(AUDIT, context, "name", audit_name, eager)

    def update_audit(self, audit_id, values: Mapping):
        return self._update(AUDIT, audit_id, values)

    def soft_delete_audit(self, audit_id):
        return self._soft_delete(AUDIT, audit_id)

    def destroy_audit(self, audit_id) -> None:
        self._destroy(AUDIT, audit_id)

    # -- action plans --------------------------------------------------------------------

    def get_action_plan_list(self, context, *args, **kwargs) -> list:
        return self._list(ACTION_PLAN, context, *args, **kwargs)

    def create_action_plan(self, values: Mapping):
        return self._create(ACTION_PLAN, values)

    def get_action_plan_by_id(self, context, action_plan_id, eager=False):
        return self._get(ACTION_PLAN, context, "id", action_plan_id, eager)

    def get_action_plan_by_uuid(self, context, action_plan_uuid, eager=False):
        return self._get(ACTION_PLAN, context, "uuid", action_plan_uuid, eager)

    def update_action_plan(self, action_plan_id, values: Mapping):
        return self._update(ACTION_PLAN, action_plan_id, values)

    def soft_delete_action_plan(self, action_plan_id):
        return self._soft_delete(ACTION_PLAN, action_plan_id)

    def destroy_action_plan(self, action_plan_id) -> None:
        self._destroy(ACTION_PLAN, action_plan_id)

    # -- actions -------------------------------------------------------------------------

    def get_action_list(self, context, *args, **kwargs) -> list:
        return self._list(ACTION, context, *args, **kwargs)

    def create_action(self, values: Mapping):
        return self._create(ACTION, values)

    def get_action_by_id(self, context, action_id, eager=False):
        return self._get(ACTION, context, "id", action_id, eager)

    def get_action_by_uuid(self, context, action_uuid, eager=False):
        return self._get(ACTION, context, "uuid", action_uuid, eager)

    def update_action(self, action_id, values: Mapping):
        return self._update(ACTION, action_id, values)

    def soft_delete_action(self, action_id):
        return self._soft_delete(ACTION, action_id)

    def destroy_action(self, action_id) -> None:
        self._destroy(ACTION, action_id)

    # -- efficacy indicators -------------------------------------------------------------

    def get_efficacy_indicator_list(self, context, *args, **kwargs) -> list:
        return self._list(EFFICACY_INDICATOR, context, *args, **kwargs)

    def create_efficacy_indicator(self, values: Mapping):
        return self._create(EFFICACY_INDICATOR, values)

    def get_efficacy_indicator_by_id(self, context, indicator_id, eager=False):
        return self._get(EFFICACY_INDICATOR, context, "id", indicator_id, eager)

    def get_efficacy_indicator_by_uuid(self, context, indicator_uuid, eager=False):
        return self._get(EFFICACY_INDICATOR, context, "uuid", indicator_uuid, eager)

    def get_efficacy_indicator_by_name(self, context, indicator_name, eager=False):
        return self._get(EFFICACY_INDICATOR, context, "name", indicator_name, eager)

    def update_efficacy_indicator(self, indicator_id, values: Mapping):
        return self._update(EFFICACY_INDICATOR, indicator_id, values)

    def soft_delete_efficacy_indicator(self, indicator_id):
        return self._soft_delete(EFFICACY_INDICATOR, indicator_id)

    def destroy_efficacy_indicator(self, indicator_id) -> None:
        self._destroy(EFFICACY_INDICATOR, indicator_id)

    # -- scoring engines -----------------------------------------------------------------

    def get_scoring_engine_list(self, context, *args, **kwargs) -> list:
        return self._list(SCORING_ENGINE, context, *args, **kwargs)

    def create_scoring_engine(self, values: Mapping):
        return self._create(SCORING_ENGINE, values)

    def get_scoring_engine_by_id(self, context, scoring_engine_id, eager=False):
        return self._get(SCORING_ENGINE, context, "id", scoring_engine_id, eager)

    def get_scoring_engine_by_uuid(self, context, scoring_engine_uuid, eager=False):
        return self._get(SCORING_ENGINE, context, "uuid", scoring_engine_uuid, eager)

    def get_scoring_engine_by_name(self, context, scoring_engine_name, eager=False):
        return self._get(SCORING_ENGINE, context, "name", scoring_engine_name, eager)

    def update_scoring_engine(self, scoring_engine_id, values: Mapping):
        return self._update(SCORING_ENGINE, scoring_engine_id, values)

    def soft_delete_scoring_engine(self, scoring_engine_id):
        return self._soft_delete(SCORING_ENGINE, scoring_engine_id)

    def destroy_scoring_engine(self, scoring_engine_id) -> None:
        self._destroy(SCORING_ENGINE, scoring_engine_id)

    # -- services ------------------------------------------------------------------------

    def get_service_list(self, context, *args, **kwargs) -> list:
        return self._list(SERVICE, context, *args, **kwargs)

    def create_service(self, values: Mapping):
        return self._create(SERVICE, values)

    def get_service_by_id(self, context, service_id, eager=False):
        return self._get(SERVICE, context, "id", service_id, eager)

    def get_service_by_name(self, context, service_name, eager=False):
        """The service of that name with the lowest id (one row per host shares a name)."""
        rows = self._list(SERVICE, context, filters={"name": service_name}, limit=1,
                          eager=eager)
        if not rows:
            raise SERVICE.not_found(service_name)
        return rows[0]

    def update_service(self, service_id, values: Mapping):
        return self._update(SERVICE, service_id, values)

    def soft_delete_service(self, service_id):
        return self._soft_delete(SERVICE, service_id)

    def destroy_service(self, service_id) -> None:
        self._destroy(SERVICE, service_id)

    # -- action descriptions -------------------------------------------------------------

    def get_action_description_list(self, context, *args, **kwargs) -> list:
        return self._list(ACTION_DESCRIPTION, context, *args, **kwargs)

    def create_action_description(self, values: Mapping):
        return self._create(ACTION_DESCRIPTION, values)

    def get_action_description_by_id(self, context, action_id, eager=False):
        return self._get(ACTION_DESCRIPTION, context, "id", action_id, eager)

    def get_action_description_by_type(self, context, action_type, eager=False):
        return self._get(ACTION_DESCRIPTION, context, "action_type", action_type, eager)

    def update_action_description(self, action_id, values: Mapping):
        return self._update(ACTION_DESCRIPTION, action_id, values)

    def soft_delete_action_description(self, action_id):
        return self._soft_delete(ACTION_DESCRIPTION, action_id)

    def destroy_action_description(self, action_id) -> None:
        self._destroy(ACTION_DESCRIPTION, action_id)
