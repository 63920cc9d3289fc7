"""Action: one step of an action plan (migrate, resize, change power state...)."""

from collections.abc import Collection

from oslo_utils import timeutils

from watcher.objects import base, states
from watcher.objects import fields as wfields

State = states.ActionState


@base.WatcherObjectRegistry.register
class Action(
    base.WatcherPersistentObject,
    base.UUIDObjectMixin,
    base.WatcherObject,
    base.WatcherObjectDictCompat,
):
    # Version 1.0: Initial version
    # Version 1.1: Added 'action_plan' object field
    # Version 2.0: Removed 'next' object field, Added 'parents' object field
    # Version 2.1: Added 'status_message' field (API microversion 1.5)
    VERSION = "2.1"

    _db_name = "action"
    _machine = states.ACTION
    _deletable = states.ACTION_DELETABLE
    _tracked = True

    fields = {
        "id": wfields.IntegerField(),
        "uuid": wfields.UUIDField(),
        "action_plan_id": wfields.IntegerField(),
        "action_type": wfields.StringField(nullable=True),
        "input_parameters": wfields.DictField(nullable=True),
        "state": wfields.StringField(nullable=True),
        "parents": wfields.ListOfStringsField(nullable=True),
        "status_message": wfields.StringField(nullable=True),
        "action_plan": wfields.ObjectField("ActionPlan", nullable=True),
    }

    FIELDS_ADDED = {"status_message": "2.1"}

    object_fields = {"action_plan": ("ActionPlan", "action_plan_id")}

    obj_relationships = {"action_plan": [("1.1", "1.1"), ("2.1", "2.3")]}

    def change_state(self, state: str, status_message: str | None = None) -> bool:
        """Move from the state this object holds to ``state`` in one conditional UPDATE.

        For the applier, which changes the state of thousands of actions: ``save()`` reads
        and locks the row first, this does not. Returns False, writing nothing, when the row
        is no longer in the state this object holds (another writer got there first);
        an illegal change raises InvalidStateTransition.
        """
        old_state = self.state
        self._machine.check(old_state, state)
        values = {"state": state, "updated_at": timeutils.utcnow()}
        if status_message is not None:
            values["status_message"] = status_message
        if not self.dbapi.update_action_if_state(self.uuid, old_state, values):
            return False
        for name, value in values.items():
            self[name] = value
        self.obj_reset_changes(list(values))
        self._changed(wfields.NotificationAction.UPDATE, old_state)
        return True

    @classmethod
    def change_states_of_plan(cls, context, plan, old_states: Collection[str], state: str,
                              status_message: str | None = None) -> list["Action"]:
        """``change_state`` for every action of ``plan`` that is in one of ``old_states``
        (say a cancelled plan's unstarted ones), in one bulk conditional write whatever
        their number; an action another writer moved on keeps its new state.

        The moved actions carry ``plan``, which their notifications describe; listeners
        hear of them after the write, one batch per old state. Returns them.
        """
        for old_state in old_states:
            cls._machine.check(old_state, state)
        values = {"state": state, "updated_at": timeutils.utcnow()}
        if status_message is not None:
            values["status_message"] = status_message
        moved: dict[str, list[Action]] = {}
        for row in cls.dbapi.update_plan_actions_if_state(plan.id, old_states, values):
            action = cls._from_db_object(cls(context), row)
            moved.setdefault(row.state, []).append(action)
            for name, value in values.items():
                action[name] = value
            action.action_plan = plan
            action.obj_reset_changes()
        for old_state, actions in moved.items():
            base._announce_batch(
                context, base.LazyObjects(actions, lambda action: action, old_state),
                wfields.NotificationAction.UPDATE)
        return [action for actions in moved.values() for action in actions]
