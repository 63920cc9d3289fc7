"""Writes the installed goals, strategies and scoring engines into the database (start-up
and watcher-sync).

A goal or strategy whose definition changed is replaced by a new row (the old one is soft
deleted) and the audit templates and audits pointing at it follow the new row; audits of
a changed strategy and their recommended plans are cancelled, as upstream does. Rows of
plugins no longer installed are soft deleted.
"""

from __future__ import annotations

from oslo_log import log
from oslo_utils import uuidutils

from watcher import objects
from watcher.common import context as watcher_context
from watcher.common import loader
from watcher.decision_engine.scoring import scoring_factory

LOG = log.getLogger(__name__)

AuditState = objects.audit.State
PlanState = objects.action_plan.State


class Syncer:
    def __init__(self, context=None) -> None:
        self.context = context or watcher_context.get_admin_context()

    def sync(self) -> None:
        goal_ids = self.sync_goals()
        self.sync_strategies(goal_ids)
        self.sync_scoring_engines()

    # -- goals ----------------------------------------------------------------------------

    def sync_goals(self) -> dict[str, int]:
        installed = loader.list_classes("watcher_goals")
        existing = {g.name: g for g in objects.Goal.list(self.context)}
        ids = {}
        for name, cls in installed.items():
            wanted = {
                "display_name": cls.get_display_name(),
                "efficacy_specification": (
                    cls.get_efficacy_specification().serialize_indicators_specifications()
                ),
            }
            row = existing.get(name)
            if row is not None and all(row[k] == v for k, v in wanted.items()):
                ids[name] = row.id
                continue
            new = objects.Goal(self.context, uuid=uuidutils.generate_uuid(), name=name, **wanted)
            if row is not None:
                row.soft_delete()
            new.create()
            if row is not None:
                self._repoint(objects.AuditTemplate, "goal_id", row.id, new.id)
                self._repoint(objects.Audit, "goal_id", row.id, new.id)
                self._repoint(objects.Strategy, "goal_id", row.id, new.id)
            ids[name] = new.id
            LOG.info("Goal %s synced", name)
        for name, row in existing.items():
            if name not in installed:
                row.soft_delete()
        return ids

    # -- strategies -----------------------------------------------------------------------

    def sync_strategies(self, goal_ids: dict[str, int]) -> None:
        installed = {
            name: cls
            for name, cls in loader.list_classes("watcher_strategies").items()
            if cls.get_goal_name() in goal_ids
        }
        existing = {s.name: s for s in objects.Strategy.list(self.context)}
        for name, cls in installed.items():
            wanted = {
                "display_name": cls.get_display_name(),
                "goal_id": goal_ids[cls.get_goal_name()],
                "parameters_spec": cls.get_schema(),
            }
            row = existing.get(name)
            if row is not None and all(row[k] == v for k, v in wanted.items()):
                continue
            new = objects.Strategy(
                self.context, uuid=uuidutils.generate_uuid(), name=name, **wanted
            )
            if row is not None:
                row.soft_delete()
            new.create()
            if row is not None:
                self._repoint(objects.AuditTemplate, "strategy_id", row.id, new.id)
                self._cancel_strategy_work(row.id, new.id)
            LOG.info("Strategy %s synced", name)
        for name, row in existing.items():
            if name not in installed:
                row.soft_delete()

    def _repoint(self, cls, field: str, old_id: int, new_id: int) -> None:
        for obj in cls.list(self.context, filters={field: old_id}):
            obj[field] = new_id
            obj.save()

    def _cancel_strategy_work(self, old_id: int, new_id: int) -> None:
        for audit in objects.Audit.list(self.context, filters={"strategy_id": old_id}):
            audit.strategy_id = new_id
            if audit.state in (AuditState.PENDING, AuditState.ONGOING):
                audit.state = AuditState.CANCELLED
            audit.save()
        for plan in objects.ActionPlan.list(self.context, filters={"strategy_id": old_id}):
            plan.strategy_id = new_id
            if plan.state in (PlanState.RECOMMENDED, PlanState.PENDING):
                plan.state = PlanState.CANCELLED
            plan.save()

    # -- scoring engines ------------------------------------------------------------------

    def sync_scoring_engines(self) -> None:
        """One row per installed engine (by its own name, containers included).

        As upstream, an engine whose description or metainfo changed gets a new row (new
        uuid) and the old one is soft deleted; nothing references scoring engine rows, so
        there is nothing to re-point. Rows of engines no longer installed are soft deleted.
        """
        installed = {e.get_name(): e for e in scoring_factory.get_scoring_engine_list()}
        existing = {se.name: se for se in objects.ScoringEngine.list(self.context)}
        for name, engine in installed.items():
            wanted = {
                "description": engine.get_description(),
                "metainfo": engine.get_metainfo(),
            }
            row = existing.get(name)
            if row is not None and all(row[k] == v for k, v in wanted.items()):
                continue
            if row is not None:
                row.soft_delete()
            objects.ScoringEngine(
                self.context, uuid=uuidutils.generate_uuid(), name=name, **wanted
            ).create()
            LOG.info("Scoring engine %s synced", name)
        for name, row in existing.items():
            if name not in installed:
                row.soft_delete()
                LOG.info("Scoring engine %s removed", name)
