"""Change listeners hear every committed write of audits, plans, actions and services."""

import pytest

from watcher import objects
from watcher.common import context as wcontext
from watcher.common import exception
from watcher.db import api as db_api
from watcher.tests.unit.objects import factories


@pytest.fixture
def ctx(sqlite_db):
    return wcontext.get_admin_context()


@pytest.fixture
def heard():
    calls = []

    def listener(context, obj, action, old_state):
        state = obj.state if "state" in obj.fields else None
        calls.append((context, obj.obj_name(), obj.id, action, old_state, state))

    objects.add_change_listener(listener)
    yield calls
    objects.remove_change_listener(listener)


def test_audit_life_is_heard_with_old_states(ctx, heard):
    audit = factories.audit(ctx)
    audit.state = "ONGOING"
    audit.save()
    audit.hostname = "de-2"
    audit.save()
    audit.state = "SUCCEEDED"
    audit.save()
    audit.soft_delete()
    audit.destroy()
    assert [call[1:] for call in heard] == [
        ("Audit", audit.id, "create", None, "PENDING"),
        ("Audit", audit.id, "update", "PENDING", "ONGOING"),
        ("Audit", audit.id, "update", "ONGOING", "ONGOING"),
        ("Audit", audit.id, "update", "ONGOING", "SUCCEEDED"),
        ("Audit", audit.id, "delete", "SUCCEEDED", "DELETED"),
        ("Audit", audit.id, "delete", "DELETED", "DELETED"),
    ]
    assert all(call[0] is ctx for call in heard)


def test_listener_sees_the_saved_object(ctx):
    seen = []

    def keep(context, obj, action, old_state):
        seen.append((obj, obj.obj_what_changed(), obj.updated_at))

    objects.add_change_listener(keep)
    try:
        action = factories.action(ctx)
        action.state = "ONGOING"
        action.save()
    finally:
        objects.remove_change_listener(keep)
    obj, changed, updated_at = seen[-1]
    assert (obj.uuid, obj.state) == (action.uuid, "ONGOING")
    assert obj._context is ctx
    assert changed == set() and updated_at == action.updated_at


def test_refused_and_empty_saves_are_not_heard(ctx, heard):
    audit = factories.audit(ctx)
    heard.clear()
    audit.save()  # nothing changed
    audit.state = "SUSPENDED"
    with pytest.raises(exception.InvalidStateTransition):
        audit.save()
    assert heard == []


def test_untracked_resources_are_not_heard(ctx, heard):
    template = factories.audit_template(ctx)
    template.description = "changed"
    template.save()
    template.soft_delete()
    factories.efficacy_indicator(ctx)
    assert {call[1] for call in heard} == {"Audit", "ActionPlan"}  # the factories' parents


def test_service_heartbeat_is_heard(ctx, heard):
    service = factories.service(ctx)
    service.last_seen_up = service.created_at.replace(tzinfo=None)
    service.save()
    assert [call[1:] for call in heard] == [
        ("Service", service.id, "create", None, None),
        ("Service", service.id, "update", None, None)]


def test_old_state_comes_from_the_row_not_from_a_stale_copy(ctx, heard):
    plan = factories.action_plan(ctx)
    stale = objects.ActionPlan.get_by_uuid(ctx, plan.uuid)
    plan.state = "PENDING"
    plan.save()
    stale.state = "CANCELLED"  # legal from PENDING, which the stale copy never saw
    stale.save()
    assert [call[4:] for call in heard[-2:]] == [
        ("RECOMMENDED", "PENDING"), ("PENDING", "CANCELLED")]


def test_plan_cascade_is_heard_after_commit_children_first(ctx, heard):
    plan = factories.action_plan(ctx)
    first = factories.action(ctx, plan)
    second = factories.action(ctx, plan, state="SKIPPED")
    heard.clear()
    plan.soft_delete()
    assert [call[1:] for call in heard] == [
        ("Action", first.id, "delete", "PENDING", "DELETED"),
        ("Action", second.id, "delete", "SKIPPED", "DELETED"),
        ("ActionPlan", plan.id, "delete", "RECOMMENDED", "DELETED"),
    ]


def test_failed_cascade_rolls_back_and_is_never_heard(ctx, heard, monkeypatch):
    plan = factories.action_plan(ctx)
    action = factories.action(ctx, plan)
    factories.efficacy_indicator(ctx, plan)
    heard.clear()

    dbapi = db_api.get_instance()

    def broken(indicator_id):
        raise exception.WatcherException("disk full")

    monkeypatch.setattr(dbapi, "soft_delete_efficacy_indicator", broken)
    with pytest.raises(exception.WatcherException, match="disk full"):
        plan.soft_delete()

    assert heard == []
    assert objects.Action.get_by_id(ctx, action.id).state == "PENDING"
    stored = objects.ActionPlan.get_by_id(ctx, plan.id)
    assert (stored.state, stored.deleted_at) == ("RECOMMENDED", None)


def test_writes_grouped_in_one_transaction_land_together_or_not_at_all(ctx, heard):
    audit = factories.audit(ctx)
    heard.clear()
    with pytest.raises(exception.Invalid):
        with objects.write_transaction():
            plan = factories.action_plan(ctx, audit)
            factories.action(ctx, plan)
            factories.action(ctx, plan, action_plan_id=10**6)  # no such plan: refused
    assert heard == []
    assert objects.ActionPlan.list(ctx) == [] and objects.Action.list(ctx) == []

    with objects.write_transaction():
        plan = factories.action_plan(ctx, audit)
        action = factories.action(ctx, plan)
        plan.state = "PENDING"
        plan.save()
        assert heard == []
    # Each announcement shows the plan as that write left it.
    assert [call[1:] for call in heard] == [
        ("ActionPlan", plan.id, "create", None, "RECOMMENDED"),
        ("Action", action.id, "create", None, "PENDING"),
        ("ActionPlan", plan.id, "update", "RECOMMENDED", "PENDING"),
    ]


def _plan_with_actions(ctx, count: int):
    audit = factories.audit(ctx)
    plan = objects.ActionPlan(ctx, audit_id=audit.id, strategy_id=audit.strategy_id,
                              state="RECOMMENDED", global_efficacy=[])
    actions = [{"action_type": "nop", "input_parameters": {"n": n}, "state": "PENDING",
                "parents": []} for n in range(count)]
    return plan, plan.create_with_actions(actions, [])


def test_bulk_created_actions_are_heard_one_by_one_without_a_batch_listener(ctx, heard):
    plan, created = _plan_with_actions(ctx, 3)
    stored = objects.Action.list(ctx, filters={"action_plan_id": plan.id})
    assert [call[1:] for call in heard if call[1] != "Audit"] == [
        ("ActionPlan", plan.id, "create", None, "RECOMMENDED"),
        *[("Action", a.id, "create", None, "PENDING") for a in stored],
    ]
    assert [a.uuid for a in created] == [a.uuid for a in stored]


def test_a_batch_listener_hears_the_actions_in_one_call_after_the_commit(ctx):
    batches, single = [], []

    def listener(context, obj, action, old_state):
        single.append(obj.obj_name())

    def batch(context, objs, action):
        # Committed before anyone hears of it: every action is readable already.
        readable = db_api.get_instance().get_action_list(context)
        batches.append((action, [o.uuid for o in objs], len(readable)))

    objects.add_change_listener(listener, batch=batch)
    try:
        with objects.base.write_transaction():
            _plan, created = _plan_with_actions(ctx, 4)
            assert batches == []
    finally:
        objects.remove_change_listener(listener)
    assert batches == [("create", [a.uuid for a in created], 4)]
    assert single == ["Audit", "ActionPlan"]
