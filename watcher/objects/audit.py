"""Audit: a request to optimize the cluster for one goal, which yields action plans."""

import enum
from typing import Any

from oslo_utils import versionutils

from watcher.objects import base, states
from watcher.objects import fields as wfields

State = states.AuditState


class AuditType(enum.Enum):
    ONESHOT = "ONESHOT"
    CONTINUOUS = "CONTINUOUS"
    EVENT = "EVENT"


@base.WatcherObjectRegistry.register
class Audit(
    base.WatcherPersistentObject,
    base.UUIDObjectMixin,
    base.NamedObjectMixin,
    base.WatcherObject,
    base.WatcherObjectDictCompat,
):
    # Version 1.0: Initial version
    # Version 1.1: Added 'goal' and 'strategy' object field
    # Version 1.2: Added 'auto_trigger' boolean field
    # Version 1.3: Added 'next_run_time' DateTime field,
    #              'interval' type has been changed from Integer to String
    # Version 1.4: Added 'name' string field
    # Version 1.5: Added 'hostname' field
    # Version 1.6: Added 'start_time' and 'end_time' DateTime fields
    # Version 1.7: Added 'force' boolean field
    # Version 1.8: Added 'status_message' field (API microversion 1.5)
    VERSION = "1.8"

    _db_name = "audit"
    _machine = states.AUDIT
    _deletable = states.AUDIT_DELETABLE
    _tracked = True

    fields = {
        "id": wfields.IntegerField(),
        "uuid": wfields.UUIDField(),
        "name": wfields.StringField(),
        "audit_type": wfields.StringField(),
        "state": wfields.StringField(),
        "parameters": wfields.FlexibleDictField(nullable=True),
        "interval": wfields.StringField(nullable=True),
        "scope": wfields.FlexibleListOfDictField(nullable=True),
        "goal_id": wfields.IntegerField(),
        "strategy_id": wfields.IntegerField(nullable=True),
        "auto_trigger": wfields.BooleanField(),
        "next_run_time": wfields.DateTimeField(nullable=True, tzinfo_aware=False),
        "hostname": wfields.StringField(nullable=True),
        "start_time": wfields.DateTimeField(nullable=True, tzinfo_aware=False),
        "end_time": wfields.DateTimeField(nullable=True, tzinfo_aware=False),
        "force": wfields.BooleanField(default=False, nullable=False),
        "status_message": wfields.StringField(nullable=True),
        "goal": wfields.ObjectField("Goal", nullable=True),
        "strategy": wfields.ObjectField("Strategy", nullable=True),
    }

    FIELDS_ADDED = {
        "auto_trigger": "1.2",
        "next_run_time": "1.3",
        "name": "1.4",
        "hostname": "1.5",
        "start_time": "1.6",
        "end_time": "1.6",
        "force": "1.7",
        "status_message": "1.8",
    }

    object_fields = {
        "goal": ("Goal", "goal_id"),
        "strategy": ("Strategy", "strategy_id"),
    }

    obj_relationships = {
        "goal": [("1.1", "1.0")],
        "strategy": [("1.1", "1.1")],
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("force", False)
        super().__init__(*args, **kwargs)

    def obj_make_compatible(self, primitive: dict, target_version: str) -> None:
        super().obj_make_compatible(primitive, target_version)
        # Before 1.3 the interval was a number of seconds; a cron expression has no such form.
        target = versionutils.convert_version_to_tuple(target_version)
        interval = primitive.get("interval")
        if target < (1, 3) and interval is not None:
            primitive["interval"] = int(interval) if str(interval).isdigit() else None
