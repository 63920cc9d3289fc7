"""Goal: an optimization objective (e.g. server_consolidation), synced from the plugins."""

from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class Goal(
    base.WatcherPersistentObject,
    base.UUIDObjectMixin,
    base.NamedObjectMixin,
    base.WatcherObject,
    base.WatcherObjectDictCompat,
):
    # Version 1.0: Initial version
    VERSION = "1.0"

    _db_name = "goal"

    fields = {
        "id": wfields.IntegerField(),
        "uuid": wfields.UUIDField(),
        "name": wfields.StringField(),
        "display_name": wfields.StringField(),
        "efficacy_specification": wfields.FlexibleListOfDictField(),
    }
