"""Versioned objects: the only way services and the API read and write watcher's tables.

Importing this package registers every object; the classes are exported here
(``watcher.objects.Audit``...). Enums and rules live next to them: ``audit.State``,
``audit.AuditType``, ``action_plan.State``, ``action.State``, ``service.ServiceStatus`` and
every legal state change in ``watcher.objects.states``. Writes that must land together go
inside ``with objects.write_transaction():``.
"""

from watcher.objects.action import Action
from watcher.objects.action_description import ActionDescription
from watcher.objects.action_plan import ActionPlan
from watcher.objects.audit import Audit
from watcher.objects.audit_template import AuditTemplate
from watcher.objects.base import (
    add_change_listener,
    remove_change_listener,
    write_transaction,
)
from watcher.objects.efficacy_indicator import EfficacyIndicator
from watcher.objects.goal import Goal
from watcher.objects.scoring_engine import ScoringEngine
from watcher.objects.service import Service
from watcher.objects.strategy import Strategy

__all__ = [
    "Action",
    "ActionDescription",
    "ActionPlan",
    "Audit",
    "AuditTemplate",
    "EfficacyIndicator",
    "Goal",
    "ScoringEngine",
    "Service",
    "Strategy",
    "add_change_listener",
    "remove_change_listener",
    "write_transaction",
]
