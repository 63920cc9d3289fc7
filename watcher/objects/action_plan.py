"""Action plan: the actions a strategy proposes for one audit, and their efficacy."""

from collections.abc import Mapping

from oslo_utils import uuidutils

from watcher.objects import action, base, efficacy_indicator, states
from watcher.objects import fields as wfields

State = states.ActionPlanState


@base.WatcherObjectRegistry.register
class ActionPlan(
    base.WatcherPersistentObject,
    base.UUIDObjectMixin,
    base.WatcherObject,
    base.WatcherObjectDictCompat,
):
    # Version 1.0: Initial version
    # Version 1.1: Added 'audit' and 'strategy' object field
    # Version 1.2: audit_id is not nullable anymore
    # Version 2.0: Removed 'first_action_id' object field
    # Version 2.1: Changed global_efficacy type
    # Version 2.2: Added 'hostname' field
    # Version 2.3: Added 'status_message' field (API microversion 1.5)
    VERSION = "2.3"

    _db_name = "action_plan"
    _machine = states.ACTION_PLAN
    _deletable = states.ACTION_PLAN_DELETABLE
    _tracked = True

    fields = {
        "id": wfields.IntegerField(),
        "uuid": wfields.UUIDField(),
        "audit_id": wfields.IntegerField(),
        "strategy_id": wfields.IntegerField(),
        "state": wfields.StringField(nullable=True),
        "global_efficacy": wfields.FlexibleListOfDictField(nullable=True),
        "hostname": wfields.StringField(nullable=True),
        "status_message": wfields.StringField(nullable=True),
        "audit": wfields.ObjectField("Audit", nullable=True),
        "strategy": wfields.ObjectField("Strategy", nullable=True),
    }

    FIELDS_ADDED = {"hostname": "2.2", "status_message": "2.3"}

    object_fields = {
        "audit": ("Audit", "audit_id"),
        "strategy": ("Strategy", "strategy_id"),
    }

    obj_relationships = {
        "audit": [("1.1", "1.1"), ("2.3", "1.8")],
        "strategy": [("1.1", "1.1")],
    }

    def create_with_actions(
        self, actions: list[Mapping], indicators: list[Mapping]
    ) -> "base.LazyObjects":
        """Insert this plan with its actions and efficacy indicators, all or nothing.

        ``actions`` and ``indicators`` are column values (``parents`` as action UUIDs),
        without ``action_plan_id``. The plan is visible in its state (RECOMMENDED) only
        once every row is in. Listeners hear of the plan, then of all its actions in one
        batch, after the commit. Returns the new actions, built
        only when someone looks at them: thousands of objects cost more than their rows.
        """
        if not self.obj_attr_is_set("uuid"):
            self.uuid = uuidutils.generate_uuid()
        row, action_rows, _ = self.dbapi.create_action_plan_with_actions(
            self._pending_updates(), actions, indicators
        )
        self._from_db_object(self, row)
        created = base.LazyObjects(action_rows, lambda row: _new_action(self._context, row))
        self._changed(wfields.NotificationAction.CREATE, None)
        base._announce_batch(self._context, created, wfields.NotificationAction.CREATE)
        return created

    def _dependents(self) -> list:
        plan_filter = {"action_plan_id": self.id}
        return [
            *action.Action.list(self._context, filters=plan_filter),
            *efficacy_indicator.EfficacyIndicator.list(self._context, filters=plan_filter),
        ]

    def _cascade_soft_delete(self) -> None:
        # Actions and efficacy indicators mean nothing without their plan.
        for dependent in self._dependents():
            dependent.soft_delete()

    def _cascade_destroy(self) -> None:
        for dependent in self._dependents():
            dependent.destroy()


def _new_action(context, values: Mapping) -> action.Action:
    fields = action.Action.fields
    new = action.Action(
        context,
        **{
            name: value
            for name, value in values.items()
            if name in fields and name not in action.Action.object_fields
        },
    )
    new.obj_reset_changes()
    return new
