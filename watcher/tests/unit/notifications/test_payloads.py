from oslo_messaging.notify import _impl_test
from oslo_utils import uuidutils

from watcher.conf import CONF
from watcher.notifications import base
from watcher.tests.unit.decision_engine.conftest import make_plan


def _last(env, event_type):
    return [n for n in env.notifications() if n[0] == event_type][-1]


def test_audit_update_payload_has_upstream_shape(env):
    audit = env.audit()
    audit.state = "ONGOING"
    audit.save()
    event, payload, priority, publisher = _last(env, "audit.update")
    assert (priority, publisher) == ("INFO", f"infra-optim:{CONF.host}")
    assert payload["watcher_object.name"] == "AuditUpdatePayload"
    assert payload["watcher_object.namespace"] == "watcher"
    data = payload["watcher_object.data"]
    assert data["uuid"] == audit.uuid
    assert data["state_update"]["watcher_object.name"] == "AuditStateUpdatePayload"
    assert data["state_update"]["watcher_object.data"] == {
        "old_state": "PENDING",
        "state": "ONGOING",
    }
    assert data["goal"]["watcher_object.data"]["name"] == "dummy"
    assert data["strategy"]["watcher_object.data"]["display_name"] == "Dummy strategy"
    assert data["created_at"].endswith("Z")


def test_action_payloads_carry_the_terse_plan(env):
    plan = make_plan(env, [("nop", {"message": "m"})])
    _, payload, _, _ = _last(env, "action.create")
    assert payload["watcher_object.name"] == "ActionCreatePayload"
    data = payload["watcher_object.data"]
    assert data["action_plan"]["watcher_object.name"] == "TerseActionPlanPayload"
    assert data["action_plan"]["watcher_object.data"]["uuid"] == plan.uuid
    assert data["input_parameters"] == {"message": "m"}


def test_notification_level_filters_by_priority(env):
    CONF.set_override("notification_level", "error")
    try:
        assert not base.is_enabled("info") and base.is_enabled("critical")
        env.audit()
        assert "audit.create" not in env.events()
    finally:
        CONF.clear_override("notification_level")
    CONF.set_override("notification_level", "")
    try:
        assert not base.is_enabled("critical")
    finally:
        CONF.clear_override("notification_level")


def test_exception_payload_names_where_it_was_raised():
    def explode():
        raise ValueError("boom")

    try:
        explode()
    except ValueError as exc:
        payload = base.exception_payload(exc)
    data = payload["watcher_object.data"]
    assert data == {
        "module_name": __name__,
        "function_name": "explode",
        "exception": "ValueError",
        "exception_message": "boom",
    }


def test_a_new_plan_sends_one_action_create_per_action_after_its_plan(env):
    from watcher import objects

    audit = env.audit(state="ONGOING")
    plan = objects.ActionPlan(env.context, audit_id=audit.id, strategy_id=audit.strategy_id,
                              state="RECOMMENDED", global_efficacy=[])
    rows = [{"action_type": "nop", "input_parameters": {"message": str(n)}, "state": "PENDING",
             "parents": []} for n in range(5)]
    _impl_test.reset()
    created = plan.create_with_actions(rows, [])
    sent = env.notifications()
    assert [n[0] for n in sent] == ["action_plan.create"] + ["action.create"] * 5
    datas = [n[1]["watcher_object.data"] for n in sent[1:]]
    assert [d["uuid"] for d in datas] == [a.uuid for a in created]
    assert [d["input_parameters"] for d in datas] == [r["input_parameters"] for r in rows]
    assert {d["action_plan_uuid"] for d in datas} == {plan.uuid}
    assert {d["action_plan"]["watcher_object.data"]["state"] for d in datas} == {"RECOMMENDED"}
    assert all(d["created_at"].endswith("Z") for d in datas)


def test_no_payload_is_built_when_notifications_are_off(env, monkeypatch):
    from watcher import objects
    from watcher.notifications import events, payloads

    built = []

    def refuse(*args, **kwargs):
        built.append(args)
        raise AssertionError("payload built for a notification that is not sent")

    monkeypatch.setitem(events._KINDS, "Audit", ("audit", refuse, "Audit"))
    monkeypatch.setitem(events._KINDS, "ActionPlan", ("action_plan", refuse, "ActionPlan"))
    monkeypatch.setattr(payloads, "terse_plan_of_action", refuse)
    CONF.set_override("notification_level", "")
    try:
        audit = env.audit()
        audit.state = "ONGOING"
        audit.save()
        plan = objects.ActionPlan(env.context, audit_id=audit.id,
                                  strategy_id=audit.strategy_id, state="RECOMMENDED")
        plan.create_with_actions([{"action_type": "nop", "parents": []}], [])
        assert built == []
    finally:
        CONF.clear_override("notification_level")


def test_action_create_built_from_the_rows_is_the_payload_of_the_stored_action(env):
    from watcher import objects
    from watcher.notifications import payloads

    audit = env.audit(state="ONGOING")
    plan = objects.ActionPlan(env.context, audit_id=audit.id, strategy_id=audit.strategy_id,
                              state="RECOMMENDED", global_efficacy=[])
    first = uuidutils.generate_uuid()
    _impl_test.reset()
    plan.create_with_actions(
        [{"uuid": first, "action_type": "nop", "input_parameters": {"message": "a"},
          "state": "PENDING", "parents": []},
         {"action_type": "sleep", "input_parameters": {"duration": 1.0}, "state": "PENDING",
          "parents": [first]}],
        [])
    sent = [n[1] for n in env.notifications() if n[0] == "action.create"]
    assert len(sent) == 2
    for payload in sent:
        # Upstream's ActionCreatePayload fields, plus status_message (payload 1.1).
        assert set(payload["watcher_object.data"]) == {
            "uuid", "action_type", "input_parameters", "state", "parents", "status_message",
            "action_plan_uuid", "action_plan", "created_at", "updated_at", "deleted_at"}
        stored = objects.Action.get_by_uuid(env.context, payload["watcher_object.data"]["uuid"])
        assert payload == payloads.action_payload(env.context, stored, "ActionCreatePayload")
    assert sent[1]["watcher_object.data"]["parents"] == [first]
