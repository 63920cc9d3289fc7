"""Purge: hard-delete soft-deleted rows (and orphans) from the database, as upstream does.

What goes:

1. soft-deleted goals, strategies, audit templates, audits, action plans and actions (only
   those deleted before ``age_in_days`` days ago when given; only the given soft-deleted
   goal when ``goal`` is given), together with their soft-deleted descendants
   (goal -> strategies, audit templates, audits; strategy -> audit templates, audits;
   audit -> action plans; action plan -> actions);
2. unless ``exclude_orphans``: live rows whose parent is gone or soft-deleted (strategies
   of a deleted goal, audits whose goal or strategy is deleted, action plans of an orphan
   audit or strategy, actions of an orphan action plan).

Action plans take their efficacy indicators with them. Unlike upstream, a row that some row
outside the purge still references is kept, so the purge never breaks a foreign key.

With ``max_number``, exceeding it asks whether to delete up to that number; the subset is
built goal by goal (a goal and everything under it), stopping at the first goal that does
not fit. Every deletion runs in one transaction.
"""

import collections
import datetime
from collections.abc import Callable, Iterable

from oslo_log import log
from oslo_utils import strutils, timeutils, uuidutils
from sqlalchemy import delete

from watcher._i18n import _
from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.db import api as db_api
from watcher.db.sqlalchemy import facade, models

LOG = log.getLogger(__name__)

# Report columns, parents before children (deletion runs the other way round).
KINDS = collections.OrderedDict([
    ("goals", _("Goals")),
    ("strategies", _("Strategies")),
    ("audit_templates", _("Audit Templates")),
    ("audits", _("Audits")),
    ("action_plans", _("Action Plans")),
    ("actions", _("Actions")),
])
_MODELS = {
    "goals": models.Goal,
    "strategies": models.Strategy,
    "audit_templates": models.AuditTemplate,
    "audits": models.Audit,
    "action_plans": models.ActionPlan,
    "actions": models.Action,
}
# (child kind, foreign key, parent kind): every reference between the purged tables.
_REFERENCES = (
    ("strategies", "goal_id", "goals"),
    ("audit_templates", "goal_id", "goals"),
    ("audit_templates", "strategy_id", "strategies"),
    ("audits", "goal_id", "goals"),
    ("audits", "strategy_id", "strategies"),
    ("action_plans", "audit_id", "audits"),
    ("action_plans", "strategy_id", "strategies"),
    ("actions", "action_plan_id", "action_plans"),
)
_CHUNK = 500


class ObjectsMap:
    """Rows per kind, keyed by id, so merging never duplicates a row."""

    def __init__(self):
        self.rows: dict[str, dict[int, object]] = {kind: {} for kind in KINDS}

    def add(self, kind: str, rows: Iterable) -> None:
        for row in rows:
            self.rows[kind].setdefault(row.id, row)

    def merge(self, other: "ObjectsMap") -> None:
        for kind in KINDS:
            self.add(kind, other.rows[kind].values())

    def ids(self, kind: str) -> set[int]:
        return set(self.rows[kind])

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    def count_table(self) -> str:
        headers = [str(title) for title in KINDS.values()] + [str(_("Total"))]
        counts = [str(len(self.rows[kind])) for kind in KINDS] + [str(len(self))]
        widths = [max(len(h), len(c)) for h, c in zip(headers, counts, strict=True)]
        border = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

        def line(cells):
            return "|" + "|".join(f" {c:^{w}} " for c, w in zip(cells, widths, strict=True)) + "|"

        return "\n".join([border, line(headers), border, line(counts), border])


def _ask_yes(ask: Callable[[str], str], question: str) -> bool:
    try:
        answer = ask(question)
    except EOFError:
        return False
    return strutils.bool_from_string(answer)


class PurgeCommand:
    def __init__(self, age_in_days: int | None = None, max_number: int | None = None,
                 goal_uuids: set[str] | None = None, exclude_orphans: bool = False,
                 dry_run: bool = False, ask: Callable[[str], str] = input,
                 out: Callable[[str], None] = print):
        self.age_in_days = age_in_days
        self.max_number = max_number
        self.goal_uuids = goal_uuids
        self.exclude_orphans = exclude_orphans
        self.dry_run = dry_run
        self.ask = ask
        self.out = out
        self.dbapi = db_api.get_instance()
        self.ctx = watcher_context.get_admin_context(show_deleted=True)
        self._all: dict[str, list] = {}

    def _load(self) -> None:
        lister = {
            "goals": self.dbapi.get_goal_list,
            "strategies": self.dbapi.get_strategy_list,
            "audit_templates": self.dbapi.get_audit_template_list,
            "audits": self.dbapi.get_audit_list,
            "action_plans": self.dbapi.get_action_plan_list,
            "actions": self.dbapi.get_action_list,
        }
        self._all = {kind: lister[kind](self.ctx) for kind in KINDS}

    def expiry_date(self) -> datetime.datetime | None:
        if not self.age_in_days:
            return None
        return timeutils.utcnow() - datetime.timedelta(days=self.age_in_days)

    def _find_soft_deleted(self) -> ObjectsMap:
        expiry = self.expiry_date()
        found = ObjectsMap()
        kinds = ["goals"] if self.goal_uuids else list(KINDS)
        for kind in kinds:
            found.add(kind, (
                row for row in self._all[kind]
                if row.deleted and row.deleted_at is not None
                and (expiry is None or row.deleted_at < expiry)
                and (not self.goal_uuids or row.uuid in self.goal_uuids)
            ))
        self._add_deleted_descendants(found)
        return found

    def _add_deleted_descendants(self, found: ObjectsMap) -> None:
        # Parents are visited before children, so one pass reaches every generation.
        descent = (
            ("goals", "goal_id", ("strategies", "audit_templates", "audits")),
            ("strategies", "strategy_id", ("audit_templates", "audits")),
            ("audits", "audit_id", ("action_plans",)),
            ("action_plans", "action_plan_id", ("actions",)),
        )
        for parent_kind, fk, child_kinds in descent:
            parent_ids = found.ids(parent_kind)
            for child_kind in child_kinds:
                found.add(child_kind, (
                    row for row in self._all[child_kind]
                    if row.deleted and getattr(row, fk) in parent_ids
                ))

    def _find_orphans(self) -> ObjectsMap:
        live = {kind: [row for row in rows if not row.deleted]
                for kind, rows in self._all.items()}
        orphans = ObjectsMap()
        goal_ids = {goal.id for goal in live["goals"]}
        orphans.add("strategies", (s for s in live["strategies"] if s.goal_id not in goal_ids))
        strategy_ids = {s.id for s in live["strategies"]} - orphans.ids("strategies")

        def orphaned(row) -> bool:
            return row.goal_id not in goal_ids or (
                row.strategy_id is not None and row.strategy_id not in strategy_ids)

        orphans.add("audit_templates", filter(orphaned, live["audit_templates"]))
        orphans.add("audits", filter(orphaned, live["audits"]))
        audit_ids = {a.id for a in live["audits"]} - orphans.ids("audits")
        orphans.add("action_plans", (
            ap for ap in live["action_plans"]
            if ap.audit_id not in audit_ids or ap.strategy_id not in strategy_ids))
        plan_ids = {ap.id for ap in live["action_plans"]} - orphans.ids("action_plans")
        orphans.add("actions", (
            a for a in live["actions"] if a.action_plan_id not in plan_ids))
        LOG.info("Orphans found:\n%s", orphans.count_table())
        return orphans

    def _keep_referenced(self, selected: ObjectsMap) -> None:
        """Drop selected rows that a row staying in the database still points to."""
        changed = True
        while changed:
            changed = False
            for child_kind, fk, parent_kind in _REFERENCES:
                staying = selected.ids(child_kind)
                needed = {getattr(row, fk) for row in self._all[child_kind]
                          if row.id not in staying}
                blocked = needed & selected.ids(parent_kind)
                for row_id in blocked:
                    LOG.warning("Keeping %s %s: still referenced", parent_kind, row_id)
                    del selected.rows[parent_kind][row_id]
                    changed = True

    def find_objects_to_delete(self) -> ObjectsMap:
        self._load()
        selected = self._find_soft_deleted()
        if not self.exclude_orphans:
            selected.merge(self._find_orphans())
        self._keep_referenced(selected)
        return selected

    def _up_to_limit(self, selected: ObjectsMap) -> ObjectsMap:
        """Whole goals (with everything under them) while they fit in max_number."""
        subset = ObjectsMap()
        for goal in selected.rows["goals"].values():
            group = ObjectsMap()
            group.add("goals", [goal])
            group.add("strategies", (s for s in selected.rows["strategies"].values()
                                     if s.goal_id == goal.id))
            strategy_ids = group.ids("strategies")
            group.add("audit_templates", (
                t for t in selected.rows["audit_templates"].values()
                if t.goal_id == goal.id or t.strategy_id in strategy_ids))
            group.add("audits", (a for a in selected.rows["audits"].values()
                                 if a.goal_id == goal.id))
            audit_ids = group.ids("audits")
            group.add("action_plans", (p for p in selected.rows["action_plans"].values()
                                       if p.audit_id in audit_ids))
            plan_ids = group.ids("action_plans")
            group.add("actions", (a for a in selected.rows["actions"].values()
                                  if a.action_plan_id in plan_ids))
            merged = ObjectsMap()
            merged.merge(subset)
            merged.merge(group)
            if len(merged) > self.max_number:
                break
            subset = merged
        self._keep_referenced(subset)
        return subset

    def do_delete(self, selected: ObjectsMap) -> None:
        LOG.info("Deleting...")
        with facade.writer() as session:
            plan_ids = sorted(selected.ids("action_plans"))
            self._delete_chunks(session, models.EfficacyIndicator.action_plan_id, plan_ids)
            for kind in reversed(KINDS):
                self._delete_chunks(session, _MODELS[kind].id, sorted(selected.ids(kind)))

    @staticmethod
    def _delete_chunks(session, column, ids: list[int]) -> None:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            session.execute(delete(column.class_).where(column.in_(chunk)))

    def execute(self) -> ObjectsMap | None:
        """Run the purge; returns what was (or, on a dry run, would be) deleted."""
        LOG.info("Starting purge command")
        selected = self.find_objects_to_delete()

        if self.max_number is not None and len(selected) > self.max_number:
            self.out(selected.count_table())
            self.out(_("The number of objects (%(num)s) to delete from the database exceeds "
                       "the maximum number of objects (%(max_number)s) specified.")
                     % {"num": len(selected), "max_number": self.max_number})
            if not _ask_yes(self.ask, _("Do you want to delete objects up to the specified "
                                        "maximum number? [y/N]")):
                return None
            selected = self._up_to_limit(selected)

        note = _(" (orphans excluded)") if self.exclude_orphans else _(" (may include orphans)")
        deleted = False
        if not self.dry_run:
            self.out(selected.count_table())
            question = _("There are %(count)d objects set for deletion. Continue? [y/N]") % {
                "count": len(selected)}
            if _ask_yes(self.ask, question):
                self.do_delete(selected)
                deleted = True
        if deleted:
            self.out(_("Purge results summary%s:") % note)
        else:
            self.out(_("Here below is a table containing the objects that can be purged%s:")
                     % note)
        self.out(selected.count_table())
        LOG.info("Purge process completed")
        return selected


def goal_uuids(uuid_or_name: str | None) -> set[str] | None:
    """UUIDs of the soft-deleted goal(s) named by UUID or name; only deleted goals purge.

    Several soft-deleted goals can share a name (each redefinition leaves one behind): a
    name selects them all.
    """
    if uuid_or_name is None:
        return None
    dbapi = db_api.get_instance()
    ctx = watcher_context.get_admin_context(show_deleted=True)
    field = "uuid" if uuidutils.is_uuid_like(uuid_or_name) else "name"
    goals = dbapi.get_goal_list(ctx, filters={field: uuid_or_name})
    if not goals:
        raise exception.GoalNotFound(goal=uuid_or_name)
    deleted = {goal.uuid for goal in goals if goal.deleted_at is not None}
    if not deleted:
        raise exception.NotSoftDeletedStateError(name=_("Goal"), id=uuid_or_name)
    return deleted


def purge(age_in_days: int | None, max_number: int | None, goal: str | None,
          exclude_orphans: bool, dry_run: bool, ask: Callable[[str], str] = input,
          out: Callable[[str], None] = print) -> ObjectsMap | None:
    """Validate the options and run a purge (see the module docstring)."""
    if max_number is not None and max_number < 0:
        raise exception.NegativeLimitError()
    LOG.info("[options] age_in_days = %s, max_number = %s, goal = %s, exclude_orphans = %s, "
             "dry_run = %s", age_in_days, max_number, goal, exclude_orphans, dry_run)
    command = PurgeCommand(age_in_days, max_number, goal_uuids(goal), exclude_orphans,
                           dry_run, ask=ask, out=out)
    return command.execute()
