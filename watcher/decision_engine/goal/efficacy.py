"""Efficacy specifications: which indicators a goal's solutions report and the global score."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class IndicatorSpecification:
    name: str
    description: str
    unit: str | None = None
    schema: dict = field(default_factory=lambda: {"type": "number", "minimum": 0})

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "unit": self.unit,
            "schema": self.schema,
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
