"""Strategy: an algorithm that achieves one goal, synced from the plugins."""

from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class Strategy(
    base.WatcherPersistentObject,
    base.UUIDObjectMixin,
    base.NamedObjectMixin,
    base.WatcherObject,
    base.WatcherObjectDictCompat,
):
    # Version 1.0: Initial version
    # Version 1.1: Added Goal object field
    VERSION = "1.1"

    _db_name = "strategy"

    fields = {
        "id": wfields.IntegerField(),
        "uuid": wfields.UUIDField(),
        "name": wfields.StringField(),
        "display_name": wfields.StringField(),
        "goal_id": wfields.IntegerField(),
        "parameters_spec": wfields.FlexibleDictField(nullable=True),
        "goal": wfields.ObjectField("Goal", nullable=True),
    }

    object_fields = {"goal": ("Goal", "goal_id")}

    obj_relationships = {"goal": [("1.1", "1.0")]}
