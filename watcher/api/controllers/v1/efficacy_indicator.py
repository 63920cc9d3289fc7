"""The efficacy indicator shape embedded in action plans."""

from __future__ import annotations

from wsme import types as wtypes

from watcher.api.controllers import base
from watcher.api.controllers.v1 import types


class EfficacyIndicator(base.APIBase):
    name = wtypes.text
    description = wtypes.text
    unit = wtypes.text
    # A JSON number as the object holds it: an int when integral (a count of migrations
    # shows 2, not 2.0), a float otherwise, like upstream's Numeric field.
    value = types.jsontype

    @classmethod
    def from_object(cls, indicator) -> EfficacyIndicator:
        item = cls(
            name=indicator.name,
            description=indicator.description,
            unit=indicator.unit,
            value=indicator.value,
        )
        item.fields = ["name", "description", "unit", "value"]
        return item
