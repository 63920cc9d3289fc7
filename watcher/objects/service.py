"""Service: one running watcher-decision-engine or watcher-applier and its heartbeat."""

import datetime

from oslo_utils import timeutils

from watcher.conf import CONF
from watcher.objects import base
from watcher.objects import fields as wfields


class ServiceStatus:
    ACTIVE = "ACTIVE"
    FAILED = "FAILED"


@base.WatcherObjectRegistry.register
class Service(
    base.WatcherPersistentObject,
    base.NamedObjectMixin,
    base.WatcherObject,
    base.WatcherObjectDictCompat,
):
    # Version 1.0: Initial version
    VERSION = "1.0"

    _db_name = "service"
    _db_key = "id"
    _tracked = True

    fields = {
        "id": wfields.IntegerField(),
        "name": wfields.StringField(),
        "host": wfields.StringField(),
        "last_seen_up": wfields.DateTimeField(tzinfo_aware=False, nullable=True),
    }

    def _last_heartbeat(self) -> datetime.datetime | None:
        # A service that never beat still counts from when its row was written.
        for name in ("last_seen_up", "updated_at", "created_at"):
            if self.obj_attr_is_set(name) and self[name] is not None:
                return self[name].replace(tzinfo=None)
        return None

    def get_status(self, now: datetime.datetime | None = None) -> str:
        """ACTIVE while the last heartbeat is at most [DEFAULT] service_down_time old."""
        last = self._last_heartbeat()
        if last is None:
            return ServiceStatus.FAILED
        now = (now or timeutils.utcnow()).replace(tzinfo=None)
        elapsed = (now - last).total_seconds()
        if elapsed <= CONF.service_down_time:
            return ServiceStatus.ACTIVE
        return ServiceStatus.FAILED

