"""Base classes of the watcher versioned objects.

``WatcherObject`` is the versioned-object root (names and namespaces as upstream, so RPC
primitives read the same). ``WatcherPersistentObject`` adds the timestamps and the whole
DB round trip (get/list/create/save/soft_delete/destroy/refresh) once, driven by a few class
attributes, so the resource modules only declare fields and their own rules.

State changes go through ``watcher.objects.states``: ``save()`` refuses an illegal one before
writing anything. Components that must react to changes (versioned notifications) register a
change listener here; objects never import them.
"""

import contextlib
import copy
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from oslo_log import log
from oslo_utils import strutils, uuidutils, versionutils
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields as ovo_fields

from watcher.common import exception
from watcher.objects import fields as wfields
from watcher.objects import states

LOG = log.getLogger(__name__)

remotable_classmethod = ovo_base.remotable_classmethod
remotable = ovo_base.remotable

ChangeListener = Callable[[Any, "WatcherObject", str, "str | None"], None]

_change_listeners: list[ChangeListener] = []
# listener -> what hears a whole batch in one call instead (see add_change_listener)
_batch_listeners: dict[ChangeListener, Callable] = {}

# Listener calls held back until the enclosing write transaction commits (per thread).
_held = threading.local()


def add_change_listener(listener: ChangeListener, batch: Callable | None = None) -> None:
    """Call ``listener(context, obj, action, old_state)`` after each write of a tracked object.

    ``action`` is 'create', 'update' or 'delete'; ``old_state`` is the state the row had just
    before this write (None on create and for resources without a state), so the write
    changed the state exactly when ``old_state != obj.state``. Tracked classes: Audit,
    ActionPlan, Action, Service.

    Rows written in bulk (the actions of a new plan, a cancelled plan's unstarted actions)
    are announced to ``batch(context, objs, action)`` in one call when given, so it can share
    the work the objects have in common; ``objs`` is a ``LazyObjects``, whose ``rows`` give
    the written values without building the objects and whose ``old_state`` is the state
    they all had before. Without ``batch``, ``listener`` hears each object of the batch.
    """
    if listener not in _change_listeners:
        _change_listeners.append(listener)
    if batch is not None:
        _batch_listeners[listener] = batch


def remove_change_listener(listener: ChangeListener) -> None:
    if listener in _change_listeners:
        _change_listeners.remove(listener)
    _batch_listeners.pop(listener, None)


def _tell_listeners(
    context: Any, obj: "WatcherObject", action: str, old_state: str | None
) -> None:
    for listener in list(_change_listeners):
        try:
            listener(context, obj, action, old_state)
        except Exception:
            # The row is already written: a failing listener (say, a notification that cannot
            # be sent) must not make the caller believe the write failed.
            LOG.exception(
                "Change listener %(listener)r failed on %(action)s of %(obj)s",
                {"listener": listener, "action": action, "obj": obj.obj_name()},
            )


class LazyObjects(Sequence):
    """Objects built from their rows on first use, for batches that listeners may well
    ignore or read as ``rows`` (column values, not to be changed: plain rows, or the objects
    themselves when the writer holds them already). ``old_state``: the state every one of
    them had before the write (None for new rows)."""

    def __init__(self, rows: Sequence, build: Callable[[Any], Any],
                 old_state: str | None = None) -> None:
        self.rows = rows
        self._build = build
        self.old_state = old_state
        self._objects: list | None = None

    def _all(self) -> list:
        if self._objects is None:
            self._objects = [self._build(row) for row in self.rows]
        return self._objects

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self) -> int:
        return len(self.rows)


def _tell_batch_listeners(context: Any, objs: LazyObjects, action: str) -> None:
    for listener in list(_change_listeners):
        batch = _batch_listeners.get(listener)
        try:
            if batch is not None:
                batch(context, objs, action)
            else:
                for obj in objs:
                    listener(context, obj, action, objs.old_state)
        except Exception:
            LOG.exception(
                "Change listener %(listener)r failed on %(action)s of %(count)d objects",
                {"listener": listener, "action": action, "count": len(objs)},
            )


def _announce(context: Any, obj: "WatcherObject", action: str, old_state: str | None) -> None:
    held = getattr(_held, "calls", None)
    if held is not None:
        # A snapshot: later writes in the same transaction must not rewrite what this one
        # announces (a plan created RECOMMENDED, then saved again before the commit).
        snapshot = obj.obj_clone()
        held.append(lambda: _tell_listeners(context, snapshot, action, old_state))
    else:
        _tell_listeners(context, obj, action, old_state)


def _announce_batch(context: Any, objs: LazyObjects, action: str) -> None:
    """Announce objects written in bulk; the writer hands them over and changes them no
    more."""
    held = getattr(_held, "calls", None)
    if held is not None:
        held.append(lambda: _tell_batch_listeners(context, objs, action))
    else:
        _tell_batch_listeners(context, objs, action)


@contextlib.contextmanager
def write_transaction(dbapi: Any = None) -> Iterator[None]:
    """Make the object writes inside one DB transaction, announced only once it commits.

    Listeners never hear of a change that was rolled back. Nested uses join the outer one.
    Use it for writes that must land together (a plan with its actions and indicators).
    """
    dbapi = dbapi or WatcherPersistentObject.dbapi
    if getattr(_held, "calls", None) is not None:
        with dbapi.transaction():
            yield
        return
    _held.calls = []
    try:
        with dbapi.transaction():
            yield
        calls = _held.calls
    finally:
        _held.calls = None
    for call in calls:
        call()


class WatcherObjectRegistry(ovo_base.VersionedObjectRegistry):
    """The registry every watcher object is registered in (``@WatcherObjectRegistry.register``)."""


class WatcherObject(ovo_base.VersionedObject):
    """Root of every watcher object and notification payload."""

    OBJ_SERIAL_NAMESPACE = "watcher_object"
    OBJ_PROJECT_NAMESPACE = "watcher"

    # field name -> first object VERSION that has it; older receivers never see it
    FIELDS_ADDED: dict[str, str] = {}

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.fields if self.obj_attr_is_set(name)}

    def obj_make_compatible(self, primitive: dict, target_version: str) -> None:
        super().obj_make_compatible(primitive, target_version)
        target = versionutils.convert_version_to_tuple(target_version)
        for name, added_in in self.FIELDS_ADDED.items():
            if target < versionutils.convert_version_to_tuple(added_in):
                primitive.pop(name, None)


class WatcherObjectDictCompat(ovo_base.VersionedObjectDictCompat):
    """obj['field'] access, as upstream objects offer it."""


class _DBAPI:
    """Resolves the DB API on first use.

    The objects are imported by every service and by tools that never touch the database;
    resolving lazily keeps that import free of DB configuration.
    """

    def __get__(self, obj: Any, owner: type) -> Any:
        from watcher.db import api as db_api

        return db_api.get_instance()


def _column(row: Any, name: str) -> Any:
    if isinstance(row, Mapping):
        return row[name]
    return getattr(row, name)


def _including_deleted(context: Any) -> Any:
    if context is None or getattr(context, "show_deleted", True):
        return context
    widened = copy.copy(context)
    widened.show_deleted = True
    return widened


def _loaded_relation(row: Any, name: str) -> tuple[bool, Any]:
    """(True, value) when the row already carries relation ``name``; never triggers a load."""
    if isinstance(row, Mapping):
        return (name in row, row.get(name))
    # SQLAlchemy keeps loaded attributes in the instance __dict__; reading one that is not
    # there would lazy-load it, which fails once the session is gone.
    loaded = getattr(row, "__dict__", {})
    return (name in loaded, loaded.get(name))


class WatcherPersistentObject:
    """Mixin for objects stored in a table: timestamps plus the DB round trip.

    Subclasses set:

    * ``_db_name``: the resource name in the DB API (``get_<name>_by_id``, ``create_<name>``...);
    * ``_db_key``: the field that addresses the row on update/delete ('uuid' or 'id');
    * ``object_fields``: sub-object field -> (object class name, foreign key field), loaded
      from the DB row when ``eager`` or on first access;
    * ``_machine``/``_deletable``: the state machine ``save()`` enforces and the states
      ``soft_delete()`` accepts (stateful resources only);
    * ``_tracked``: whether change listeners hear about writes.
    """

    fields = {
        "created_at": ovo_fields.DateTimeField(nullable=True),
        "updated_at": ovo_fields.DateTimeField(nullable=True),
        "deleted_at": ovo_fields.DateTimeField(nullable=True),
    }

    object_fields: dict[str, tuple[str, str]] = {}

    _db_name = ""
    _db_key = "uuid"
    _machine: states.StateMachine | None = None
    _deletable: frozenset | None = None
    _tracked = False

    dbapi = _DBAPI()

    # Loading from the DB

    @staticmethod
    def _from_db_object(obj: Any, db_object: Any, eager: bool = False) -> Any:
        """Fill ``obj`` from a DB row; with ``eager`` also its sub-objects."""
        for name in obj.fields:
            if name not in obj.object_fields:
                obj[name] = _column(db_object, name)
        if eager:
            for name in obj.object_fields:
                obj._load_object_field(name, db_object)
        obj.obj_reset_changes()
        return obj

    @classmethod
    def _related_class(cls, name: str) -> type:
        class_name = cls.object_fields[name][0]
        return WatcherObjectRegistry.obj_classes()[class_name][0]

    def _load_object_field(self, name: str, db_object: Any = None) -> None:
        related_cls = self._related_class(name)
        foreign_key = self[self.object_fields[name][1]]
        if not foreign_key:
            self[name] = None
            return
        found, related_row = (False, None)
        if db_object is not None:
            found, related_row = _loaded_relation(db_object, name)
        if found and related_row is not None:
            self[name] = related_cls._from_db_object(related_cls(self._context), related_row)
        else:
            # A goal or strategy retired by the sync stays referenced by its old audits; the
            # DB layer's eager join returns such rows too, so the fallback must as well.
            self[name] = related_cls.get_by_id(_including_deleted(self._context), foreign_key)
            self[name]._context = self._context

    def obj_load_attr(self, attrname: str) -> None:
        # Sub-objects not loaded eagerly are fetched on first access instead of raising.
        if attrname not in self.object_fields:
            super().obj_load_attr(attrname)
        self._load_object_field(attrname)
        self.obj_reset_changes([attrname])

    def obj_refresh(self, loaded_object: Any) -> None:
        """Copy from ``loaded_object`` every plain field whose value differs."""
        refreshed = []
        for name in self.fields:
            if name in self.object_fields or not loaded_object.obj_attr_is_set(name):
                continue
            if not self.obj_attr_is_set(name) or self[name] != loaded_object[name]:
                self[name] = loaded_object[name]
                refreshed.append(name)
        self.obj_reset_changes(refreshed)

    # DB plumbing

    @classmethod
    def _db(cls, verb: str, *args: Any, **kwargs: Any) -> Any:
        return getattr(cls.dbapi, verb % cls._db_name)(*args, **kwargs)

    def _key(self) -> Any:
        return self[self._db_key]

    def _fetch_row(self, eager: bool = False) -> Any:
        return self._db("get_%s_by_" + self._db_key, self._context, self._key(), eager=eager)

    def _lock_row(self) -> Any:
        """The current row, locked until the enclosing write transaction ends.

        The DB API's update selects the row FOR UPDATE; with nothing to write it only locks
        and returns it. Two writers racing to change a state are thus checked one after the
        other, each against the state the other left (say the API's CANCELLING against the
        applier's SUCCEEDED), instead of both passing and the last one winning.
        """
        return self._db("update_%s", self._key(), {})

    def _pending_updates(self) -> dict:
        return {
            name: value
            for name, value in self.obj_get_changes().items()
            if name not in self.object_fields
        }

    def _apply_row(self, row: Any) -> None:
        loaded = self._from_db_object(type(self)(self._context), row)
        self.obj_refresh(loaded)
        self.obj_reset_changes()

    def _known_state(self) -> str | None:
        """The state as last loaded, when no unsaved change is pending on it."""
        if self._machine is None or "state" in self.obj_what_changed():
            return None
        return self.state if self.obj_attr_is_set("state") else None

    def _changed(self, action: str, old_state: str | None) -> None:
        if self._tracked:
            _announce(self._context, self, action, old_state)

    # Reads

    @remotable_classmethod
    def get(cls, context: Any, ident: Any, eager: bool = False) -> Any:
        """Find one row by integer id, UUID or name (for the resources looked up by those)."""
        if strutils.is_int_like(ident):
            return cls.get_by_id(context, int(ident), eager=eager)
        if issubclass(cls, UUIDObjectMixin) and uuidutils.is_uuid_like(ident):
            return cls.get_by_uuid(context, ident, eager=eager)
        if issubclass(cls, NamedObjectMixin) and isinstance(ident, str) and ident:
            return cls.get_by_name(context, ident, eager=eager)
        raise exception.InvalidIdentity(identity=ident)

    @remotable_classmethod
    def get_by_id(cls, context: Any, ident: int, eager: bool = False) -> Any:
        row = cls._db("get_%s_by_id", context, ident, eager=eager)
        return cls._from_db_object(cls(context), row, eager=eager)

    @remotable_classmethod
    def list(
        cls,
        context: Any,
        limit: int | None = None,
        marker: Any = None,
        filters: dict | None = None,
        sort_key: str | None = None,
        sort_dir: str | None = None,
        eager: bool = False,
    ) -> list:
        rows = cls._db(
            "get_%s_list",
            context,
            filters=filters,
            limit=limit,
            marker=marker,
            sort_key=sort_key,
            sort_dir=sort_dir,
            eager=eager,
        )
        return [cls._from_db_object(cls(context), row, eager=eager) for row in rows]

    @remotable
    def refresh(self, eager: bool = False) -> None:
        """Reload this object's row and apply what changed in the DB."""
        row = self._fetch_row(eager=eager)
        current = self._from_db_object(type(self)(self._context), row, eager=eager)
        self.obj_refresh(current)
        if eager:
            for name in self.object_fields:
                self[name] = current[name]
            self.obj_reset_changes(list(self.object_fields))

    # Writes

    @remotable
    def create(self) -> None:
        """Insert this object as a new row, then reload it (with its sub-objects)."""
        if "uuid" in self.fields and not self.obj_attr_is_set("uuid"):
            self.uuid = uuidutils.generate_uuid()
        row = self._db("create_%s", self._pending_updates())
        self._from_db_object(self, row, eager=bool(self.object_fields))
        self._changed(wfields.NotificationAction.CREATE, None)

    @remotable
    def save(self) -> None:
        """Write the changed fields; an illegal state change raises and writes nothing."""
        updates = self._pending_updates()
        if not updates:
            return
        old_state = self._known_state()
        with write_transaction(self.dbapi):
            if self._machine is not None and "state" in updates:
                old_state = _column(self._lock_row(), "state")
                self._machine.check(old_state, updates["state"])
            self._apply_row(self._db("update_%s", self._key(), updates))
            self._changed(wfields.NotificationAction.UPDATE, old_state)

    def _cascade_soft_delete(self) -> None:
        """Soft-delete the rows that cannot outlive this one (none by default)."""

    def _cascade_destroy(self) -> None:
        """Destroy the rows that cannot outlive this one (none by default)."""

    @remotable
    def soft_delete(self) -> None:
        """Mark the row deleted (state DELETED for stateful resources), keeping it stored."""
        old_state = None
        with write_transaction(self.dbapi):
            if self._machine is not None:
                old_state = _column(self._lock_row(), "state")
                states.check_deletable(self._machine.name, self._deletable, old_state)
                self._cascade_soft_delete()
                updates = self._pending_updates()
                updates["state"] = states.DELETED
                self._apply_row(self._db("update_%s", self._key(), updates))
            else:
                self._cascade_soft_delete()
            self._apply_row(self._db("soft_delete_%s", self._key()))
            self._changed(wfields.NotificationAction.DELETE, old_state)

    @remotable
    def destroy(self) -> None:
        """Remove the row for good."""
        old_state = self._known_state()
        with write_transaction(self.dbapi):
            self._cascade_destroy()
            self._db("destroy_%s", self._key())
            self.obj_reset_changes()
            self._changed(wfields.NotificationAction.DELETE, old_state)


class NamedObjectMixin:
    """get_by_name for resources that have a ``name`` column."""

    @remotable_classmethod
    def get_by_name(cls, context: Any, name: str, eager: bool = False) -> Any:
        row = cls._db("get_%s_by_name", context, name, eager=eager)
        return cls._from_db_object(cls(context), row, eager=eager)


class UUIDObjectMixin:
    """get_by_uuid for resources that have a ``uuid`` column."""

    @remotable_classmethod
    def get_by_uuid(cls, context: Any, uuid: str, eager: bool = False) -> Any:
        row = cls._db("get_%s_by_uuid", context, uuid, eager=eager)
        return cls._from_db_object(cls(context), row, eager=eager)


class WatcherObjectSerializer(ovo_base.VersionedObjectSerializer):
    """Turns watcher objects into RPC primitives and back."""

    OBJ_BASE_CLASS = WatcherObject
