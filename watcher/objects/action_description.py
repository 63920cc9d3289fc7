"""Action description: the human text of each action type, synced by the applier."""

from typing import Any

from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class ActionDescription(
    base.WatcherPersistentObject,
    base.WatcherObject,
    base.WatcherObjectDictCompat,
):
    # Version 1.0: Initial version
    VERSION = "1.0"

    _db_name = "action_description"
    _db_key = "id"

    fields = {
        "id": wfields.IntegerField(),
        "action_type": wfields.StringField(),
        "description": wfields.StringField(),
    }

    @base.remotable_classmethod
    def get_by_type(cls, context: Any, action_type: str) -> "ActionDescription":
        """The description of ``action_type`` (action types are unique)."""
        row = cls._db("get_%s_by_type", context, action_type)
        return cls._from_db_object(cls(context), row)
