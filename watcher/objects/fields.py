"""Field types of the watcher versioned objects and of their notification payloads.

The names match upstream so that payload schemas and object fingerprints read the same way.
"""

import ast
import json
from typing import Any

from oslo_versionedobjects import fields

BaseEnumField = fields.BaseEnumField
BooleanField = fields.BooleanField
DateTimeField = fields.DateTimeField
Enum = fields.Enum
FloatField = fields.FloatField
IntegerField = fields.IntegerField
ListOfStringsField = fields.ListOfStringsField
NonNegativeFloatField = fields.NonNegativeFloatField
NonNegativeIntegerField = fields.NonNegativeIntegerField
ObjectField = fields.ObjectField
ListOfObjectsField = fields.ListOfObjectsField
StringField = fields.StringField
UnspecifiedDefault = fields.UnspecifiedDefault


class UUIDField(fields.UUIDField):
    """A UUID field where an empty string means "no value" (old rows store '' for unset)."""

    def coerce(self, obj: Any, attr: str, value: Any) -> Any:
        if value is None or value == "":
            return self._null(obj, attr)
        return self._type.coerce(obj, attr, value)


class Numeric(fields.FieldType):
    """A float, or an int when integral (DB Numeric columns give Decimals, JSON wants numbers)."""

    @staticmethod
    def coerce(obj: Any, attr: str, value: Any) -> Any:
        if value is None:
            return None
        as_float = float(value)
        if not as_float.is_integer():
            return as_float
        return value if isinstance(value, int) else int(as_float)


class NumericField(fields.AutoTypedField):
    AUTO_TYPE = Numeric()


class DictField(fields.AutoTypedField):
    AUTO_TYPE = fields.Dict(fields.FieldType())


class ListOfUUIDsField(fields.AutoTypedField):
    AUTO_TYPE = fields.List(fields.UUID())


def _literal(value: Any) -> Any:
    # Rows written by older code hold Python reprs of dicts/lists rather than JSON.
    if isinstance(value, str):
        return ast.literal_eval(value)
    return value


class FlexibleDict(fields.FieldType):
    @staticmethod
    def coerce(obj: Any, attr: str, value: Any) -> dict:
        return dict(_literal(value))


class FlexibleDictField(fields.AutoTypedField):
    """A dict that also accepts its string form; None reads as {} when nullable (as upstream)."""

    AUTO_TYPE = FlexibleDict()

    def _null(self, obj: Any, attr: str) -> Any:
        if self.nullable:
            return {}
        return super()._null(obj, attr)


class FlexibleListOfDict(fields.FieldType):
    @staticmethod
    def coerce(obj: Any, attr: str, value: Any) -> list:
        return list(_literal(value))


class FlexibleListOfDictField(fields.AutoTypedField):
    """A list of dicts that also accepts its string form; None reads as [] when nullable."""

    AUTO_TYPE = FlexibleListOfDict()

    def _null(self, obj: Any, attr: str) -> Any:
        if self.nullable:
            return []
        return super()._null(obj, attr)


class Json(fields.FieldType):
    """Any JSON value; it travels as a JSON string inside the object primitive."""

    def coerce(self, obj: Any, attr: str, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value)
        return value

    def from_primitive(self, obj: Any, attr: str, value: Any) -> Any:
        return self.coerce(obj, attr, value)

    def to_primitive(self, obj: Any, attr: str, value: Any) -> str:
        return json.dumps(value)


class JsonField(fields.AutoTypedField):
    AUTO_TYPE = Json()


# Notification fields


class BaseWatcherEnum(Enum):
    """An enum whose valid values are the subclass's ``ALL`` tuple."""

    ALL: tuple[str, ...] = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(valid_values=self.__class__.ALL, **kwargs)


class NotificationPriority(BaseWatcherEnum):
    DEBUG = "debug"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    CRITICAL = "critical"

    ALL = (DEBUG, INFO, WARNING, ERROR, CRITICAL)


class NotificationPhase(BaseWatcherEnum):
    START = "start"
    END = "end"
    ERROR = "error"

    ALL = (START, END, ERROR)


class NotificationAction(BaseWatcherEnum):
    CREATE = "create"
    UPDATE = "update"
    EXCEPTION = "exception"
    DELETE = "delete"

    STRATEGY = "strategy"
    PLANNER = "planner"
    EXECUTION = "execution"

    CANCEL = "cancel"

    ALL = (CREATE, UPDATE, EXCEPTION, DELETE, STRATEGY, PLANNER, EXECUTION, CANCEL)


class NotificationPriorityField(BaseEnumField):
    AUTO_TYPE = NotificationPriority()


class NotificationPhaseField(BaseEnumField):
    AUTO_TYPE = NotificationPhase()


class NotificationActionField(BaseEnumField):
    AUTO_TYPE = NotificationAction()
