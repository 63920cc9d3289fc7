"""Scoring engine: a machine-learning model strategies can query, synced from the plugins."""

from watcher.objects import base
from watcher.objects import fields as wfields


@base.WatcherObjectRegistry.register
class ScoringEngine(
    base.WatcherPersistentObject,
    base.UUIDObjectMixin,
    base.NamedObjectMixin,
    base.WatcherObject,
    base.WatcherObjectDictCompat,
):
    # Version 1.0: Initial version
    VERSION = "1.0"

    _db_name = "scoring_engine"

    fields = {
        "id": wfields.IntegerField(),
        "uuid": wfields.UUIDField(),
        "name": wfields.StringField(),
        "description": wfields.StringField(nullable=True),
        "metainfo": wfields.StringField(nullable=True),
    }
