"""Field coercion of the watcher field types."""

import pytest
from oslo_versionedobjects import base as ovo_base

from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register_if(False)
class Sample(base.WatcherObject):
    VERSION = "1.0"
    fields = {
        "uuid": wfields.UUIDField(nullable=True),
        "flex_dict": wfields.FlexibleDictField(nullable=True),
        "strict_dict": wfields.FlexibleDictField(),
        "flex_list": wfields.FlexibleListOfDictField(nullable=True),
        "strict_list": wfields.FlexibleListOfDictField(),
        "number": wfields.NumericField(nullable=True),
        "json": wfields.JsonField(nullable=True),
        "dict": wfields.DictField(nullable=True),
        "uuids": wfields.ListOfUUIDsField(nullable=True),
        "priority": wfields.NotificationPriorityField(),
        "phase": wfields.NotificationPhaseField(),
        "action": wfields.NotificationActionField(),
    }


def test_empty_uuid_reads_as_none():
    obj = Sample(uuid="")
    assert obj.uuid is None
    obj.uuid = "2b5b4c5e-0d1f-4f0a-9a3c-0c1e6b0f7d11"
    assert obj.uuid == "2b5b4c5e-0d1f-4f0a-9a3c-0c1e6b0f7d11"


def test_flexible_dict_accepts_its_string_form_and_none():
    obj = Sample(flex_dict="{'a': 1}")
    assert obj.flex_dict == {"a": 1}
    obj.flex_dict = None
    assert obj.flex_dict == {}
    obj.flex_dict = [("k", "v")]
    assert obj.flex_dict == {"k": "v"}


def test_non_nullable_flexible_fields_refuse_none():
    with pytest.raises(ValueError):
        Sample(strict_dict=None)
    with pytest.raises(ValueError):
        Sample(strict_list=None)


def test_flexible_list_of_dict_accepts_its_string_form_and_none():
    obj = Sample(flex_list="[{'compute': []}]")
    assert obj.flex_list == [{"compute": []}]
    obj.flex_list = None
    assert obj.flex_list == []
    obj.flex_list = ({"a": 1},)
    assert obj.flex_list == [{"a": 1}]


@pytest.mark.parametrize(
    ("given", "expected", "kind"),
    [(3, 3, int), ("3", 3, int), (3.0, 3, int), (2.5, 2.5, float), ("0.25", 0.25, float),
     (None, None, type(None))],
)
def test_numeric_keeps_integral_values_integers(given, expected, kind):
    obj = Sample(number=given)
    assert obj.number == expected
    assert type(obj.number) is kind


def test_json_field_travels_as_a_json_string():
    obj = Sample(json='{"a": [1, 2]}', priority="info", phase="start", action="create")
    assert obj.json == {"a": [1, 2]}
    primitive = obj.obj_to_primitive()
    assert primitive["watcher_object.data"]["json"] == '{"a": [1, 2]}'
    wire = primitive["watcher_object.data"]["json"]
    assert Sample.fields["json"].from_primitive(obj, "json", wire) == {"a": [1, 2]}


def test_list_of_uuids_rejects_garbage():
    obj = Sample(uuids=["2b5b4c5e-0d1f-4f0a-9a3c-0c1e6b0f7d11"])
    assert obj.uuids == ["2b5b4c5e-0d1f-4f0a-9a3c-0c1e6b0f7d11"]


@pytest.mark.parametrize(
    ("field", "valid", "invalid"),
    [
        ("priority", ["debug", "info", "warning", "error", "critical"], "notice"),
        ("phase", ["start", "end", "error"], "middle"),
        ("action", ["create", "update", "exception", "delete", "strategy", "planner",
                    "execution", "cancel"], "explode"),
    ],
)
def test_notification_enums(field, valid, invalid):
    obj = Sample()
    for value in valid:
        setattr(obj, field, value)
        assert getattr(obj, field) == value
    with pytest.raises(ValueError):
        setattr(obj, field, invalid)


def test_notification_enum_constants_match_values():
    assert wfields.NotificationPriority.ALL == ("debug", "info", "warning", "error", "critical")
    assert wfields.NotificationPhase.ALL == ("start", "end", "error")
    assert wfields.NotificationAction.CANCEL == "cancel"


def test_sample_is_not_registered_globally():
    # register_if(False) keeps test classes out of the registry the fingerprint test pins.
    assert "Sample" not in ovo_base.VersionedObjectRegistry.obj_classes()
