"""Object behaviour that needs no database: serialization, backports, listeners, status."""

import contextlib
import datetime

import pytest
from oslo_utils import timeutils

from watcher import objects
from watcher.common import context as wcontext
from watcher.common import exception
from watcher.conf import CONF
from watcher.objects import base
from watcher.objects import service as service_mod

GOAL_UUID = "0f7b3a7e-8d7c-4a55-9f57-7d1f7c2d4e01"
AUDIT_UUID = "1c8e4b8f-9e8d-4b66-8a68-8e2a8d3e5f02"


@pytest.fixture
def ctx():
    return wcontext.get_admin_context()


def _audit(ctx, **extra):
    values = dict(
        id=7, uuid=AUDIT_UUID, name="nightly", audit_type="CONTINUOUS", state="ONGOING",
        parameters={"threshold": 0.5}, interval="3600", scope=[], goal_id=1, strategy_id=None,
        auto_trigger=True, hostname="de-1", status_message="running",
    )
    values.update(extra)
    return objects.Audit(ctx, **values)


def test_every_resource_is_exported_and_registered():
    registered = base.WatcherObjectRegistry.obj_classes()
    for name in ("Goal", "Strategy", "AuditTemplate", "Audit", "ActionPlan", "Action",
                 "EfficacyIndicator", "ScoringEngine", "Service", "ActionDescription"):
        cls = getattr(objects, name)
        assert registered[name][0] is cls
        assert cls.OBJ_PROJECT_NAMESPACE == "watcher"


def test_serializer_round_trip_keeps_values_nested_objects_and_context(ctx):
    audit = _audit(ctx)
    audit.goal = objects.Goal(ctx, id=1, uuid=GOAL_UUID, name="dummy", display_name="Dummy",
                              efficacy_specification=[])
    serializer = base.WatcherObjectSerializer()
    primitive = serializer.serialize_entity(ctx, [audit])
    assert primitive[0]["watcher_object.name"] == "Audit"
    assert primitive[0]["watcher_object.namespace"] == "watcher"
    assert primitive[0]["watcher_object.version"] == objects.Audit.VERSION

    other_ctx = wcontext.get_admin_context()
    (again,) = serializer.deserialize_entity(other_ctx, primitive)
    assert isinstance(again, objects.Audit)
    assert again._context is other_ctx
    assert again.as_dict().keys() == audit.as_dict().keys()
    for name in ("uuid", "name", "state", "parameters", "interval", "status_message"):
        assert again[name] == audit[name]
    assert again.goal.uuid == GOAL_UUID


def test_force_defaults_to_false(ctx):
    assert objects.Audit(ctx).force is False
    assert objects.Audit(ctx, force=True).force is True


def test_backport_drops_fields_the_receiver_does_not_know(ctx):
    audit = _audit(ctx, force=True)
    data = audit.obj_to_primitive(target_version="1.7")["watcher_object.data"]
    assert "status_message" not in data and data["force"] is True

    data = audit.obj_to_primitive(target_version="1.4")["watcher_object.data"]
    assert data["name"] == "nightly"
    for newer in ("hostname", "start_time", "end_time", "force", "status_message"):
        assert newer not in data


@pytest.mark.parametrize(("interval", "expected"), [("3600", 3600), ("0 * * * *", None)])
def test_backport_before_1_3_turns_interval_back_into_seconds(ctx, interval, expected):
    data = _audit(ctx, interval=interval).obj_to_primitive(
        target_version="1.2")["watcher_object.data"]
    assert data["interval"] == expected
    assert "next_run_time" not in data and "name" not in data


def test_backport_drops_sub_objects_older_receivers_never_had(ctx):
    audit = _audit(ctx)
    audit.goal = objects.Goal(ctx, id=1, uuid=GOAL_UUID, name="g", display_name="G",
                              efficacy_specification=[])
    assert "goal" in audit.obj_to_primitive(target_version="1.1")["watcher_object.data"]
    assert "goal" not in audit.obj_to_primitive(target_version="1.0")["watcher_object.data"]


def test_plan_backport_also_backports_its_audit(ctx):
    plan = objects.ActionPlan(ctx, id=3, uuid="2d9f5c90-af9e-4c77-9b79-9f3b9e4f6a03",
                              audit_id=7, strategy_id=2, state="ONGOING", hostname="ap-1",
                              status_message="x")
    plan.audit = _audit(ctx)
    data = plan.obj_to_primitive(target_version="2.2")["watcher_object.data"]
    assert "status_message" not in data and data["hostname"] == "ap-1"
    nested = data["audit"]
    assert nested["watcher_object.version"] == "1.1"
    assert "name" not in nested["watcher_object.data"]


def test_get_refuses_identities_that_are_neither_id_uuid_nor_name(ctx):
    with pytest.raises(exception.InvalidIdentity):
        objects.ActionPlan.get(ctx, "not-a-uuid")
    with pytest.raises(exception.InvalidIdentity):
        objects.Audit.get(ctx, "")


class FakeDBAPI:
    """Just enough of the DB API for write_transaction: a transaction that can fail."""

    def __init__(self):
        self.depth = 0

    @contextlib.contextmanager
    def transaction(self):
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1


@pytest.fixture
def heard():
    calls = []

    def listener(context, obj, action, old_state):
        calls.append((context, obj, action, old_state))

    objects.add_change_listener(listener)
    objects.add_change_listener(listener)  # a second registration is ignored
    yield calls
    objects.remove_change_listener(listener)


def test_changes_inside_a_transaction_are_announced_after_it_commits(ctx, heard):
    dbapi = FakeDBAPI()
    audit = _audit(ctx)
    with base.write_transaction(dbapi):
        audit._changed("update", "PENDING")
        with base.write_transaction(dbapi):
            audit._changed("delete", None)
            assert dbapi.depth == 2
        assert heard == []
    assert [(c, o.uuid, a, s) for c, o, a, s in heard] == [
        (ctx, AUDIT_UUID, "update", "PENDING"), (ctx, AUDIT_UUID, "delete", None)]


def test_rolled_back_changes_are_never_announced(ctx, heard):
    with pytest.raises(RuntimeError):
        with base.write_transaction(FakeDBAPI()):
            _audit(ctx)._changed("update", None)
            raise RuntimeError("boom")
    assert heard == []
    _audit(ctx)._changed("create", None)
    assert [call[2] for call in heard] == ["create"]


def test_untracked_objects_are_not_announced(ctx, heard):
    objects.Goal(ctx)._changed("create", None)
    assert heard == []


def test_a_failing_listener_neither_raises_nor_silences_the_others(ctx, heard):
    def broken(context, obj, action, old_state):
        raise RuntimeError("notifier down")

    objects.add_change_listener(broken)
    try:
        _audit(ctx)._changed("update", None)
    finally:
        objects.remove_change_listener(broken)
    assert [call[2] for call in heard] == ["update"]


NOW = datetime.datetime(2026, 1, 1, 12, 0, 0)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"last_seen_up": NOW - datetime.timedelta(seconds=90)}, "ACTIVE"),
        ({"last_seen_up": NOW - datetime.timedelta(seconds=91)}, "FAILED"),
        ({"last_seen_up": None, "updated_at": NOW - datetime.timedelta(seconds=10),
          "created_at": NOW - datetime.timedelta(days=3)}, "ACTIVE"),
        ({"last_seen_up": None, "updated_at": None,
          "created_at": NOW - datetime.timedelta(seconds=300)}, "FAILED"),
        ({"last_seen_up": None, "updated_at": None, "created_at": None}, "FAILED"),
    ],
)
def test_service_status_follows_service_down_time(ctx, fields, expected):
    service = objects.Service(ctx, id=1, name="watcher-applier", host="h", **fields)
    assert service.get_status(now=NOW) == expected


def test_service_status_uses_the_configured_down_time_and_clock(ctx):
    service = objects.Service(ctx, id=1, name="watcher-applier", host="h",
                              last_seen_up=NOW - datetime.timedelta(seconds=200))
    timeutils.set_time_override(NOW)
    CONF.set_override("service_down_time", 300)
    try:
        assert service.get_status() == service_mod.ServiceStatus.ACTIVE
    finally:
        CONF.clear_override("service_down_time")
        timeutils.clear_time_override()
    assert service.get_status(now=NOW) == service_mod.ServiceStatus.FAILED
