"""SQLAlchemy implementation of the DB API (reached through ``watcher.db.api.get_instance``).

Every resource has the same verbs: ``get_<r>_list``, ``create_<r>``, ``get_<r>_by_id`` /
``_by_uuid`` / ``_by_name`` (where the table has them), ``update_<r>``, ``soft_delete_<r>``
and ``destroy_<r>``. Rows come back detached from their session with every column loaded;
related rows only with ``eager=True``.

Each write is one transaction. To make several writes atomic, wrap them in
``Connection.transaction()``: the calls inside join it and commit or roll back together.
"""

import contextlib
import functools
from collections.abc import Callable, Collection, Iterator, Mapping

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_utils import timeutils, uuidutils
from sqlalchemy import exists, func, insert, select, update

from watcher._i18n import _
from watcher.common import exception
from watcher.common.context import RequestContext
from watcher.db.sqlalchemy import facade, models
from watcher.db.sqlalchemy import query as q
from watcher.db.sqlalchemy import resources as res
from watcher.db.sqlalchemy.types import JsonEncodedType

# Columns whose text comes from exceptions of unbounded length; cut rather than fail the
# state change that carries them.
_TRUNCATED_COLUMNS = {"status_message"}


def _checked(model: type, values: Mapping) -> dict:
    """The column values of ``values`` as they may be written; relationship keys are
    skipped, unknown keys and values that do not fit are refused."""
    columns = model.__table__.columns
    relationships = model.__mapper__.relationships
    checked = {}
    for key, value in values.items():
        if key in relationships:
            continue
        if key not in columns:
            raise exception.Invalid(
                _("%(key)s is not a field of %(table)s") % {"key": key,
                                                          "table": model.__tablename__})
        column_type = columns[key].type
        if (isinstance(column_type, JsonEncodedType) and value is not None
                and not isinstance(value, column_type.python_container)):
            raise exception.Invalid(
                _("%(key)s must be a %(kind)s") % {
                    "key": key, "kind": column_type.python_container.__name__})
        length = getattr(column_type, "length", None)
        if length and isinstance(value, str) and len(value) > length:
            # Checked here because SQLite would store it and the servers refuse it.
            if key not in _TRUNCATED_COLUMNS:
                raise exception.Invalid(
                    _("%(key)s is longer than %(length)d characters") % {
                        "key": key, "length": length})
            value = value[:length]
        checked[key] = value
    return checked


def _assign(resource: res.Resource, row, values: Mapping) -> None:
    """Copy values onto a row; relationship keys are skipped, unknown keys refused."""
    for key, value in _checked(resource.model, values).items():
        setattr(row, key, value)


def _new_rows(resource: res.Resource, values_list: list[Mapping], now) -> list[dict]:
    """Complete rows for one executemany INSERT: every row has the same keys (the driver
    batches them into multi-row statements), a UUID, the defaults and one creation time."""
    model = resource.model
    blank = {column.key: None for column in model.__table__.columns if column.key != "id"}
    blank.update(resource.defaults)
    blank.update(created_at=now, deleted=0)
    rows = []
    for values in values_list:
        row = dict(blank)
        row.update((key, value) for key, value in _checked(model, values).items()
                   if value is not None or key not in resource.defaults)
        if resource.has_uuid and not row.get("uuid"):
            row["uuid"] = uuidutils.generate_uuid()
        rows.append(row)
    return rows


@contextlib.contextmanager
def _db_errors(resource: res.Resource, values: Mapping) -> Iterator[None]:
    """Turn constraint violations into the resource's API exceptions."""
    try:
        yield
    except db_exc.DBDuplicateEntry:
        raise resource.already_exists(dict(values)) from None
    except db_exc.DBReferenceError as error:
        raise exception.Invalid(
            _("%(table)s refers to a missing %(key)s") % {
                "table": resource.model.__tablename__, "key": error.key}) from None
    except db_exc.DBDataError as error:
        raise exception.Invalid(
            _("A value does not fit %(table)s: %(error)s") % {
                "table": resource.model.__tablename__, "error": error}) from None


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
    def _list(resource: res.Resource, context, filters=None, limit=None, marker=None,
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
    def _get(resource: res.Resource, context, field: str, value, eager: bool = False):
        model = resource.model
        if field == "id":
            row_id = q.as_id(value)
            if row_id is None:
                raise resource.not_found(value)
            condition = q.id_condition(model, row_id)
        else:
            condition = getattr(model, field) == value
        # An exact match wins over one that differs in case only.
        ranking = [getattr(model, field) != value] if field == "name" else []
        if ranking and resource.names_fold_case and isinstance(value, str):
            condition = func.lower(getattr(model, field)) == func.lower(value)
        with facade.reader() as session:
            stmt = select(model).where(condition)
            if eager:
                stmt = q.eager(stmt, model)
            if not context.show_deleted:
                stmt = stmt.where(model.deleted_at.is_(None))
            # Names repeat among soft-deleted rows: prefer the live row, then the newest.
            stmt = stmt.order_by(*ranking, model.deleted_at.is_not(None),
                                 model.id.desc()).limit(1)
            row = session.scalars(stmt).unique().one_or_none()
        if row is None:
            raise resource.not_found(value)
        return row

    @staticmethod
    @_retry_on_deadlock
    def _create(resource: res.Resource, values: Mapping):
        values = dict(values)
        if resource.has_uuid and not values.get("uuid"):
            values["uuid"] = uuidutils.generate_uuid()
        for key, default in resource.defaults.items():
            if values.get(key) is None:
                values[key] = default
        row = resource.model()
        _assign(resource, row, values)
        with _db_errors(resource, values), facade.writer() as session:
            session.add(row)
            session.flush()
        return row

    @staticmethod
    @_retry_on_deadlock
    def _update(resource: res.Resource, id_or_uuid, values: Mapping):
        forbidden = {"id", "uuid"} & set(values)
        if forbidden:
            raise exception.Invalid(
                _("Cannot overwrite %(fields)s of an existing %(table)s row") % {
                    "fields": ", ".join(sorted(forbidden)),
                    "table": resource.model.__tablename__})
        model = resource.model
        with _db_errors(resource, values), facade.writer() as session:
            stmt = select(model).where(q.identity_condition(model, id_or_uuid))
            row = session.scalars(stmt.with_for_update()).one_or_none()
            if row is None:
                raise resource.not_found(id_or_uuid)
            _assign(resource, row, values)
            session.flush()
        return row

    @staticmethod
    @_retry_on_deadlock
    def _soft_delete(resource: res.Resource, id_or_uuid):
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
    def _destroy(resource: res.Resource, id_or_uuid) -> None:
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

    def get_goal_list(self, context: RequestContext, *args, **kwargs) -> list[models.Goal]:
        return self._list(res.GOAL, context, *args, **kwargs)

    def create_goal(self, values: Mapping) -> models.Goal:
        return self._create(res.GOAL, values)

    def get_goal_by_id(self, context: RequestContext, goal_id, eager: bool = False) -> models.Goal:
        return self._get(res.GOAL, context, "id", goal_id, eager)

    def get_goal_by_uuid(self, context: RequestContext,
                         goal_uuid, eager: bool = False) -> models.Goal:
        return self._get(res.GOAL, context, "uuid", goal_uuid, eager)

    def get_goal_by_name(self, context: RequestContext,
                         goal_name, eager: bool = False) -> models.Goal:
        return self._get(res.GOAL, context, "name", goal_name, eager)

    def update_goal(self, goal_id, values: Mapping) -> models.Goal:
        return self._update(res.GOAL, goal_id, values)

    def soft_delete_goal(self, goal_id) -> models.Goal:
        return self._soft_delete(res.GOAL, goal_id)

    def destroy_goal(self, goal_id) -> None:
        self._destroy(res.GOAL, goal_id)

    # -- strategies ----------------------------------------------------------------------

    def get_strategy_list(self, context: RequestContext, *args, **kwargs) -> list[models.Strategy]:
        return self._list(res.STRATEGY, context, *args, **kwargs)

    def create_strategy(self, values: Mapping) -> models.Strategy:
        return self._create(res.STRATEGY, values)

    def get_strategy_by_id(self, context: RequestContext,
                           strategy_id, eager: bool = False) -> models.Strategy:
        return self._get(res.STRATEGY, context, "id", strategy_id, eager)

    def get_strategy_by_uuid(self, context: RequestContext,
                             strategy_uuid, eager: bool = False) -> models.Strategy:
        return self._get(res.STRATEGY, context, "uuid", strategy_uuid, eager)

    def get_strategy_by_name(self, context: RequestContext,
                             strategy_name, eager: bool = False) -> models.Strategy:
        return self._get(res.STRATEGY, context, "name", strategy_name, eager)

    def update_strategy(self, strategy_id, values: Mapping) -> models.Strategy:
        return self._update(res.STRATEGY, strategy_id, values)

    def soft_delete_strategy(self, strategy_id) -> models.Strategy:
        return self._soft_delete(res.STRATEGY, strategy_id)

    def destroy_strategy(self, strategy_id) -> None:
        self._destroy(res.STRATEGY, strategy_id)

    # -- audit templates -----------------------------------------------------------------

    def get_audit_template_list(self, context: RequestContext,
                                *args, **kwargs) -> list[models.AuditTemplate]:
        return self._list(res.AUDIT_TEMPLATE, context, *args, **kwargs)

    def create_audit_template(self, values: Mapping) -> models.AuditTemplate:
        return self._create(res.AUDIT_TEMPLATE, values)

    def get_audit_template_by_id(self, context: RequestContext,
                                 audit_template_id, eager: bool = False) -> models.AuditTemplate:
        return self._get(res.AUDIT_TEMPLATE, context, "id", audit_template_id, eager)

    def get_audit_template_by_uuid(self, context: RequestContext,
                                   template_uuid, eager: bool = False) -> models.AuditTemplate:
        return self._get(res.AUDIT_TEMPLATE, context, "uuid", template_uuid, eager)

    def get_audit_template_by_name(self, context: RequestContext,
                                   template_name, eager: bool = False) -> models.AuditTemplate:
        return self._get(res.AUDIT_TEMPLATE, context, "name", template_name, eager)

    def update_audit_template(self, audit_template_id, values: Mapping) -> models.AuditTemplate:
        return self._update(res.AUDIT_TEMPLATE, audit_template_id, values)

    def soft_delete_audit_template(self, audit_template_id) -> models.AuditTemplate:
        return self._soft_delete(res.AUDIT_TEMPLATE, audit_template_id)

    def destroy_audit_template(self, audit_template_id) -> None:
        self._destroy(res.AUDIT_TEMPLATE, audit_template_id)

    # -- audits --------------------------------------------------------------------------

    def get_audit_list(self, context: RequestContext, *args, **kwargs) -> list[models.Audit]:
        return self._list(res.AUDIT, context, *args, **kwargs)

    def create_audit(self, values: Mapping) -> models.Audit:
        return self._create(res.AUDIT, values)

    def get_audit_by_id(self, context: RequestContext,
                        audit_id, eager: bool = False) -> models.Audit:
        return self._get(res.AUDIT, context, "id", audit_id, eager)

    def get_audit_by_uuid(self, context: RequestContext,
                          audit_uuid, eager: bool = False) -> models.Audit:
        return self._get(res.AUDIT, context, "uuid", audit_uuid, eager)

    def get_audit_by_name(self, context: RequestContext,
                          audit_name, eager: bool = False) -> models.Audit:
        return self._get(res.AUDIT, context, "name", audit_name, eager)

    def update_audit(self, audit_id, values: Mapping) -> models.Audit:
        return self._update(res.AUDIT, audit_id, values)

    def soft_delete_audit(self, audit_id) -> models.Audit:
        return self._soft_delete(res.AUDIT, audit_id)

    def destroy_audit(self, audit_id) -> None:
        self._destroy(res.AUDIT, audit_id)

    # -- action plans --------------------------------------------------------------------

    def get_action_plan_list(self, context: RequestContext,
                             *args, **kwargs) -> list[models.ActionPlan]:
        return self._list(res.ACTION_PLAN, context, *args, **kwargs)

    def create_action_plan(self, values: Mapping) -> models.ActionPlan:
        return self._create(res.ACTION_PLAN, values)

    def get_action_plan_by_id(self, context: RequestContext,
                              action_plan_id, eager: bool = False) -> models.ActionPlan:
        return self._get(res.ACTION_PLAN, context, "id", action_plan_id, eager)

    def get_action_plan_by_uuid(self, context: RequestContext,
                                action_plan_uuid, eager: bool = False) -> models.ActionPlan:
        return self._get(res.ACTION_PLAN, context, "uuid", action_plan_uuid, eager)

    def update_action_plan(self, action_plan_id, values: Mapping) -> models.ActionPlan:
        return self._update(res.ACTION_PLAN, action_plan_id, values)

    def soft_delete_action_plan(self, action_plan_id) -> models.ActionPlan:
        return self._soft_delete(res.ACTION_PLAN, action_plan_id)

    def destroy_action_plan(self, action_plan_id) -> None:
        self._destroy(res.ACTION_PLAN, action_plan_id)

    @staticmethod
    @_retry_on_deadlock
    def create_action_plan_with_actions(
            plan_values: Mapping, actions: list[Mapping],
            indicators: list[Mapping]) -> tuple[models.ActionPlan, list[dict], list[dict]]:
        """Insert a plan, its actions and its efficacy indicators in one transaction.

        Readers see the whole plan or nothing of it, so a plan is never startable half
        written, and a writer killed midway leaves no row. Actions and indicators go in
        with one executemany INSERT per table, which the drivers send as multi-row
        statements: the statement count does not grow with the plan. Their values need no
        ``action_plan_id``. Returns the plan row and the rows written for the actions and
        the indicators (plain dicts).
        """
        now = timeutils.utcnow()
        action_rows = _new_rows(res.ACTION, actions, now)
        indicator_rows = _new_rows(res.EFFICACY_INDICATOR, indicators, now)
        plan_values = dict(plan_values)
        plan_values.setdefault("uuid", uuidutils.generate_uuid())
        plan = models.ActionPlan()
        _assign(res.ACTION_PLAN, plan, plan_values)
        with _db_errors(res.ACTION_PLAN, plan_values), facade.writer() as session:
            session.add(plan)
            session.flush()
            for model, rows in ((models.Action, action_rows),
                                (models.EfficacyIndicator, indicator_rows)):
                for row in rows:
                    row["action_plan_id"] = plan.id
                if rows:
                    session.execute(insert(model.__table__), rows)
                    # Ids in one query: RETURNING with executemany is not on every backend.
                    ids = dict(session.execute(
                        select(model.uuid, model.id).where(model.action_plan_id == plan.id)
                    ).tuples().all())
                    for row in rows:
                        row["id"] = ids[row["uuid"]]
        return plan, action_rows, indicator_rows

    # -- actions -------------------------------------------------------------------------

    def get_action_list(self, context: RequestContext, *args, **kwargs) -> list[models.Action]:
        return self._list(res.ACTION, context, *args, **kwargs)

    def create_action(self, values: Mapping) -> models.Action:
        return self._create(res.ACTION, values)

    def get_action_by_id(self, context: RequestContext,
                         action_id, eager: bool = False) -> models.Action:
        return self._get(res.ACTION, context, "id", action_id, eager)

    def get_action_by_uuid(self, context: RequestContext,
                           action_uuid, eager: bool = False) -> models.Action:
        return self._get(res.ACTION, context, "uuid", action_uuid, eager)

    def update_action(self, action_id, values: Mapping) -> models.Action:
        return self._update(res.ACTION, action_id, values)

    @staticmethod
    @_retry_on_deadlock
    def update_action_if_state(action_uuid: str, state: str, values: Mapping) -> bool:
        """Write ``values`` on the live action only while it is in ``state``: one UPDATE,
        no read first (the applier's per-action state changes). False when the action is
        gone or another writer changed its state (say a user's SKIPPED) in between."""
        model = models.Action
        values = _checked(model, values)
        if {"id", "uuid"} & set(values):
            raise exception.Invalid(_("Cannot overwrite id or uuid of an existing actions row"))
        with _db_errors(res.ACTION, values), facade.writer() as session:
            result = session.execute(
                update(model.__table__)
                .where(model.uuid == action_uuid, model.state == state,
                       model.deleted_at.is_(None))
                .values(values))
        return result.rowcount == 1

    @staticmethod
    @_retry_on_deadlock
    def update_plan_actions_if_state(action_plan_id: int, states: Collection[str],
                                     values: Mapping) -> list[models.Action]:
        """``update_action_if_state`` for all the live actions of a plan that are in one of
        ``states`` (a stopped plan's unstarted actions): one locking SELECT and one UPDATE
        whatever their number. Returns their rows as they were before the write."""
        model = models.Action
        values = _checked(model, values)
        if {"id", "uuid"} & set(values):
            raise exception.Invalid(_("Cannot overwrite id or uuid of an existing actions row"))
        condition = (model.action_plan_id == action_plan_id, model.state.in_(list(states)),
                     model.deleted_at.is_(None))
        with _db_errors(res.ACTION, values), facade.writer() as session:
            # Locked, the rows read are the rows the UPDATE then matches: a concurrent
            # writer (a user's SKIPPED) lands before the read or fails its own check after.
            rows = list(session.scalars(
                select(model).where(*condition).order_by(model.id).with_for_update()))
            if rows:
                session.execute(update(model.__table__).where(*condition).values(values))
        return rows

    def soft_delete_action(self, action_id) -> models.Action:
        return self._soft_delete(res.ACTION, action_id)

    def destroy_action(self, action_id) -> None:
        self._destroy(res.ACTION, action_id)

    # -- efficacy indicators -------------------------------------------------------------

    def get_efficacy_indicator_list(self, context: RequestContext,
                                    *args, **kwargs) -> list[models.EfficacyIndicator]:
        return self._list(res.EFFICACY_INDICATOR, context, *args, **kwargs)

    def create_efficacy_indicator(self, values: Mapping) -> models.EfficacyIndicator:
        return self._create(res.EFFICACY_INDICATOR, values)

    def get_efficacy_indicator_by_id(self, context: RequestContext,
                                     indicator_id, eager: bool = False) -> models.EfficacyIndicator:
        return self._get(res.EFFICACY_INDICATOR, context, "id", indicator_id, eager)

    def get_efficacy_indicator_by_uuid(self, context: RequestContext,
                                       uuid, eager: bool = False) -> models.EfficacyIndicator:
        return self._get(res.EFFICACY_INDICATOR, context, "uuid", uuid, eager)

    def get_efficacy_indicator_by_name(self, context: RequestContext,
                                       name, eager: bool = False) -> models.EfficacyIndicator:
        return self._get(res.EFFICACY_INDICATOR, context, "name", name, eager)

    def update_efficacy_indicator(self, indicator_id, values: Mapping) -> models.EfficacyIndicator:
        return self._update(res.EFFICACY_INDICATOR, indicator_id, values)

    def soft_delete_efficacy_indicator(self, indicator_id) -> models.EfficacyIndicator:
        return self._soft_delete(res.EFFICACY_INDICATOR, indicator_id)

    def destroy_efficacy_indicator(self, indicator_id) -> None:
        self._destroy(res.EFFICACY_INDICATOR, indicator_id)

    # -- scoring engines -----------------------------------------------------------------

    def get_scoring_engine_list(self, context: RequestContext,
                                *args, **kwargs) -> list[models.ScoringEngine]:
        return self._list(res.SCORING_ENGINE, context, *args, **kwargs)

    def create_scoring_engine(self, values: Mapping) -> models.ScoringEngine:
        return self._create(res.SCORING_ENGINE, values)

    def get_scoring_engine_by_id(self, context: RequestContext,
                                 scoring_engine_id, eager: bool = False) -> models.ScoringEngine:
        return self._get(res.SCORING_ENGINE, context, "id", scoring_engine_id, eager)

    def get_scoring_engine_by_uuid(self, context: RequestContext,
                                   engine_uuid, eager: bool = False) -> models.ScoringEngine:
        return self._get(res.SCORING_ENGINE, context, "uuid", engine_uuid, eager)

    def get_scoring_engine_by_name(self, context: RequestContext,
                                   engine_name, eager: bool = False) -> models.ScoringEngine:
        return self._get(res.SCORING_ENGINE, context, "name", engine_name, eager)

    def update_scoring_engine(self, scoring_engine_id, values: Mapping) -> models.ScoringEngine:
        return self._update(res.SCORING_ENGINE, scoring_engine_id, values)

    def soft_delete_scoring_engine(self, scoring_engine_id) -> models.ScoringEngine:
        return self._soft_delete(res.SCORING_ENGINE, scoring_engine_id)

    def destroy_scoring_engine(self, scoring_engine_id) -> None:
        self._destroy(res.SCORING_ENGINE, scoring_engine_id)

    # -- services ------------------------------------------------------------------------

    def get_service_list(self, context: RequestContext, *args, **kwargs) -> list[models.Service]:
        return self._list(res.SERVICE, context, *args, **kwargs)

    def create_service(self, values: Mapping) -> models.Service:
        return self._create(res.SERVICE, values)

    def get_service_by_id(self, context: RequestContext,
                          service_id, eager: bool = False) -> models.Service:
        return self._get(res.SERVICE, context, "id", service_id, eager)

    def get_service_by_name(self, context: RequestContext,
                            service_name, eager: bool = False) -> models.Service:
        """The service of that name with the lowest id (one row per host shares a name)."""
        rows = self._list(res.SERVICE, context, filters={"name": service_name}, limit=1,
                          eager=eager)
        if not rows:
            raise res.SERVICE.not_found(service_name)
        return rows[0]

    def update_service(self, service_id, values: Mapping) -> models.Service:
        return self._update(res.SERVICE, service_id, values)

    def soft_delete_service(self, service_id) -> models.Service:
        return self._soft_delete(res.SERVICE, service_id)

    def destroy_service(self, service_id) -> None:
        self._destroy(res.SERVICE, service_id)

    # -- action descriptions -------------------------------------------------------------

    def get_action_description_list(self, context: RequestContext,
                                    *args, **kwargs) -> list[models.ActionDescription]:
        return self._list(res.ACTION_DESCRIPTION, context, *args, **kwargs)

    def create_action_description(self, values: Mapping) -> models.ActionDescription:
        return self._create(res.ACTION_DESCRIPTION, values)

    def get_action_description_by_id(self, context: RequestContext,
                                     action_id, eager: bool = False) -> models.ActionDescription:
        return self._get(res.ACTION_DESCRIPTION, context, "id", action_id, eager)

    def get_action_description_by_type(
            self, context: RequestContext, action_type: str,
            eager: bool = False) -> models.ActionDescription:
        return self._get(res.ACTION_DESCRIPTION, context, "action_type", action_type, eager)

    def update_action_description(self, action_id, values: Mapping) -> models.ActionDescription:
        return self._update(res.ACTION_DESCRIPTION, action_id, values)

    def soft_delete_action_description(self, action_id) -> models.ActionDescription:
        return self._soft_delete(res.ACTION_DESCRIPTION, action_id)

    def destroy_action_description(self, action_id) -> None:
        self._destroy(res.ACTION_DESCRIPTION, action_id)
