"""``/v1/audit_templates``: saved goal + strategy + scope (+ default parameters from 1.7)."""

from __future__ import annotations

import copy
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
from watcher.api.controllers.v1 import collection, lookup, types, validation
from watcher.api.controllers.v1 import utils as api_utils
from watcher.common import exception, policy

# As upstream's short form (audittemplate-list-response.json): the scope is listed too.
LIST_FIELDS = ["uuid", "name", "goal_uuid", "goal_name", "scope", "strategy_uuid",
               "strategy_name"]
ADDITIONAL_SORT_KEYS = ("goal_uuid", "goal_name", "strategy_uuid", "strategy_name")
PATCHABLE = ("name", "description", "goal", "strategy", "scope", "default_parameters")


class AuditTemplatePostType(wtypes.Base):
    name = wtypes.wsattr(wtypes.text, mandatory=True)
    description = wtypes.wsattr(wtypes.text, mandatory=False)
    goal = wtypes.wsattr(wtypes.text, mandatory=True)
    strategy = wtypes.wsattr(wtypes.text, mandatory=False)
    scope = wtypes.wsattr(types.jsontype, mandatory=False, default=[])
    default_parameters = wtypes.wsattr({wtypes.text: types.jsontype}, mandatory=False)


class AuditTemplatePatchType(types.JsonPatchType):
    @staticmethod
    def mandatory_attrs() -> list[str]:
        return ["/goal", "/name"]

    @staticmethod
    def validate(patch):
        # Upstream answers the removal of the goal with 403 and this message.
        if patch.path == "/goal" and patch.op == "remove":
            raise exception.OperationNotPermitted(
                _("Cannot remove 'goal' attribute from an audit template")
            )
        return types.JsonPatchType.validate(patch)


class AuditTemplate(base.APIBase):
    uuid = types.uuid
    name = wtypes.text
    description = wtypes.text
    goal_uuid = wtypes.text
    goal_name = wtypes.text
    strategy_uuid = wtypes.text
    strategy_name = wtypes.text
    scope = wtypes.wsattr(types.jsontype, mandatory=False)
    default_parameters = wtypes.wsattr({wtypes.text: types.jsontype}, mandatory=False)
    links = wtypes.wsattr([link.Link], readonly=True)

    @classmethod
    def convert_with_links(cls, template, expand: bool = True) -> AuditTemplate:
        values = template.as_dict()
        goal, strategy = template.goal, template.strategy
        values["goal_uuid"] = goal.uuid if goal else None
        values["goal_name"] = goal.name if goal else None
        values["strategy_uuid"] = strategy.uuid if strategy else None
        values["strategy_name"] = strategy.name if strategy else None
        item = cls.from_values(values)
        if not api_utils.allow_template_default_parameters():
            item.default_parameters = wtypes.Unset
        if not expand:
            item.unset_fields_except(LIST_FIELDS)
        item.links = link.self_and_bookmark("audit_templates", item.uuid)
        return item


class AuditTemplateCollection(collection.Collection):
    audit_templates = [AuditTemplate]
    _type = "audit_templates"

    @classmethod
    def convert_with_links(cls, templates, limit, url=None, expand=False, **kwargs):
        page = cls()
        page.audit_templates = [AuditTemplate.convert_with_links(t, expand) for t in templates]
        page.next = page.get_next(limit, url=url, **kwargs)
        return page


def goal_strategy_filters(goal: str | None, strategy: str | None) -> dict:
    filters = {}
    if goal:
        filters["goal_uuid" if uuidutils.is_uuid_like(goal) else "goal_name"] = goal
    if strategy:
        key = "strategy_uuid" if uuidutils.is_uuid_like(strategy) else "strategy_name"
        filters[key] = strategy
    return filters


def check_default_parameters(strategy, parameters: dict | None) -> None:
    """Default parameters need a strategy and must fit its parameters_spec."""
    if not parameters:
        return
    if strategy is None:
        raise exception.Invalid(_("default_parameters require a strategy"))
    # Validated on a copy: the template keeps only what the user set, the strategy's own
    # defaults are filled in when an audit is created.
    validation.validate_parameters(strategy.parameters_spec, copy.deepcopy(parameters))


def _resolve(context, goal_ident, strategy_ident):
    goal = lookup.find_goal(context, goal_ident)
    strategy = None
    if strategy_ident:
        strategy = lookup.find_strategy(context, strategy_ident)
        lookup.check_strategy_of_goal(context, strategy, goal)
    return goal, strategy


class AuditTemplatesController(rest.RestController):
    _custom_actions = {"detail": ["GET"]}

    def _collection(self, marker, limit, sort_key, sort_dir, expand=False, resource_url=None,
                    goal=None, strategy=None):
        templates, limit, need_api_sort = collection.fetch_page(
            objects.AuditTemplate, marker, limit, sort_key, sort_dir,
            filters=goal_strategy_filters(goal, strategy),
            additional_fields=ADDITIONAL_SORT_KEYS, eager=True,
        )
        page = AuditTemplateCollection.convert_with_links(
            templates, limit, url=resource_url, expand=expand,
            **api_utils.as_filters_dict(goal=goal, strategy=strategy),
            sort_key=sort_key, sort_dir=sort_dir,
        )
        if need_api_sort:
            api_utils.make_api_sort(page.audit_templates, sort_key, sort_dir)
        return page

    @wsme_pecan.wsexpose(AuditTemplateCollection, wtypes.text, wtypes.text, types.uuid, int,
                         wtypes.text, wtypes.text)
    def get_all(self, goal=None, strategy=None, marker=None, limit=None, sort_key="id",
                sort_dir="asc"):
        policy.enforce(pecan.request.context, "audit_template:get_all")
        return self._collection(marker, limit, sort_key, sort_dir, goal=goal, strategy=strategy)

    @wsme_pecan.wsexpose(AuditTemplateCollection, wtypes.text, wtypes.text, types.uuid, int,
                         wtypes.text, wtypes.text)
    def detail(self, goal=None, strategy=None, marker=None, limit=None, sort_key="id",
               sort_dir="asc"):
        policy.enforce(pecan.request.context, "audit_template:detail")
        if pecan.request.path.split("/")[:-1][-1] != "audit_templates":
            raise exception.HTTPNotFound
        return self._collection(marker, limit, sort_key, sort_dir, True,
                                "audit_templates/detail", goal=goal, strategy=strategy)

    @wsme_pecan.wsexpose(AuditTemplate, wtypes.text)
    def get_one(self, audit_template):
        # Looked up before the policy check, as upstream: an unknown one is a 404 for anyone.
        template = api_utils.get_resource("AuditTemplate", audit_template, eager=True)
        policy.enforce(pecan.request.context, "audit_template:get")
        return AuditTemplate.convert_with_links(template)

    @wsme_pecan.wsexpose(AuditTemplate, body=AuditTemplatePostType,
                         status_code=HTTPStatus.CREATED)
    def post(self, audit_template_postdata):
        # Named as upstream: WSME quotes the name in "Unknown attribute for argument ...".
        body = audit_template_postdata
        context = pecan.request.context
        policy.enforce(context, "audit_template:create")
        default_parameters = body.default_parameters or None
        if body.default_parameters not in (wtypes.Unset, None):
            if not api_utils.allow_template_default_parameters():
                raise exception.NotAcceptable()
        goal, strategy = _resolve(context, body.goal, body.strategy)
        scope = validation.normalize_scope(body.scope)
        check_default_parameters(strategy, default_parameters)
        template = objects.AuditTemplate(
            context,
            name=body.name,
            description=body.description or None,
            goal_id=goal.id,
            strategy_id=strategy.id if strategy else None,
            scope=scope,
            default_parameters=default_parameters,
        )
        template.create()
        pecan.response.location = link.build_url("audit_templates", template.uuid)
        return AuditTemplate.convert_with_links(template)

    @wsme.validate(wtypes.text, [AuditTemplatePatchType])
    @wsme_pecan.wsexpose(AuditTemplate, wtypes.text, body=[AuditTemplatePatchType])
    def patch(self, audit_template, patch):
        context = pecan.request.context
        template = api_utils.get_resource("AuditTemplate", audit_template, eager=True)
        policy.enforce(context, "audit_template:update")
        operations = api_utils.patch_operations(patch, AuditTemplatePatchType)
        touches_defaults = api_utils.patch_touches(operations, "default_parameters")
        if touches_defaults and not api_utils.allow_template_default_parameters():
            raise exception.NotAcceptable()
        document = {
            "name": template.name,
            "description": template.description,
            "goal": template.goal.uuid,
            "strategy": template.strategy.uuid if template.strategy else None,
            "scope": template.scope or [],
            "default_parameters": template.default_parameters or {},
        }
        for operation in operations:
            if operation["path"].split("/")[1] not in PATCHABLE:
                raise exception.PatchError(
                    patch=operation, reason=_("%s can't be updated.") % operation["path"]
                )
        try:
            patched = api_utils.apply_jsonpatch(document, operations)
        except api_utils.JSONPATCH_EXCEPTIONS as err:
            raise exception.PatchError(patch=operations, reason=err) from err
        goal, strategy = _resolve(context, patched.get("goal"), patched.get("strategy"))
        changes_target = goal.id != template.goal_id or (
            (strategy.id if strategy else None) != template.strategy_id
        )
        if changes_target and template.default_parameters and not touches_defaults:
            raise exception.AuditTemplateDefaultParametersConflict(
                audit_template=template.uuid
            )
        check_default_parameters(strategy, patched.get("default_parameters"))
        template.name = patched["name"]
        template.description = patched.get("description")
        template.goal_id = goal.id
        template.strategy_id = strategy.id if strategy else None
        template.scope = validation.normalize_scope(patched.get("scope"))
        template.default_parameters = patched.get("default_parameters") or None
        template.save()
        template.refresh(eager=True)
        return AuditTemplate.convert_with_links(template)

    @wsme_pecan.wsexpose(None, wtypes.text, status_code=HTTPStatus.NO_CONTENT)
    def delete(self, audit_template):
        context = pecan.request.context
        template = api_utils.get_resource("AuditTemplate", audit_template)
        policy.enforce(context, "audit_template:delete")
        template.soft_delete()
