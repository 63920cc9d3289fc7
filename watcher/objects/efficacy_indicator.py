"""Efficacy indicator: one measured benefit of an action plan (e.g. released nodes)."""

from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class EfficacyIndicator(
    base.WatcherPersistentObject,
    base.UUIDObjectMixin,
    base.WatcherObject,
    base.WatcherObjectDictCompat,
):
    # Version 1.0: Initial version
    VERSION = "1.0"

    _db_name = "efficacy_indicator"

    fields = {
        "id": wfields.IntegerField(),
        "uuid": wfields.UUIDField(),
        "action_plan_id": wfields.IntegerField(),
        "name": wfields.StringField(),
        "description": wfields.StringField(nullable=True),
        "unit": wfields.StringField(nullable=True),
        "value": wfields.NumericField(),
    }
