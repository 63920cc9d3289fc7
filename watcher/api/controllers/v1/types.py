"""WSME value types of API v1 bodies and the JSON-patch operation type."""

from __future__ import annotations

import re

import wsme
from croniter import croniter
from oslo_serialization import jsonutils
from oslo_utils import strutils, uuidutils
from wsme import types as wtypes

from watcher._i18n import _
from watcher.common import exception

# RFC 952/1123 label, as upstream uses for "logical names".
_HOSTNAME_RE = re.compile(r"^[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?$")


def is_hostname_safe(value) -> bool:
    return isinstance(value, str) and _HOSTNAME_RE.match(value) is not None


def is_int_like(value) -> bool:
    return strutils.is_int_like(value)


def is_cron_like(value) -> bool:
    return isinstance(value, str) and croniter.is_valid(value)


class UuidOrNameType(wtypes.UserType):
    basetype = wtypes.text
    name = "uuid_or_name"

    @staticmethod
    def validate(value):
        if not (uuidutils.is_uuid_like(value) or is_hostname_safe(value)):
            raise exception.InvalidUuidOrName(name=value)
        return value

    @staticmethod
    def frombasetype(value):
        return None if value is None else UuidOrNameType.validate(value)


class IntervalOrCron(wtypes.UserType):
    """Seconds as an integer (given as a string) or a five-field cron expression."""

    basetype = wtypes.text
    name = "interval_or_cron"

    @staticmethod
    def validate(value):
        if not (is_int_like(value) or is_cron_like(value)):
            raise exception.InvalidIntervalOrCron(name=value)
        return value

    @staticmethod
    def frombasetype(value):
        return None if value is None else IntervalOrCron.validate(value)


class UuidType(wtypes.UserType):
    basetype = wtypes.text
    name = "uuid"

    @staticmethod
    def validate(value):
        if not uuidutils.is_uuid_like(value):
            raise exception.InvalidUUID(uuid=value)
        return value

    @staticmethod
    def frombasetype(value):
        return None if value is None else UuidType.validate(value)


class BooleanType(wtypes.UserType):
    basetype = wtypes.text
    name = "boolean"

    @staticmethod
    def validate(value):
        try:
            return strutils.bool_from_string(value, strict=True)
        except ValueError as err:
            raise exception.Invalid(str(err)) from err

    @staticmethod
    def frombasetype(value):
        return None if value is None else BooleanType.validate(value)


class JsonType(wtypes.UserType):
    """Any JSON value (used for parameters, scope, patch values)."""

    basetype = wtypes.text
    name = "json"

    def __str__(self) -> str:
        return "json"

    @staticmethod
    def validate(value):
        try:
            jsonutils.dumps(value, default=None)
        except TypeError as err:
            raise exception.Invalid(_("%s is not JSON serializable") % value) from err
        return value

    @staticmethod
    def frombasetype(value):
        return JsonType.validate(value)


uuid = UuidType()
uuid_or_name = UuidOrNameType()
boolean = BooleanType()
jsontype = JsonType()
interval_or_cron = IntervalOrCron()


class JsonPatchType(wtypes.Base):
    """One RFC 6902 operation; resources narrow what may be patched."""

    path = wtypes.wsattr(wtypes.StringType(pattern=r"^(/[\w-]+)+$"), mandatory=True)
    op = wtypes.wsattr(wtypes.Enum(str, "add", "replace", "remove"), mandatory=True)
    value = wsme.wsattr(jsontype, default=wtypes.Unset)

    @staticmethod
    def internal_attrs() -> list[str]:
        return ["/created_at", "/id", "/links", "/updated_at", "/deleted_at", "/uuid"]

    @staticmethod
    def mandatory_attrs() -> list[str]:
        return []

    @staticmethod
    def validate(patch):
        root = "/" + patch.path.split("/")[1]
        if root in patch.internal_attrs():
            raise wsme.exc.ClientSideError(
                _("'%s' is an internal attribute and can not be updated") % patch.path
            )
        if patch.path in patch.mandatory_attrs() and patch.op == "remove":
            raise wsme.exc.ClientSideError(
                _("'%s' is a mandatory attribute and can not be removed") % patch.path
            )
        if patch.op != "remove" and patch.value is wsme.Unset:
            raise wsme.exc.ClientSideError(_("'add' and 'replace' operations needs value"))
        operation = {"path": patch.path, "op": patch.op}
        if patch.value is not wsme.Unset:
            operation["value"] = patch.value
        return operation
