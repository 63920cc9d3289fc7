"""Query building blocks, checked on the SQL they produce (no database needed)."""

import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import sqlite

from watcher.common import exception
from watcher.db.sqlalchemy import models
from watcher.db.sqlalchemy import query as q


def _sql(stmt) -> str:
    return str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def test_identity_accepts_ints_digit_strings_and_uuids():
    assert _sql(select(models.Goal).where(q.identity_condition(models.Goal, 7))).endswith(
        "WHERE goals.id = 7")
    assert _sql(select(models.Goal).where(q.identity_condition(models.Goal, "12"))).endswith(
        "WHERE goals.id = 12")
    uuid = "0f4b1d6c-0d38-4b0b-a8e3-6e0b4d1c2a10"
    assert _sql(select(models.Goal).where(q.identity_condition(models.Goal, uuid))).endswith(
        f"WHERE goals.uuid = '{uuid}'")


@pytest.mark.parametrize("value", ["name", True, None, "1.5"])
def test_identity_refuses_anything_else(value):
    with pytest.raises(exception.InvalidIdentity):
        q.identity_condition(models.Goal, value)


def test_tables_without_uuid_only_take_ids():
    with pytest.raises(exception.InvalidIdentity):
        q.identity_condition(models.Service, "0f4b1d6c-0d38-4b0b-a8e3-6e0b4d1c2a10")


def test_relation_filters_nest_one_subquery_per_hop():
    relation = q.Relation([("action_plan_id", models.ActionPlan), ("audit_id", models.Audit)],
                          "uuid")
    sql = _sql(select(models.Action).where(relation.condition(
        models.Action, q.OPERATORS["eq"], "abc")))
    assert "actions.action_plan_id IN (SELECT action_plans.id" in sql
    assert "action_plans.audit_id IN (SELECT audits.id" in sql
    assert "audits.uuid = 'abc'" in sql


def test_datetime_filters_are_normalised_to_naive_utc():
    stmt = q.add_filters(select(models.Goal), models.Goal,
                         {"created_at__gte": "2026-01-10T14:00:00+02:00"}, {})
    assert "goals.created_at >= '2026-01-10 12:00:00.000000'" in _sql(stmt)
    stmt = q.add_filters(select(models.Goal), models.Goal,
                         {"created_at__in": [datetime.datetime(2026, 1, 1)]}, {})
    assert "goals.created_at IN ('2026-01-01 00:00:00.000000')" in _sql(stmt)


def test_sort_defaults_and_validation():
    assert q.check_sort(models.Goal, None, None) == ("id", "asc")
    assert q.check_sort(models.Goal, "name", "desc") == ("name", "desc")
    with pytest.raises(exception.InvalidSortKey):
        q.check_sort(models.Goal, "goal_name", "asc")
    with pytest.raises(exception.InvalidSortDir):
        q.check_sort(models.Goal, "name", "ASC")


def test_order_puts_nulls_first_ascending_and_breaks_ties_by_id():
    sql = _sql(q.order(select(models.Audit), models.Audit, "name", "asc"))
    assert sql.endswith(
        "ORDER BY audits.name IS NULL DESC, audits.name ASC, audits.id ASC")
    sql = _sql(q.order(select(models.Audit), models.Audit, "name", "desc"))
    assert sql.endswith(
        "ORDER BY audits.name IS NULL ASC, audits.name DESC, audits.id DESC")
    assert _sql(q.order(select(models.Audit), models.Audit, "id", "desc")).endswith(
        "ORDER BY audits.id DESC")


def test_marker_condition_takes_rows_ids_and_uuids():
    row = models.Goal(id=4)
    assert _sql(select(models.Goal).where(q.marker_condition(models.Goal, row))).endswith(
        "WHERE goals.id = 4")
    with pytest.raises(exception.InvalidMarker):
        q.marker_condition(models.Goal, "bogus")


def test_unparsable_datetimes_are_refused():
    with pytest.raises(exception.Invalid):
        q.add_filters(select(models.Goal), models.Goal, {"created_at__lt": "yesterday"}, {})
