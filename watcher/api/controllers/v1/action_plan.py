"""``/v1/action_plans``: list, show, start, cancel (PATCH state) and delete action plans."""

from __future__ import annotations

from http import HTTPStatus

import pecan
import wsme
from oslo_utils import uuidutils
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from watcher import objects
from watcher._i18n import _
from watcher.api.controllers import base, link
from watcher.api.controllers.v1 import collection, types
from watcher.api.controllers.v1 import efficacy_indicator as indicator_api
from watcher.api.controllers.v1 import utils as api_utils
from watcher.applier import rpcapi as applier_rpcapi
from watcher.common import exception, policy
from watcher.objects import states

LIST_FIELDS = ["uuid", "state", "efficacy_indicators", "global_efficacy", "updated_at",
               "audit_uuid", "strategy_uuid", "strategy_name"]
ADDITIONAL_SORT_KEYS = ("audit_uuid", "strategy_uuid", "strategy_name")
PLAN = states.ActionPlanState


class ActionPlanPatchType(types.JsonPatchType):
    @staticmethod
    def validate(patch):
        if patch.path == "/status_message":
            raise exception.PatchError(
                patch={"path": patch.path, "op": patch.op, "value": patch.value},
                reason=_("%s can't be updated.") % patch.path,
            )
        if patch.path == "/state" and patch.value not in states.ACTION_PLAN.states:
            raise exception.PatchError(
                patch={"path": patch.path, "op": patch.op, "value": patch.value},
                reason=_("Invalid state: %(state)s") % {"state": patch.value},
            )
        return types.JsonPatchType.validate(patch)


def _indicators_by_plan(plans) -> dict[int, list]:
    """The efficacy indicators of ``plans`` in one query, grouped by plan id."""
    grouped: dict[int, list] = {}
    if not plans:
        return grouped
    indicators = objects.EfficacyIndicator.list(
        pecan.request.context, filters={"action_plan_id__in": [plan.id for plan in plans]}
    )
    for indicator in indicators:
        grouped.setdefault(indicator.action_plan_id, []).append(indicator)
    return grouped


class ActionPlan(base.APIBase):
    uuid = types.uuid
    audit_uuid = wtypes.text
    strategy_uuid = wtypes.text
    strategy_name = wtypes.text
    efficacy_indicators = wtypes.wsattr([indicator_api.EfficacyIndicator], mandatory=False)
    global_efficacy = wtypes.wsattr(types.jsontype, readonly=True)
    state = wtypes.text
    hostname = wtypes.wsattr(wtypes.text, mandatory=False)
    status_message = wtypes.wsattr(wtypes.text, mandatory=False)
    links = wtypes.wsattr([link.Link], readonly=True)

    @classmethod
    def convert_with_links(cls, plan, expand: bool = True, indicators=None) -> ActionPlan:
        values = plan.as_dict()
        audit, strategy = plan.audit, plan.strategy
        values["audit_uuid"] = audit.uuid if audit else None
        values["strategy_uuid"] = strategy.uuid if strategy else None
        values["strategy_name"] = strategy.name if strategy else None
        values["global_efficacy"] = plan.global_efficacy or []
        if indicators is None:
            indicators = _indicators_by_plan([plan]).get(plan.id, [])
        values["efficacy_indicators"] = [
            indicator_api.EfficacyIndicator.from_object(indicator) for indicator in indicators
        ]
        item = cls.from_values(values)
        if not api_utils.allow_status_message():
            item.status_message = wtypes.Unset
        if not expand:
            item.unset_fields_except(LIST_FIELDS)
        item.links = link.self_and_bookmark("action_plans", item.uuid)
        return item


class ActionPlanCollection(collection.Collection):
    action_plans = [ActionPlan]
    _type = "action_plans"

    @classmethod
    def convert_with_links(cls, plans, limit, url=None, expand=False, **kwargs):
        page = cls()
        indicators = _indicators_by_plan(plans)
        page.action_plans = [
            ActionPlan.convert_with_links(plan, expand, indicators.get(plan.id, []))
            for plan in plans
        ]
        page.next = page.get_next(limit, url=url, **kwargs)
        return page


def _filters(audit_uuid: str | None, strategy: str | None) -> dict:
    filters = {}
    if audit_uuid:
        filters["audit_uuid"] = audit_uuid
    if strategy:
        key = "strategy_uuid" if uuidutils.is_uuid_like(strategy) else "strategy_name"
        filters[key] = strategy
    return filters


def _cancel_actions(context, plan) -> None:
    """A plan cancelled before it ran takes its pending actions with it."""
    for action in objects.Action.list(context, filters={"action_plan_id": plan.id}):
        if action.state != states.ActionState.CANCELLED and states.ACTION.allowed(
            action.state, states.ActionState.CANCELLED
        ):
            action.state = states.ActionState.CANCELLED
            action.save()


class ActionPlansController(rest.RestController):
    _custom_actions = {"detail": ["GET"], "start": ["POST"]}

    def __init__(self):
        super().__init__()
        self.applier_client = applier_rpcapi.ApplierAPI()

    def _collection(self, marker, limit, sort_key, sort_dir, expand=False, resource_url=None,
                    audit_uuid=None, strategy=None):
        plans, limit, need_api_sort = collection.fetch_page(
            objects.ActionPlan, marker, limit, sort_key, sort_dir,
            filters=_filters(audit_uuid, strategy),
            additional_fields=ADDITIONAL_SORT_KEYS, eager=True,
        )
        page = ActionPlanCollection.convert_with_links(
            plans, limit, url=resource_url, expand=expand,
            **api_utils.as_filters_dict(audit_uuid=audit_uuid, strategy=strategy),
            sort_key=sort_key, sort_dir=sort_dir,
        )
        if need_api_sort:
            api_utils.make_api_sort(page.action_plans, sort_key, sort_dir)
        return page

    @wsme_pecan.wsexpose(ActionPlanCollection, types.uuid, int, wtypes.text, wtypes.text,
                         types.uuid, wtypes.text)
    def get_all(self, marker=None, limit=None, sort_key="id", sort_dir="asc", audit_uuid=None,
                strategy=None):
        policy.enforce(pecan.request.context, "action_plan:get_all")
        return self._collection(marker, limit, sort_key, sort_dir, audit_uuid=audit_uuid,
                                strategy=strategy)

    @wsme_pecan.wsexpose(ActionPlanCollection, types.uuid, int, wtypes.text, wtypes.text,
                         types.uuid, wtypes.text)
    def detail(self, marker=None, limit=None, sort_key="id", sort_dir="asc", audit_uuid=None,
               strategy=None):
        policy.enforce(pecan.request.context, "action_plan:detail")
        if pecan.request.path.split("/")[:-1][-1] != "action_plans":
            raise exception.HTTPNotFound
        return self._collection(marker, limit, sort_key, sort_dir, True, "action_plans/detail",
                                audit_uuid=audit_uuid, strategy=strategy)

    @wsme_pecan.wsexpose(ActionPlan, types.uuid)
    def get_one(self, action_plan_uuid):
        # Looked up before the policy check, as upstream: an unknown one is a 404 for anyone.
        plan = objects.ActionPlan.get_by_uuid(pecan.request.context, action_plan_uuid, eager=True)
        policy.enforce(pecan.request.context, "action_plan:get")
        return ActionPlan.convert_with_links(plan)

    @wsme_pecan.wsexpose(None, types.uuid, status_code=HTTPStatus.NO_CONTENT)
    def delete(self, action_plan_uuid):
        context = pecan.request.context
        plan = objects.ActionPlan.get_by_uuid(context, action_plan_uuid)
        policy.enforce(context, "action_plan:delete")
        if plan.state not in states.ACTION_PLAN_DELETABLE:
            raise exception.DeleteError(state=plan.state)
        plan.soft_delete()

    @wsme.validate(types.uuid, [ActionPlanPatchType])
    @wsme_pecan.wsexpose(ActionPlan, types.uuid, body=[ActionPlanPatchType])
    def patch(self, action_plan_uuid, patch):
        context = pecan.request.context
        plan = objects.ActionPlan.get_by_uuid(context, action_plan_uuid, eager=True)
        policy.enforce(context, "action_plan:update")
        operations = api_utils.patch_operations(patch, ActionPlanPatchType)
        for operation in operations:
            if operation["path"] != "/state":
                raise exception.PatchError(
                    patch=operation, reason=_("%s can't be updated.") % operation["path"]
                )
        try:
            patched = api_utils.apply_jsonpatch({"state": plan.state}, operations)
        except api_utils.JSONPATCH_EXCEPTIONS as err:
            raise exception.PatchError(patch=operations, reason=err) from err
        new_state = patched["state"]
        # Upstream checks every PATCH against its list of allowed moves, in which no state
        # leads to itself: re-setting the current state is refused as well.
        if new_state == plan.state or not states.ACTION_PLAN_API.allowed(plan.state, new_state):
            raise exception.PatchError(
                patch=operations,
                reason=_("State transition not allowed: (%(initial_state)s -> %(new_state)s)")
                % {"initial_state": plan.state, "new_state": new_state},
            )
        plan.state = new_state
        plan.save()
        if new_state == PLAN.CANCELLED:
            _cancel_actions(context, plan)
        elif new_state == PLAN.PENDING:
            self.applier_client.launch_action_plan(context, plan.uuid)
        return ActionPlan.convert_with_links(plan)

    @wsme_pecan.wsexpose(ActionPlan, types.uuid)
    def start(self, action_plan_uuid):
        context = pecan.request.context
        plan = objects.ActionPlan.get_by_uuid(context, action_plan_uuid, eager=True)
        policy.enforce(context, "action_plan:start")
        if plan.state != PLAN.RECOMMENDED:
            raise exception.StartError(state=plan.state)
        plan.state = PLAN.PENDING
        plan.save()
        self.applier_client.launch_action_plan(context, plan.uuid)
        return ActionPlan.convert_with_links(plan)
