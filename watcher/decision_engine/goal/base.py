"""Shape of a goal plugin (entry-point group ``watcher_goals``)."""

from __future__ import annotations

from watcher.decision_engine.goal import efficacy


class Goal:
    """A goal is identified by its name and says how its solutions are measured."""

    NAME: str = ""
    DISPLAY_NAME: str = ""
    EFFICACY_SPECIFICATION: type[efficacy.EfficacySpecification] = efficacy.Unclassified

    @classmethod
    def get_name(cls) -> str:
        return cls.NAME

    @classmethod
    def get_display_name(cls) -> str:
        return cls.DISPLAY_NAME

    @classmethod
    def get_translatable_display_name(cls) -> str:
        return cls.DISPLAY_NAME

    @classmethod
    def get_efficacy_specification(cls) -> efficacy.EfficacySpecification:
        return cls.EFFICACY_SPECIFICATION()
