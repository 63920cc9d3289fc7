"""Audit template: a saved goal/strategy/scope from which audits are created."""

from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class AuditTemplate(
    base.WatcherPersistentObject,
    base.UUIDObjectMixin,
    base.NamedObjectMixin,
    base.WatcherObject,
    base.WatcherObjectDictCompat,
):
    # Version 1.0: Initial version
    # Version 1.1: Added 'goal' and 'strategy' object field
    # Version 1.2: Added 'default_parameters' field (API microversion 1.7)
    VERSION = "1.2"

    _db_name = "audit_template"

    fields = {
        "id": wfields.IntegerField(),
        "uuid": wfields.UUIDField(),
        "name": wfields.StringField(),
        "description": wfields.StringField(nullable=True),
        "scope": wfields.FlexibleListOfDictField(nullable=True),
        "goal_id": wfields.IntegerField(),
        "strategy_id": wfields.IntegerField(nullable=True),
        "default_parameters": wfields.FlexibleDictField(nullable=True),
        "goal": wfields.ObjectField("Goal", nullable=True),
        "strategy": wfields.ObjectField("Strategy", nullable=True),
    }

    FIELDS_ADDED = {"default_parameters": "1.2"}

    object_fields = {
        "goal": ("Goal", "goal_id"),
        "strategy": ("Strategy", "strategy_id"),
    }

    obj_relationships = {
        "goal": [("1.1", "1.0")],
        "strategy": [("1.1", "1.1")],
    }
