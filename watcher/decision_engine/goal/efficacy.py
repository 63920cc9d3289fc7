"""Efficacy specifications: which indicators a goal's solutions report and the global score."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IndicatorSpecification:
    name: str
    description: str
    unit: str | None = None
    schema: dict = field(default_factory=lambda: {"type": "number", "minimum": 0})

    def to_dict(self) -> dict:
        # Upstream publishes the value schema as a JSON string (GET /v1/goals shows
        # "schema": "{\"minimum\": 0, \"type\": \"integer\"}"), not as an object.
        return {
            "name": self.name,
            "description": self.description,
            "unit": self.unit,
            "schema": json.dumps(self.schema, sort_keys=True) if self.schema else None,
        }


class EfficacySpecification:
    """Base specification; subclasses list indicators and may compute global efficacy."""

    indicators: tuple[IndicatorSpecification, ...] = ()

    def get_indicators_specifications(self) -> list[IndicatorSpecification]:
        return list(self.indicators)

    def serialize_indicators_specifications(self) -> list[dict]:
        return [spec.to_dict() for spec in self.indicators]

    def get_global_efficacy_indicator(self, indicators: dict) -> list[dict]:
        """Global efficacy rows ``{name, description, unit, value}``; none by default."""
        return []


class Unclassified(EfficacySpecification):
    """Goals with no measurable effect (dummy, unclassified, ...)."""
