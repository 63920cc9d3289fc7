"""The efficacy indicator shape embedded in action plans."""

from __future__ import annotations

from wsme import types as wtypes

from watcher.api.controllers import base


class EfficacyIndicator(base.APIBase):
    name = wtypes.text
    description = wtypes.text
    unit = wtypes.text
    value = float

    @classmethod
    def from_object(cls, indicator) -> EfficacyIndicator:
        item = cls(
            name=indicator.name,
            description=indicator.description,
            unit=indicator.unit,
            value=float(indicator.value) if indicator.value is not None else None,
        )
        item.fields = ["name", "description", "unit", "value"]
        return item
