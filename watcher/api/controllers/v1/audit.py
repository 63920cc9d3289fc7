"""``/v1/audits``: create, list, show, update (cancel/suspend/resume) and delete audits."""

from __future__ import annotations

import datetime
from http import HTTPStatus

import pecan
import wsme
from oslo_log import log
from oslo_utils import strutils, timeutils
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from watcher import objects
from watcher._i18n import _
from watcher.api.controllers import base, link
from watcher.api.controllers.v1 import (
    audit_template as template_api,
)
from watcher.api.controllers.v1 import collection, lookup, types, validation
from watcher.api.controllers.v1 import utils as api_utils
from watcher.common import exception, policy
from watcher.decision_engine import rpcapi
from watcher.objects import audit as audit_objects
from watcher.objects import states

LOG = log.getLogger(__name__)

LIST_FIELDS = ["uuid", "name", "audit_type", "state", "goal_uuid", "interval", "scope",
               "strategy_uuid", "goal_name", "strategy_name", "auto_trigger", "next_run_time"]
ADDITIONAL_SORT_KEYS = ("goal_uuid", "goal_name", "strategy_uuid", "strategy_name")
AUDIT_TYPES = [item.value for item in audit_objects.AuditType]
ONESHOT = audit_objects.AuditType.ONESHOT.value
CONTINUOUS = audit_objects.AuditType.CONTINUOUS.value
NAME_MAX_LENGTH = 63
PATCHABLE = ("name", "state", "interval", "parameters", "auto_trigger", "scope",
             "start_time", "end_time")


def to_naive_utc(value: datetime.datetime | None) -> datetime.datetime | None:
    """Stored times are naive UTC; a time without an offset is taken as UTC already."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


def _given(value) -> bool:
    return value not in (wtypes.Unset, None)


class AuditPostType(wtypes.Base):
    name = wtypes.wsattr(wtypes.text, mandatory=False)
    audit_template_uuid = wtypes.wsattr(wtypes.text, mandatory=False)
    goal = wtypes.wsattr(wtypes.text, mandatory=False)
    strategy = wtypes.wsattr(wtypes.text, mandatory=False)
    audit_type = wtypes.wsattr(wtypes.text, mandatory=True)
    state = wtypes.wsattr(wtypes.text, readonly=True, default=states.AuditState.PENDING)
    parameters = wtypes.wsattr({wtypes.text: types.jsontype}, mandatory=False, default={})
    interval = wtypes.wsattr(types.interval_or_cron, mandatory=False)
    scope = wtypes.wsattr(types.jsontype, readonly=True)
    auto_trigger = wtypes.wsattr(bool, mandatory=False)
    hostname = wtypes.wsattr(wtypes.text, readonly=True, mandatory=False)
    start_time = wtypes.wsattr(datetime.datetime, mandatory=False)
    end_time = wtypes.wsattr(datetime.datetime, mandatory=False)
    force = wtypes.wsattr(bool, mandatory=False)

    def check_shape(self) -> None:
        """Rules on the body alone, before anything is read from the database."""
        if self.audit_type not in AUDIT_TYPES:
            raise exception.AuditTypeNotFound(audit_type=self.audit_type)
        if not self.audit_template_uuid and not self.goal:
            raise exception.Invalid(_("A valid goal or audit_template_id must be provided"))
        if self.audit_type == ONESHOT and _given(self.interval):
            raise exception.AuditIntervalNotAllowed(audit_type=self.audit_type)
        if self.audit_type == CONTINUOUS and not _given(self.interval):
            raise exception.AuditIntervalNotSpecified(audit_type=self.audit_type)
        if self.audit_template_uuid and self.goal:
            raise exception.Invalid(_("Either audit_template_uuid or goal should be provided."))
        if self.audit_type == ONESHOT and (_given(self.start_time) or _given(self.end_time)):
            raise exception.AuditStartEndTimeNotAllowed(audit_type=self.audit_type)
        if not api_utils.allow_start_end_audit_time():
            if _given(self.start_time) or _given(self.end_time):
                raise exception.NotAcceptable()
        start, end = to_naive_utc(self.start_time or None), to_naive_utc(self.end_time or None)
        if start and end and end <= start:
            raise exception.Invalid(_("end_time must be later than start_time"))


class AuditPatchType(types.JsonPatchType):
    @staticmethod
    def mandatory_attrs() -> list[str]:
        return ["/audit_template_uuid", "/type"]

    @staticmethod
    def validate(patch):
        serialized = {"path": patch.path, "op": patch.op, "value": patch.value}
        state_to_null = patch.path == "/state" and patch.op == "replace" and patch.value is None
        if patch.path in ("/audit_template_uuid", "/type", "/status_message") or state_to_null:
            raise exception.PatchError(
                patch=serialized, reason=_("%(field)s can't be updated.") % {"field": patch.path}
            )
        return types.JsonPatchType.validate(patch)


class Audit(base.APIBase):
    uuid = types.uuid
    name = wtypes.text
    audit_type = wtypes.text
    state = wtypes.text
    goal_uuid = wtypes.text
    goal_name = wtypes.text
    strategy_uuid = wtypes.text
    strategy_name = wtypes.text
    parameters = {wtypes.text: types.jsontype}
    interval = wtypes.wsattr(wtypes.text, mandatory=False)
    scope = wtypes.wsattr(types.jsontype, mandatory=False)
    auto_trigger = wtypes.wsattr(bool, mandatory=False, default=False)
    next_run_time = wtypes.wsattr(datetime.datetime, mandatory=False)
    hostname = wtypes.wsattr(wtypes.text, mandatory=False)
    start_time = wtypes.wsattr(datetime.datetime, mandatory=False)
    end_time = wtypes.wsattr(datetime.datetime, mandatory=False)
    force = wtypes.wsattr(bool, mandatory=False)
    status_message = wtypes.wsattr(wtypes.text, mandatory=False)
    links = wtypes.wsattr([link.Link], readonly=True)

    @classmethod
    def convert_with_links(cls, audit, expand: bool = True) -> Audit:
        values = audit.as_dict()
        goal, strategy = audit.goal, audit.strategy
        values["goal_uuid"] = goal.uuid if goal else None
        values["goal_name"] = goal.name if goal else None
        values["strategy_uuid"] = strategy.uuid if strategy else None
        values["strategy_name"] = strategy.name if strategy else None
        item = cls.from_values(values)
        # Fields of later microversions stay out of older answers; upstream answers
        # 'force' at every microversion.
        if not api_utils.allow_start_end_audit_time():
            item.start_time = wtypes.Unset
            item.end_time = wtypes.Unset
        if not api_utils.allow_status_message():
            item.status_message = wtypes.Unset
        if not expand:
            item.unset_fields_except(LIST_FIELDS)
        item.links = link.self_and_bookmark("audits", item.uuid)
        return item


class AuditCollection(collection.Collection):
    audits = [Audit]
    _type = "audits"

    @classmethod
    def convert_with_links(cls, audits, limit, url=None, expand=False, **kwargs):
        page = cls()
        page.audits = [Audit.convert_with_links(audit, expand) for audit in audits]
        page.next = page.get_next(limit, url=url, **kwargs)
        return page


def _default_name(prefix: str) -> str:
    name = f"{prefix}-{timeutils.utcnow().isoformat()}"
    if len(name) > NAME_MAX_LENGTH:
        LOG.warning("Audit: %s length exceeds %d characters", name, NAME_MAX_LENGTH)
    return name[:NAME_MAX_LENGTH]


def _build_audit(context, body: AuditPostType):
    """The new audit object, fully validated; nothing is written here."""
    template = None
    goal_ident, strategy_ident, scope = body.goal, body.strategy, None
    parameters = dict(body.parameters or {})
    if body.audit_template_uuid:
        try:
            template = api_utils.get_resource("AuditTemplate", body.audit_template_uuid,
                                              eager=True)
        except exception.AuditTemplateNotFound as err:
            raise exception.Invalid(
                _("The audit template UUID or name specified is invalid")
            ) from err
        goal_ident = goal_ident or template.goal.uuid
        if not strategy_ident and template.strategy:
            strategy_ident = template.strategy.uuid
        scope = template.scope
        # Template defaults first, the audit's own values win.
        parameters = {**(template.default_parameters or {}), **parameters}
    goal = lookup.find_goal(context, goal_ident)
    strategy = None
    if strategy_ident:
        strategy = lookup.find_strategy(context, strategy_ident)
        lookup.check_strategy_of_goal(context, strategy, goal)
    parameters = validation.validate_parameters(
        strategy.parameters_spec if strategy else None, parameters
    )
    name = body.name
    if not name:
        prefix = strategy.name if strategy else (template.name if template else goal.name)
        name = _default_name(prefix)
    elif len(name) > NAME_MAX_LENGTH:
        raise exception.Invalid(
            _("Audit name must be at most %d characters") % NAME_MAX_LENGTH
        )
    return objects.Audit(
        context,
        name=name,
        audit_type=body.audit_type,
        state=states.AuditState.PENDING,
        parameters=parameters,
        interval=str(body.interval) if _given(body.interval) else None,
        scope=scope or [],
        goal_id=goal.id,
        strategy_id=strategy.id if strategy else None,
        auto_trigger=bool(body.auto_trigger) if _given(body.auto_trigger) else False,
        start_time=to_naive_utc(body.start_time or None),
        end_time=to_naive_utc(body.end_time or None),
        force=bool(body.force) if _given(body.force) else False,
    )


def _check_patched(audit, patched: dict, operations: list[dict]) -> None:
    """Rules a patched audit must still satisfy."""
    if patched["state"] != audit.state and not states.AUDIT_API.allowed(
        audit.state, patched["state"]
    ):
        # The error quotes the request's operations, as upstream's does.
        raise exception.PatchError(
            patch=operations,
            reason=_("State transition not allowed: (%(initial_state)s -> %(new_state)s)")
            % {"initial_state": audit.state, "new_state": patched["state"]},
        )
    interval = patched["interval"]
    if audit.audit_type == ONESHOT and interval not in (None, ""):
        raise exception.AuditIntervalNotAllowed(audit_type=audit.audit_type)
    if audit.audit_type == CONTINUOUS and interval in (None, ""):
        raise exception.AuditIntervalNotSpecified(audit_type=audit.audit_type)
    if interval not in (None, ""):
        types.IntervalOrCron.validate(interval)
    if not patched["name"] or len(patched["name"]) > NAME_MAX_LENGTH:
        raise exception.Invalid(_("Audit name must have 1 to %d characters") % NAME_MAX_LENGTH)


def _as_bool(value) -> bool:
    if value is None:
        return False
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError as err:
        raise exception.Invalid(str(err)) from err


def _parse_time(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return to_naive_utc(value)
    try:
        return to_naive_utc(timeutils.parse_isotime(str(value)))
    except ValueError as err:
        raise exception.Invalid(_("Invalid date/time: %s") % value) from err


class AuditsController(rest.RestController):
    _custom_actions = {"detail": ["GET"]}

    def __init__(self):
        super().__init__()
        self.dc_client = rpcapi.DecisionEngineAPI()

    def _collection(self, marker, limit, sort_key, sort_dir, expand=False, resource_url=None,
                    goal=None, strategy=None):
        audits, limit, need_api_sort = collection.fetch_page(
            objects.Audit, marker, limit, sort_key, sort_dir,
            filters=template_api.goal_strategy_filters(goal, strategy),
            additional_fields=ADDITIONAL_SORT_KEYS, eager=True,
        )
        page = AuditCollection.convert_with_links(
            audits, limit, url=resource_url, expand=expand,
            **api_utils.as_filters_dict(goal=goal, strategy=strategy),
            sort_key=sort_key, sort_dir=sort_dir,
        )
        if need_api_sort:
            api_utils.make_api_sort(page.audits, sort_key, sort_dir)
        return page

    # Markers are typed UUIDs as upstream: a malformed one is a 400, not a 404.
    @wsme_pecan.wsexpose(AuditCollection, types.uuid, int, wtypes.text, wtypes.text,
                         wtypes.text, wtypes.text)
    def get_all(self, marker=None, limit=None, sort_key="id", sort_dir="asc", goal=None,
                strategy=None):
        policy.enforce(pecan.request.context, "audit:get_all")
        return self._collection(marker, limit, sort_key, sort_dir, goal=goal, strategy=strategy)

    @wsme_pecan.wsexpose(AuditCollection, wtypes.text, types.uuid, int, wtypes.text,
                         wtypes.text, wtypes.text)
    def detail(self, goal=None, marker=None, limit=None, sort_key="id", sort_dir="asc",
               strategy=None):
        policy.enforce(pecan.request.context, "audit:detail")
        if pecan.request.path.split("/")[:-1][-1] != "audits":
            raise exception.HTTPNotFound
        return self._collection(marker, limit, sort_key, sort_dir, True, "audits/detail",
                                goal=goal, strategy=strategy)

    @wsme_pecan.wsexpose(Audit, wtypes.text)
    def get_one(self, audit):
        # Looked up before the policy check, as upstream: an unknown one is a 404 for anyone.
        found = api_utils.get_resource("Audit", audit, eager=True)
        policy.enforce(pecan.request.context, "audit:get")
        return Audit.convert_with_links(found)

    @wsme_pecan.wsexpose(Audit, body=AuditPostType, status_code=HTTPStatus.CREATED)
    def post(self, audit_p):
        # The parameter's name is in WSME's errors ("Unknown attribute for argument
        # audit_p: ..."), so it is upstream's.
        context = pecan.request.context
        policy.enforce(context, "audit:create")
        audit_p.check_shape()
        audit = _build_audit(context, audit_p)
        audit.create()
        pecan.response.location = link.build_url("audits", audit.uuid)
        # Continuous audits are picked up by the engine's scheduler, event audits wait for
        # their webhook; only one-shot audits are started right away.
        if audit.audit_type == ONESHOT:
            self.dc_client.trigger_audit(context, audit.uuid)
        return Audit.convert_with_links(audit)

    @wsme.validate(wtypes.text, [AuditPatchType])
    @wsme_pecan.wsexpose(Audit, wtypes.text, body=[AuditPatchType])
    def patch(self, audit, patch):
        context = pecan.request.context
        target = api_utils.get_resource("Audit", audit, eager=True)
        policy.enforce(context, "audit:update")
        operations = api_utils.patch_operations(patch, AuditPatchType)
        for operation in operations:
            root = operation["path"].split("/")[1]
            if root not in PATCHABLE:
                raise exception.PatchError(
                    patch=operation, reason=_("%s can't be updated.") % operation["path"]
                )
            if root in ("start_time", "end_time") and not api_utils.allow_start_end_audit_time():
                raise exception.NotAcceptable()
        document = {name: target[name] for name in PATCHABLE}
        document["parameters"] = dict(document["parameters"] or {})
        document["scope"] = list(document["scope"] or [])
        try:
            patched = api_utils.apply_jsonpatch(document, operations)
        except api_utils.JSONPATCH_EXCEPTIONS as err:
            raise exception.PatchError(patch=operations, reason=err) from err
        # A removed attribute goes back to "no value".
        patched = {name: patched.get(name) for name in PATCHABLE}
        patched["auto_trigger"] = _as_bool(patched["auto_trigger"])
        _check_patched(target, patched, operations)
        if api_utils.patch_touches(operations, "parameters"):
            spec = target.strategy.parameters_spec if target.strategy else None
            patched["parameters"] = validation.validate_parameters(spec, patched["parameters"])
        if api_utils.patch_touches(operations, "scope"):
            patched["scope"] = validation.normalize_scope(patched["scope"])
        patched["start_time"] = _parse_time(patched["start_time"])
        patched["end_time"] = _parse_time(patched["end_time"])
        if patched["interval"] is not None:
            patched["interval"] = str(patched["interval"])
        for name, value in patched.items():
            if target[name] != value:
                target[name] = value
        target.save()
        return Audit.convert_with_links(target)

    @wsme_pecan.wsexpose(None, wtypes.text, status_code=HTTPStatus.NO_CONTENT)
    def delete(self, audit):
        context = pecan.request.context
        target = api_utils.get_resource("Audit", audit)
        policy.enforce(context, "audit:delete")
        if target.state not in states.AUDIT_DELETABLE:
            raise exception.DeleteError(state=target.state)
        target.soft_delete()
