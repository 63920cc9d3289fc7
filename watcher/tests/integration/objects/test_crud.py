"""Objects against the real DB layer on SQLite, MariaDB and PostgreSQL (``any_db``)."""

import datetime
import threading
import time

import pytest

from watcher import objects
from watcher.common import context as wcontext
from watcher.common import exception
from watcher.db import api as db_api
from watcher.tests.unit.objects import factories

pytestmark = pytest.mark.integration


@pytest.fixture
def ctx(any_db):
    return wcontext.get_admin_context()


# (factory, field to change, new value, not-found exception)
RESOURCES = {
    "Goal": (factories.goal, "display_name", "Renamed", exception.GoalNotFound),
    "Strategy": (factories.strategy, "parameters_spec", {"properties": {}},
                 exception.StrategyNotFound),
    "AuditTemplate": (factories.audit_template, "default_parameters", {"granularity": 300},
                      exception.AuditTemplateNotFound),
    "Audit": (factories.audit, "parameters", {"threshold": 0.4}, exception.AuditNotFound),
    "ActionPlan": (factories.action_plan, "global_efficacy",
                   [{"name": "released_nodes", "value": 2}], exception.ActionPlanNotFound),
    "Action": (factories.action, "input_parameters", {"resource_id": "x"},
               exception.ActionNotFound),
    "EfficacyIndicator": (factories.efficacy_indicator, "value", 42,
                          exception.EfficacyIndicatorNotFound),
    "ScoringEngine": (factories.scoring_engine, "metainfo", "v2",
                      exception.ScoringEngineNotFound),
    "Service": (factories.service, "last_seen_up", datetime.datetime(2026, 1, 2, 3, 4, 5),
                exception.ServiceNotFound),
    "ActionDescription": (factories.action_description, "description", "new text",
                          exception.ActionDescriptionNotFound),
}


def _plain(obj) -> dict:
    """Column fields; MariaDB DATETIME keeps whole seconds, so compare timestamps at that."""
    values = {}
    for name in set(obj.fields) - set(obj.object_fields):
        value = obj[name]
        if isinstance(value, datetime.datetime):
            value = value.replace(microsecond=0)
        values[name] = value
    return values


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_create_get_list_save_refresh(ctx, name):
    factory, field, value, _missing = RESOURCES[name]
    cls = getattr(objects, name)
    obj = factory(ctx)
    assert obj.id and obj.created_at is not None and obj.obj_what_changed() == set()

    same = cls.get(ctx, obj.id)
    assert _plain(same) == _plain(obj)
    if hasattr(cls, "get_by_uuid"):
        assert cls.get(ctx, obj.uuid).id == obj.id
        assert cls.get_by_uuid(ctx, obj.uuid).id == obj.id
    if hasattr(cls, "get_by_name"):
        assert cls.get(ctx, obj.name).id == obj.id
        assert cls.get_by_name(ctx, obj.name).id == obj.id
    assert obj.id in [listed.id for listed in cls.list(ctx)]

    obj[field] = value
    obj.save()
    assert obj.obj_what_changed() == set()
    assert cls.get_by_id(ctx, obj.id)[field] == value
    assert obj.updated_at is not None

    stale = cls.get_by_id(ctx, obj.id)
    obj[field] = same[field]
    obj.save()
    stale.refresh()
    assert stale[field] == same[field]
    assert stale.obj_what_changed() == set()


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_soft_delete_hides_the_row_and_destroy_removes_it(ctx, name):
    factory, _field, _value, missing = RESOURCES[name]
    cls = getattr(objects, name)
    obj = factory(ctx)
    if "state" in cls.fields:
        # Reach a deletable state through legal moves only.
        obj.state = {"Audit": "ONGOING", "ActionPlan": "SUPERSEDED", "Action": "SKIPPED"}[name]
        obj.save()
        if name == "Audit":
            obj.state = "SUCCEEDED"
            obj.save()
    obj.soft_delete()
    assert obj.deleted_at is not None
    if "state" in cls.fields:
        assert obj.state == "DELETED"
    with pytest.raises(missing):
        cls.get_by_id(ctx, obj.id)
    assert obj.id not in [listed.id for listed in cls.list(ctx)]

    admin = wcontext.get_admin_context(show_deleted=True)
    kept = cls.get_by_id(admin, obj.id)
    assert kept.deleted_at is not None

    kept.destroy()
    with pytest.raises(missing):
        cls.get_by_id(admin, obj.id)


def test_list_filters_sorting_and_paging(ctx):
    strategy = factories.strategy(ctx)
    other = factories.strategy(ctx)
    audits = [factories.audit(ctx, strategy) for _ in range(4)]
    factories.audit(ctx, other)
    audits[1].state = "ONGOING"
    audits[1].save()

    goal_uuid = objects.Goal.get_by_id(ctx, strategy.goal_id).uuid
    by_goal = objects.Audit.list(ctx, filters={"goal_uuid": goal_uuid}, sort_key="id",
                                 sort_dir="asc")
    assert [a.id for a in by_goal] == [a.id for a in audits]
    ongoing = objects.Audit.list(ctx, filters={"state": "ONGOING"})
    assert [a.uuid for a in ongoing] == [audits[1].uuid]

    first = objects.Audit.list(ctx, filters={"goal_uuid": goal_uuid}, limit=2, sort_key="id",
                               sort_dir="desc")
    assert [a.id for a in first] == [audits[3].id, audits[2].id]
    rest = objects.Audit.list(ctx, filters={"goal_uuid": goal_uuid}, limit=2,
                              marker=first[-1].uuid, sort_key="id", sort_dir="desc")
    assert [a.id for a in rest] == [audits[1].id, audits[0].id]


def test_eager_loading_fills_sub_objects(ctx):
    action = factories.action(ctx)
    plan = objects.ActionPlan.get_by_id(ctx, action.action_plan_id)
    audit = objects.Audit.get_by_id(ctx, plan.audit_id)

    loaded = objects.Action.list(ctx, eager=True, filters={"action_plan_id": plan.id})
    assert loaded[0].obj_attr_is_set("action_plan")
    assert loaded[0].action_plan.uuid == plan.uuid

    eager_plan = objects.ActionPlan.get(ctx, plan.uuid, eager=True)
    assert eager_plan.audit.uuid == audit.uuid
    assert eager_plan.strategy.id == audit.strategy_id

    eager_audit = objects.Audit.get_by_name(ctx, audit.name, eager=True)
    assert eager_audit.goal.id == audit.goal_id
    assert eager_audit.strategy.name == objects.Strategy.get_by_id(ctx, audit.strategy_id).name


def test_sub_objects_load_on_first_access_when_not_eager(ctx):
    audit = factories.audit(ctx, strategy_id=None)
    plain = objects.Audit.get_by_uuid(ctx, audit.uuid)
    assert not plain.obj_attr_is_set("goal")
    assert plain.goal.id == audit.goal_id
    assert plain.strategy is None
    assert plain.obj_what_changed() == set()


def test_create_loads_sub_objects_for_the_listeners(ctx):
    audit = factories.audit(ctx)
    assert audit.obj_attr_is_set("goal") and audit.goal.id == audit.goal_id
    assert audit.strategy.id == audit.strategy_id


def test_illegal_state_change_is_refused_and_writes_nothing(ctx):
    audit = factories.audit(ctx, hostname="de-1")
    audit.state = "SUCCEEDED"  # PENDING -> SUCCEEDED skips ONGOING
    audit.hostname = "de-2"
    with pytest.raises(exception.InvalidStateTransition):
        audit.save()
    row = db_api.get_instance().get_audit_by_uuid(ctx, audit.uuid)
    assert (row.state, row.hostname, row.updated_at) == ("PENDING", "de-1", None)


def test_state_is_checked_against_the_stored_row(ctx):
    plan = factories.action_plan(ctx)
    other_copy = objects.ActionPlan.get_by_uuid(ctx, plan.uuid)
    plan.state = "PENDING"
    plan.save()
    other_copy.state = "SUPERSEDED"  # legal from the RECOMMENDED it last saw, not from PENDING
    with pytest.raises(exception.InvalidStateTransition):
        other_copy.save()
    assert objects.ActionPlan.get_by_uuid(ctx, plan.uuid).state == "PENDING"


def test_saving_the_same_state_is_a_no_op_not_an_error(ctx):
    action = factories.action(ctx)
    action.state = "PENDING"
    action.status_message = "still waiting"
    action.save()
    again = objects.Action.get_by_uuid(ctx, action.uuid)
    assert (again.state, again.status_message) == ("PENDING", "still waiting")


def test_a_plan_walks_its_whole_life(ctx):
    plan = factories.action_plan(ctx)
    for state in ("PENDING", "ONGOING", "CANCELLING", "CANCELLED", "DELETED"):
        plan.state = state
        plan.save()
        assert objects.ActionPlan.get_by_id(
            wcontext.get_admin_context(show_deleted=True), plan.id).state == state


def test_audit_soft_delete_refuses_live_audits(ctx):
    audit = factories.audit(ctx)
    with pytest.raises(exception.InvalidStateTransition):
        audit.soft_delete()
    stored = objects.Audit.get_by_uuid(ctx, audit.uuid)
    assert (stored.state, stored.deleted_at) == ("PENDING", None)


def test_plan_soft_delete_cascades_to_actions_and_indicators(ctx):
    plan = factories.action_plan(ctx)
    actions = [factories.action(ctx, plan) for _ in range(2)]
    indicator = factories.efficacy_indicator(ctx, plan)
    survivor = factories.action(ctx)  # belongs to another plan

    plan.soft_delete()
    assert objects.Action.list(ctx, filters={"action_plan_id": plan.id}) == []
    assert objects.EfficacyIndicator.list(ctx, filters={"action_plan_id": plan.id}) == []
    admin = wcontext.get_admin_context(show_deleted=True)
    assert {objects.Action.get_by_id(admin, a.id).state for a in actions} == {"DELETED"}
    assert objects.EfficacyIndicator.get_by_id(admin, indicator.id).deleted_at is not None
    assert objects.Action.get_by_id(ctx, survivor.id).state == "PENDING"


def test_refused_plan_soft_delete_leaves_its_actions_alone(ctx):
    plan = factories.action_plan(ctx)
    action = factories.action(ctx, plan)
    plan.state = "PENDING"
    plan.save()
    with pytest.raises(exception.InvalidStateTransition):
        plan.soft_delete()
    assert objects.Action.get_by_id(ctx, action.id).deleted_at is None
    assert objects.ActionPlan.get_by_id(ctx, plan.id).state == "PENDING"


def test_plan_destroy_takes_its_dependents_along(ctx):
    plan = factories.action_plan(ctx)
    action = factories.action(ctx, plan)
    indicator = factories.efficacy_indicator(ctx, plan)
    plan.destroy()
    admin = wcontext.get_admin_context(show_deleted=True)
    with pytest.raises(exception.ActionNotFound):
        objects.Action.get_by_id(admin, action.id)
    with pytest.raises(exception.EfficacyIndicatorNotFound):
        objects.EfficacyIndicator.get_by_id(admin, indicator.id)


def test_values_survive_the_round_trip(ctx):
    start = datetime.datetime(2026, 3, 1, 8, 30)
    audit = factories.audit(ctx, audit_type="CONTINUOUS", interval="*/5 * * * *",
                            start_time=start, parameters={"nested": {"a": [1, 2]}},
                            scope=[{"compute": [{"host_aggregates": [{"id": 1}]}]}])
    stored = objects.Audit.get_by_uuid(ctx, audit.uuid)
    assert stored.interval == "*/5 * * * *"
    assert stored.start_time == start and stored.start_time.tzinfo is None
    assert stored.parameters == {"nested": {"a": [1, 2]}}
    assert stored.scope == [{"compute": [{"host_aggregates": [{"id": 1}]}]}]
    assert stored.force is False and stored.created_at.tzinfo is not None

    indicator = factories.efficacy_indicator(ctx, value=0.125)
    assert objects.EfficacyIndicator.get_by_uuid(ctx, indicator.uuid).value == 0.125


def test_service_lookup_by_name_and_status(ctx):
    service = factories.service(ctx, name="watcher-decision-engine",
                                last_seen_up=datetime.datetime(2026, 1, 1, 12, 0))
    found = objects.Service.get(ctx, "watcher-decision-engine")
    assert found.host == service.host
    assert found.get_status(now=datetime.datetime(2026, 1, 1, 12, 1)) == "ACTIVE"
    assert found.get_status(now=datetime.datetime(2026, 1, 1, 12, 5)) == "FAILED"


def test_action_description_by_type(ctx):
    description = factories.action_description(ctx, action_type="migrate")
    assert objects.ActionDescription.get_by_type(ctx, "migrate").id == description.id
    with pytest.raises(exception.ActionDescriptionNotFound):
        objects.ActionDescription.get_by_type(ctx, "teleport")


def test_a_failing_cascade_rolls_the_whole_delete_back(ctx, monkeypatch):
    plan = factories.action_plan(ctx)
    action = factories.action(ctx, plan)
    factories.efficacy_indicator(ctx, plan)

    def broken(indicator_id):
        raise exception.WatcherException("disk full")

    monkeypatch.setattr(db_api.get_instance(), "soft_delete_efficacy_indicator", broken)
    with pytest.raises(exception.WatcherException, match="disk full"):
        plan.soft_delete()
    stored = objects.Action.get_by_id(ctx, action.id)
    assert (stored.state, stored.deleted_at) == ("PENDING", None)
    assert objects.ActionPlan.get_by_id(ctx, plan.id).state == "RECOMMENDED"


def test_sub_objects_retired_by_the_sync_still_load(ctx):
    audit = factories.audit(ctx)
    objects.Strategy.get_by_id(ctx, audit.strategy_id).soft_delete()
    lazy = objects.Audit.get_by_uuid(ctx, audit.uuid)
    assert lazy.strategy.id == audit.strategy_id
    assert lazy.strategy.deleted_at is not None
    assert lazy.strategy._context is ctx
    eager = objects.Audit.get_by_uuid(ctx, audit.uuid, eager=True)
    assert eager.strategy.id == audit.strategy_id


def test_racing_state_changes_are_checked_one_after_the_other(any_db, ctx):
    if any_db.startswith("sqlite"):
        pytest.skip("SQLite has no row locks: its writers already run one at a time")
    plan = factories.action_plan(ctx)
    plan.state = "PENDING"
    plan.save()
    plan.state = "ONGOING"
    plan.save()
    applier_copy = objects.ActionPlan.get_by_uuid(ctx, plan.uuid)

    dbapi = db_api.get_instance()
    locked = threading.Event()

    def user_cancels():
        # The API's cancel holds the row for a moment before it commits.
        with dbapi.transaction():
            dbapi.update_action_plan(plan.uuid, {"state": "CANCELLING"})
            locked.set()
            time.sleep(0.5)

    canceller = threading.Thread(target=user_cancels)
    canceller.start()
    assert locked.wait(10)
    applier_copy.state = "SUCCEEDED"
    try:
        with pytest.raises(exception.InvalidStateTransition):
            applier_copy.save()  # waits for the cancel, then sees CANCELLING
    finally:
        canceller.join()
    assert objects.ActionPlan.get_by_uuid(ctx, plan.uuid).state == "CANCELLING"
