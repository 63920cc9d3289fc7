"""Goals that have no efficacy indicators of their own."""

from watcher.decision_engine.goal import base


class Dummy(base.Goal):
    NAME = "dummy"
    DISPLAY_NAME = "Dummy goal"


class Unclassified(base.Goal):
    NAME = "unclassified"
    DISPLAY_NAME = "Unclassified"
