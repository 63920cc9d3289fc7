"""Building blocks for list queries: filters, identity lookups, sorting and markers.

Filter keys follow upstream: ``<field>`` or ``<field>__<op>`` with op one of eq, neq, gt,
gte, lt, lte, in, notin. A field is any column of the model, or one of the model's relational
filters (``goal_uuid``, ``audit_uuid``, ...), which are answered with ``IN (subquery)`` rather
than joins so that any number of them combine without ambiguous joins.
"""

import datetime
import operator
from collections.abc import Callable, Mapping

from oslo_utils import strutils, timeutils, uuidutils
from sqlalchemy import Select, and_, false, inspect, or_, select
from sqlalchemy.orm import joinedload

from watcher._i18n import _
from watcher.common import exception

OPERATORS: dict[str, Callable] = {
    "": operator.eq,
    "eq": operator.eq,
    "neq": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda column, values: column.in_(list(values)),
    "notin": lambda column, values: column.not_in(list(values)),
}

SORT_DIRS = ("asc", "desc")


class Relation:
    """A filter on a related table's column, reached through one or more foreign keys.

    ``path`` is a sequence of (foreign key attribute name, target model): for actions,
    ``audit_uuid`` is ``[("action_plan_id", ActionPlan), ("audit_id", Audit)]`` and "uuid".
    """

    def __init__(self, path: list[tuple[str, type]], column: str):
        self.path = path
        self.column = column

    def condition(self, model: type, op: Callable, value):
        # Walk the path backwards, nesting one IN (SELECT id ...) per hop.
        last_fk, last_model = self.path[-1]
        inner = select(last_model.id).where(op(getattr(last_model, self.column), value))
        fk_name = last_fk
        for fk, target in reversed(self.path[:-1]):
            inner = select(target.id).where(getattr(target, fk_name).in_(inner))
            fk_name = fk
        return getattr(model, fk_name).in_(inner)


def column_names(model: type) -> set[str]:
    return {column.key for column in inspect(model).columns}


def _coerce_datetime(value):
    """Naive UTC, as the columns store it; ISO 8601 strings are accepted."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        try:
            value = timeutils.parse_isotime(str(value))
        except ValueError:
            raise exception.Invalid(_("%s is not an ISO 8601 date and time") % value) from None
    return timeutils.normalize_time(value)


def _split(raw_key: str) -> tuple[str, str]:
    field, _sep, op = raw_key.partition("__")
    if op not in OPERATORS:
        raise exception.InvalidOperator(operator=op, valid_operators=sorted(OPERATORS))
    return field, op


def add_filters(stmt: Select, model: type, filters: Mapping | None,
                relations: Mapping[str, Relation]) -> Select:
    """Apply upstream-style filters; unknown fields are refused rather than ignored."""
    columns = column_names(model)
    for raw_key, value in (filters or {}).items():
        if raw_key == "deleted":
            # 'deleted' is a flag for callers; in the table it is 0 or the row's id.
            deleted = strutils.bool_from_string(value) if isinstance(value, str) else value
            stmt = stmt.where(model.deleted != 0 if deleted else model.deleted == 0)
            continue
        field, op = _split(raw_key)
        if field in columns:
            column = getattr(model, field)
            if column.type.python_type is datetime.datetime:
                if op in ("in", "notin"):
                    value = [_coerce_datetime(item) for item in value]
                else:
                    value = _coerce_datetime(value)
            stmt = stmt.where(OPERATORS[op](column, value))
        elif field in relations:
            stmt = stmt.where(relations[field].condition(model, OPERATORS[op], value))
        else:
            raise exception.InvalidFilter(field=field, resource=model.__tablename__)
    return stmt


# Ids are 32-bit integer columns; PostgreSQL errors on anything wider instead of matching
# nothing, so a wider number is treated as an id no row has.
MAX_ID = 2**31 - 1


def as_id(value) -> int | None:
    """``value`` as a row id (an int, or a string of digits), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return int(value)
    return None


def id_condition(model: type, row_id: int):
    return model.id == row_id if 0 <= row_id <= MAX_ID else false()


def identity_condition(model: type, value):
    """Row by id (int or digits) or, for tables that have one, by UUID."""
    row_id = as_id(value)
    if row_id is not None:
        return id_condition(model, row_id)
    if "uuid" in column_names(model) and uuidutils.is_uuid_like(value):
        return model.uuid == value
    raise exception.InvalidIdentity(identity=value)


def eager(stmt: Select, model: type) -> Select:
    """Load every many-to-one relationship (goal, strategy, audit, action_plan) at once."""
    for relationship in inspect(model).relationships:
        if not relationship.uselist:
            stmt = stmt.options(joinedload(getattr(model, relationship.key)))
    return stmt


def check_sort(model: type, sort_key: str | None, sort_dir: str | None) -> tuple[str, str]:
    sort_key = sort_key or "id"
    sort_dir = sort_dir or "asc"
    if sort_dir not in SORT_DIRS:
        raise exception.InvalidSortDir(dir=sort_dir)
    if sort_key not in column_names(model):
        raise exception.InvalidSortKey(key=sort_key)
    return sort_key, sort_dir


def order(stmt: Select, model: type, sort_key: str, sort_dir: str) -> Select:
    """Order by the key then id, NULLs first ascending, identically on every backend.

    Backends disagree on where NULLs sort, so the NULL test is an explicit first key.
    """
    column = getattr(model, sort_key)
    if sort_dir == "asc":
        keys = [column.is_(None).desc(), column.asc(), model.id.asc()]
    else:
        keys = [column.is_(None).asc(), column.desc(), model.id.desc()]
    if sort_key == "id":
        keys = keys[-1:]
    return stmt.order_by(*keys)


def after_marker(model: type, sort_key: str, sort_dir: str, marker_row):
    """The condition selecting the rows that follow ``marker_row`` in ``order()``'s order."""
    column = getattr(model, sort_key)
    marker_id = marker_row.id
    if sort_key == "id":
        return model.id > marker_id if sort_dir == "asc" else model.id < marker_id
    marker_value = getattr(marker_row, sort_key)
    if sort_dir == "asc":
        if marker_value is None:
            return or_(and_(column.is_(None), model.id > marker_id), column.is_not(None))
        return or_(column > marker_value, and_(column == marker_value, model.id > marker_id))
    if marker_value is None:
        return and_(column.is_(None), model.id < marker_id)
    return or_(
        column < marker_value,
        and_(column == marker_value, model.id < marker_id),
        column.is_(None),
    )


def marker_condition(model: type, marker):
    """How to find the marker row: an object with an ``id``, an id, or a UUID."""
    marker_id = getattr(marker, "id", None)
    if marker_id is not None:
        return model.id == marker_id
    try:
        return identity_condition(model, marker)
    except exception.InvalidIdentity:
        raise exception.InvalidMarker(marker=marker) from None

