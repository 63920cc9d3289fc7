"""``/v1/actions``: list and show actions; from 1.5 a PENDING action may be skipped."""

from __future__ import annotations

from http import HTTPStatus

import pecan
import wsme
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from watcher import objects
from watcher._i18n import _
from watcher.api.controllers import base, link
from watcher.api.controllers.v1 import collection, types
from watcher.api.controllers.v1 import utils as api_utils
from watcher.common import exception, policy
from watcher.objects import states

LIST_FIELDS = ["uuid", "state", "action_plan_uuid", "action_type", "parents"]
ADDITIONAL_SORT_KEYS = ("action_plan_uuid",)
SKIPPABLE_PLAN_STATES = (states.ActionPlanState.RECOMMENDED, states.ActionPlanState.PENDING)
SKIPPED_MESSAGE = "Action skipped by user."


class ActionPatchType(types.JsonPatchType):
    @staticmethod
    def validate(patch):
        if patch.path not in ("/state", "/status_message"):
            raise exception.PatchError(
                patch={"path": patch.path, "op": patch.op, "value": patch.value},
                reason=_("%s can't be updated.") % patch.path,
            )
        return types.JsonPatchType.validate(patch)


class Action(base.APIBase):
    uuid = types.uuid
    action_plan_uuid = wtypes.text
    state = wtypes.text
    action_type = wtypes.text
    description = wtypes.text
    input_parameters = types.jsontype
    parents = wtypes.wsattr(types.jsontype, readonly=True)
    status_message = wtypes.wsattr(wtypes.text, mandatory=False)
    links = wtypes.wsattr([link.Link], readonly=True)

    @classmethod
    def convert_with_links(cls, action, expand: bool = True, descriptions=None) -> Action:
        values = action.as_dict()
        plan = action.action_plan
        values["action_plan_uuid"] = plan.uuid if plan else None
        values["parents"] = action.parents or []
        if descriptions is None:
            descriptions = _descriptions(pecan.request.context)
        values["description"] = descriptions.get(action.action_type, "")
        item = cls.from_values(values)
        if not api_utils.allow_status_message():
            item.status_message = wtypes.Unset
        if not expand:
            item.unset_fields_except(LIST_FIELDS)
        item.links = link.self_and_bookmark("actions", item.uuid)
        return item


def _descriptions(context) -> dict[str, str]:
    return {d.action_type: d.description for d in objects.ActionDescription.list(context)}


class ActionCollection(collection.Collection):
    actions = [Action]
    _type = "actions"

    @classmethod
    def convert_with_links(cls, actions, limit, url=None, expand=False, **kwargs):
        page = cls()
        descriptions = _descriptions(pecan.request.context) if expand else {}
        page.actions = [
            Action.convert_with_links(action, expand, descriptions) for action in actions
        ]
        page.next = page.get_next(limit, url=url, **kwargs)
        return page


class ActionsController(rest.RestController):
    _custom_actions = {"detail": ["GET"]}

    def _collection(self, marker, limit, sort_key, sort_dir, expand=False, resource_url=None,
                    action_plan_uuid=None, audit_uuid=None):
        if action_plan_uuid and audit_uuid:
            raise exception.ActionFilterCombinationProhibited()
        filters = api_utils.as_filters_dict(action_plan_uuid=action_plan_uuid,
                                            audit_uuid=audit_uuid)
        actions, limit, need_api_sort = collection.fetch_page(
            objects.Action, marker, limit, sort_key, sort_dir, filters=filters,
            additional_fields=ADDITIONAL_SORT_KEYS, eager=True,
        )
        page = ActionCollection.convert_with_links(
            actions, limit, url=resource_url, expand=expand, **filters,
            sort_key=sort_key, sort_dir=sort_dir,
        )
        if need_api_sort:
            api_utils.make_api_sort(page.actions, sort_key, sort_dir)
        return page

    @wsme_pecan.wsexpose(ActionCollection, types.uuid, int, wtypes.text, wtypes.text,
                         types.uuid, types.uuid)
    def get_all(self, marker=None, limit=None, sort_key="id", sort_dir="asc",
                action_plan_uuid=None, audit_uuid=None):
        policy.enforce(pecan.request.context, "action:get_all")
        return self._collection(marker, limit, sort_key, sort_dir,
                                action_plan_uuid=action_plan_uuid, audit_uuid=audit_uuid)

    @wsme_pecan.wsexpose(ActionCollection, types.uuid, int, wtypes.text, wtypes.text,
                         types.uuid, types.uuid)
    def detail(self, marker=None, limit=None, sort_key="id", sort_dir="asc",
               action_plan_uuid=None, audit_uuid=None):
        policy.enforce(pecan.request.context, "action:detail")
        if pecan.request.path.split("/")[:-1][-1] != "actions":
            raise exception.HTTPNotFound
        return self._collection(marker, limit, sort_key, sort_dir, True, "actions/detail",
                                action_plan_uuid=action_plan_uuid, audit_uuid=audit_uuid)

    @wsme_pecan.wsexpose(Action, types.uuid)
    def get_one(self, action_uuid):
        # Looked up before the policy check, as upstream: an unknown one is a 404 for anyone.
        action = objects.Action.get_by_uuid(pecan.request.context, action_uuid, eager=True)
        policy.enforce(pecan.request.context, "action:get")
        return Action.convert_with_links(action)

    # Actions come from the planner only. Upstream routes POST and DELETE and refuses them
    # with 403 and these messages (not 405), which clients show to the user.
    @wsme_pecan.wsexpose(None, body=types.jsontype, status_code=HTTPStatus.CREATED)
    def post(self, action=None):
        raise exception.OperationNotPermitted(_("Cannot create an action directly"))

    @wsme_pecan.wsexpose(None, types.uuid, status_code=HTTPStatus.NO_CONTENT)
    def delete(self, action_uuid):
        raise exception.OperationNotPermitted(_("Cannot delete an action directly"))

    @wsme.validate(types.uuid, [ActionPatchType])
    @wsme_pecan.wsexpose(Action, types.uuid, body=[ActionPatchType])
    def patch(self, action_uuid, patch):
        if not api_utils.allow_skip_action():
            raise exception.Invalid(_("API microversion 1.5 or higher is required."))
        context = pecan.request.context
        action = objects.Action.get_by_uuid(context, action_uuid, eager=True)
        policy.enforce(context, "action:update")
        operations = api_utils.patch_operations(patch, ActionPatchType)
        try:
            patched = api_utils.apply_jsonpatch(
                {"state": action.state, "status_message": None}, operations
            )
        except api_utils.JSONPATCH_EXCEPTIONS as err:
            raise exception.PatchError(patch=operations, reason=err) from err
        new_state, reason = patched["state"], patched["status_message"]
        if new_state != action.state:
            if new_state != states.ActionState.SKIPPED or not states.ACTION_API.allowed(
                action.state, new_state
            ):
                raise exception.InvalidStateTransition(
                    object="action", current_state=action.state, new_state=new_state
                )
            plan_state = action.action_plan.state
            if plan_state not in SKIPPABLE_PLAN_STATES:
                raise exception.Conflict(
                    _("Action %(action)s can only be skipped while its action plan is "
                      "RECOMMENDED or PENDING, not %(state)s")
                    % {"action": action.uuid, "state": plan_state}
                )
        elif action.state != states.ActionState.SKIPPED:
            raise exception.Conflict(
                _("The status_message of action %(action)s can only be changed once it is "
                  "SKIPPED; it is %(state)s") % {"action": action.uuid, "state": action.state}
            )
        action.state = new_state
        action.status_message = (
            f"{SKIPPED_MESSAGE} Reason: {reason}" if reason else SKIPPED_MESSAGE
        )
        action.save()
        return Action.convert_with_links(action)
