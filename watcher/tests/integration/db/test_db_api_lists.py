"""DB API list queries (filters, sorting, markers) on SQLite, MariaDB and PostgreSQL."""

import datetime

import pytest
from oslo_utils import timeutils

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.db import api as db_api
from watcher.tests.fixtures import database as dbf

pytestmark = pytest.mark.usefixtures("any_db")


@pytest.fixture
def dbapi():
    return db_api.get_instance()


@pytest.fixture
def ctx():
    return watcher_context.get_admin_context()


@pytest.fixture
def tree():
    """Two goals, each with a strategy, template, audit, plan, action and indicator."""
    rows = {}
    for n in (1, 2):
        goal = dbf.make_goal(name=f"goal{n}")
        strategy = dbf.make_strategy(name=f"strategy{n}", goal_id=goal.id)
        template = dbf.make_audit_template(name=f"template{n}", goal_id=goal.id,
                                           strategy_id=strategy.id)
        audit = dbf.make_audit(name=f"audit{n}", goal_id=goal.id, strategy_id=strategy.id,
                               audit_type="ONESHOT" if n == 1 else "CONTINUOUS",
                               state="SUCCEEDED" if n == 1 else "ONGOING",
                               hostname=f"host{n}")
        plan = dbf.make_action_plan(audit_id=audit.id, strategy_id=strategy.id,
                                    state="RECOMMENDED" if n == 1 else "ONGOING")
        action = dbf.make_action(action_plan_id=plan.id,
                                 action_type="migrate" if n == 1 else "nop",
                                 state="PENDING" if n == 1 else "SUCCEEDED")
        indicator = dbf.make_efficacy_indicator(action_plan_id=plan.id)
        rows[n] = dict(goal=goal, strategy=strategy, template=template, audit=audit,
                       plan=plan, action=action, indicator=indicator)
    return rows


def _ids(rows) -> list[int]:
    return [row.id for row in rows]


# (list method, filters built from the tree, which tree branch must come back)
RELATIONAL = [
    ("get_strategy_list", lambda t: {"goal_uuid": t[2]["goal"].uuid}, "strategy"),
    ("get_strategy_list", lambda t: {"goal_name": "goal2"}, "strategy"),
    ("get_strategy_list", lambda t: {"goal_id": t[2]["goal"].id}, "strategy"),
    ("get_audit_template_list", lambda t: {"goal_uuid": t[2]["goal"].uuid}, "template"),
    ("get_audit_template_list", lambda t: {"goal_name": "goal2"}, "template"),
    ("get_audit_template_list", lambda t: {"strategy_uuid": t[2]["strategy"].uuid},
     "template"),
    ("get_audit_template_list", lambda t: {"strategy_name": "strategy2"}, "template"),
    ("get_audit_list", lambda t: {"audit_type": "CONTINUOUS"}, "audit"),
    ("get_audit_list", lambda t: {"state": "ONGOING"}, "audit"),
    ("get_audit_list", lambda t: {"goal_uuid": t[2]["goal"].uuid}, "audit"),
    ("get_audit_list", lambda t: {"goal_name": "goal2"}, "audit"),
    ("get_audit_list", lambda t: {"strategy_uuid": t[2]["strategy"].uuid}, "audit"),
    ("get_audit_list", lambda t: {"strategy_name": "strategy2"}, "audit"),
    ("get_audit_list", lambda t: {"hostname": "host2"}, "audit"),
    ("get_action_plan_list", lambda t: {"audit_uuid": t[2]["audit"].uuid}, "plan"),
    ("get_action_plan_list", lambda t: {"strategy_uuid": t[2]["strategy"].uuid}, "plan"),
    ("get_action_plan_list", lambda t: {"strategy_name": "strategy2"}, "plan"),
    ("get_action_plan_list", lambda t: {"state": "ONGOING"}, "plan"),
    ("get_action_list", lambda t: {"action_plan_uuid": t[2]["plan"].uuid}, "action"),
    ("get_action_list", lambda t: {"audit_uuid": t[2]["audit"].uuid}, "action"),
    ("get_action_list", lambda t: {"state": "SUCCEEDED"}, "action"),
    ("get_action_list", lambda t: {"action_type": "nop"}, "action"),
    ("get_efficacy_indicator_list", lambda t: {"action_plan_uuid": t[2]["plan"].uuid},
     "indicator"),
    ("get_goal_list", lambda t: {"uuid": t[2]["goal"].uuid}, "goal"),
    ("get_goal_list", lambda t: {"name": "goal2"}, "goal"),
]


@pytest.mark.parametrize("method,make_filters,branch", RELATIONAL,
                         ids=[f"{m}-{i}" for i, (m, _f, _b) in enumerate(RELATIONAL)])
def test_each_filter_selects_its_rows(dbapi, ctx, tree, method, make_filters, branch):
    rows = getattr(dbapi, method)(ctx, filters=make_filters(tree))
    assert _ids(rows) == [tree[2][branch].id]


def test_filters_combine(dbapi, ctx, tree):
    filters = {"goal_name": "goal2", "strategy_uuid": tree[2]["strategy"].uuid,
               "state": "ONGOING"}
    assert _ids(dbapi.get_audit_list(ctx, filters=filters)) == [tree[2]["audit"].id]
    filters["strategy_uuid"] = tree[1]["strategy"].uuid
    assert dbapi.get_audit_list(ctx, filters=filters) == []


def test_relational_filters_take_operators(dbapi, ctx, tree):
    assert _ids(dbapi.get_strategy_list(ctx, filters={"goal_name__neq": "goal1"})) == [
        tree[2]["strategy"].id]
    assert _ids(dbapi.get_action_list(
        ctx, filters={"audit_uuid__in": [tree[1]["audit"].uuid, tree[2]["audit"].uuid]})) == [
        tree[1]["action"].id, tree[2]["action"].id]


def test_in_and_notin(dbapi, ctx, tree):
    assert _ids(dbapi.get_audit_list(ctx, filters={"state__in": ["ONGOING", "PENDING"]})) == [
        tree[2]["audit"].id]
    assert _ids(dbapi.get_audit_list(ctx, filters={"state__notin": ["ONGOING"]})) == [
        tree[1]["audit"].id]


def test_deleted_filter(dbapi, tree):
    dbapi.soft_delete_goal(tree[1]["goal"].id)
    deleted_ctx = watcher_context.get_admin_context(show_deleted=True)
    assert _ids(dbapi.get_goal_list(deleted_ctx, filters={"deleted": True})) == [
        tree[1]["goal"].id]
    assert _ids(dbapi.get_goal_list(deleted_ctx, filters={"deleted": False})) == [
        tree[2]["goal"].id]
    assert _ids(dbapi.get_goal_list(deleted_ctx, filters={"deleted": "true"})) == [
        tree[1]["goal"].id]


@pytest.fixture
def dated_goals(dbapi):
    """Three goals created, updated and deleted on known days."""
    base = datetime.datetime(2026, 1, 10, 12, 0, 0)
    goals = []
    for day in range(3):
        goal = dbf.make_goal()
        stamp = base + datetime.timedelta(days=day)
        dbapi.update_goal(goal.id, {"created_at": stamp, "updated_at": stamp,
                                    "deleted_at": stamp})
        goals.append(goal)
    return base + datetime.timedelta(days=1), goals


@pytest.mark.parametrize("field", ["created_at", "updated_at", "deleted_at"])
@pytest.mark.parametrize("op,expected", [
    ("lt", [0]), ("lte", [0, 1]), ("gt", [2]), ("gte", [1, 2]), ("eq", [1]), ("neq", [0, 2]),
    ("", [1]),
])
def test_timestamp_filters(dbapi, dated_goals, field, op, expected):
    middle, goals = dated_goals
    ctx = watcher_context.get_admin_context(show_deleted=True)
    key = f"{field}__{op}" if op else field
    # Both datetimes and ISO 8601 strings (with a zone) are accepted.
    for value in (middle, middle.isoformat() + "Z"):
        rows = dbapi.get_goal_list(ctx, filters={key: value})
        assert _ids(rows) == [goals[i].id for i in expected]


def test_unknown_filters_and_operators_are_refused(dbapi, ctx):
    with pytest.raises(exception.InvalidFilter):
        dbapi.get_goal_list(ctx, filters={"colour": "blue"})
    with pytest.raises(exception.InvalidFilter):
        dbapi.get_goal_list(ctx, filters={"goal_uuid": "x"})
    with pytest.raises(exception.InvalidOperator):
        dbapi.get_goal_list(ctx, filters={"name__like": "x"})


@pytest.fixture
def named_templates():
    """Templates whose names sort differently from their ids, two sharing a name..."""
    goal = dbf.make_goal()
    names = ["delta", None, "alpha", "charlie", None, "bravo", "alpha-2"]
    return [dbf.make_audit_template(goal_id=goal.id, name=name, description=name or "none")
            for name in names]


def _expected_order(rows, key, reverse):
    # NULLs first ascending (and so last descending), ties broken by id.
    def sort_key(row):
        value = getattr(row, key)
        return (value is not None, value or "", row.id)
    return _ids(sorted(rows, key=sort_key, reverse=reverse))


@pytest.mark.parametrize("sort_dir", ["asc", "desc"])
@pytest.mark.parametrize("sort_key", ["name", "id", "uuid", "description"])
def test_sorting(dbapi, ctx, named_templates, sort_key, sort_dir):
    rows = dbapi.get_audit_template_list(ctx, sort_key=sort_key, sort_dir=sort_dir)
    assert _ids(rows) == _expected_order(named_templates, sort_key, sort_dir == "desc")


def test_default_order_is_id_ascending(dbapi, ctx, named_templates):
    assert _ids(dbapi.get_audit_template_list(ctx)) == sorted(_ids(named_templates))


@pytest.mark.parametrize("sort_dir", ["asc", "desc"])
@pytest.mark.parametrize("sort_key", ["name", "id"])
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_pages_chain_to_the_full_list(dbapi, ctx, named_templates, sort_key, sort_dir, limit):
    expected = _expected_order(named_templates, sort_key, sort_dir == "desc")
    seen, marker = [], None
    while True:
        page = dbapi.get_audit_template_list(ctx, limit=limit, marker=marker,
                                             sort_key=sort_key, sort_dir=sort_dir)
        assert len(page) <= limit
        seen += _ids(page)
        if len(page) < limit:
            break
        marker = page[-1].uuid
    assert seen == expected


def test_marker_can_be_an_id_or_a_row(dbapi, ctx):
    services = [dbf.make_service(host=f"h{n}") for n in range(4)]
    after_second = dbapi.get_service_list(ctx, marker=services[1].id, limit=10)
    assert _ids(after_second) == _ids(services[2:])
    assert _ids(dbapi.get_service_list(ctx, marker=str(services[2].id))) == _ids(services[3:])
    assert _ids(dbapi.get_service_list(ctx, marker=services[0])) == _ids(services[1:])


def test_bad_sort_and_marker_are_refused(dbapi, ctx, named_templates):
    with pytest.raises(exception.InvalidSortKey):
        dbapi.get_audit_template_list(ctx, sort_key="goal_name")
    with pytest.raises(exception.InvalidSortDir):
        dbapi.get_audit_template_list(ctx, sort_dir="up")
    with pytest.raises(exception.InvalidMarker):
        dbapi.get_audit_template_list(ctx, marker="6b4e1d6c-0d38-4b0b-a8e3-000000000000")
    with pytest.raises(exception.InvalidMarker):
        dbapi.get_audit_template_list(ctx, marker="not-a-marker")


def test_limit_and_filters_with_soft_deleted_rows(dbapi, ctx, named_templates):
    dbapi.soft_delete_audit_template(named_templates[0].id)
    rows = dbapi.get_audit_template_list(ctx, limit=3, sort_key="id")
    assert _ids(rows) == _ids(named_templates[1:4])


def test_eager_lists_keep_one_row_per_item(dbapi, ctx, tree):
    plans = dbapi.get_action_plan_list(ctx, eager=True, sort_key="id", sort_dir="desc")
    assert _ids(plans) == [tree[2]["plan"].id, tree[1]["plan"].id]
    assert [p.audit.name for p in plans] == ["audit2", "audit1"]
    assert [p.strategy.name for p in plans] == ["strategy2", "strategy1"]


def test_timestamps_are_naive_utc(dbapi, ctx):
    before = timeutils.utcnow().replace(microsecond=0)
    goal = dbf.make_goal()
    created = dbapi.get_goal_by_id(ctx, goal.id).created_at
    assert created.tzinfo is None
    assert before <= created.replace(microsecond=0) <= timeutils.utcnow()


def test_none_filters_match_nulls(dbapi, ctx):
    claimed = dbf.make_audit(hostname="de-1")
    free = dbf.make_audit(hostname=None)
    assert _ids(dbapi.get_audit_list(ctx, filters={"hostname": None})) == [free.id]
    assert _ids(dbapi.get_audit_list(ctx, filters={"hostname__neq": None})) == [claimed.id]
