"""Helpers shared by the v1 controllers: paging checks, JSON patch, lookups, microversions."""

from __future__ import annotations

import inspect
from operator import attrgetter

import jsonpatch
import pecan
import wsme
from oslo_config import cfg
from oslo_utils import strutils, uuidutils

from watcher import objects
from watcher._i18n import _
from watcher.api.controllers.v1 import versions

CONF = cfg.CONF

JSONPATCH_EXCEPTIONS = (
    jsonpatch.JsonPatchException,
    jsonpatch.JsonPointerException,
    KeyError,
)


def validate_limit(limit: int | None) -> int:
    if limit is None:
        return CONF.api.max_limit
    if limit <= 0:
        raise wsme.exc.ClientSideError(_("Limit must be positive"))
    return min(CONF.api.max_limit, limit)


def validate_sort_dir(sort_dir: str) -> None:
    if sort_dir not in ("asc", "desc"):
        raise wsme.exc.ClientSideError(
            _("Invalid sort direction: %s. Acceptable values are 'asc' or 'desc'") % sort_dir
        )


def validate_sort_key(sort_key: str, allowed_fields) -> None:
    if sort_key not in allowed_fields:
        raise wsme.exc.ClientSideError(_("Invalid sort key: %s") % sort_key)


def check_need_api_sort(sort_key: str, additional_fields) -> bool:
    """Keys that are not DB columns (goal_name…) are sorted here, after the query."""
    return sort_key in additional_fields


def make_api_sort(items: list, sort_key: str, sort_dir: str) -> None:
    reverse = sort_dir == "desc"
    # Two stable sorts: uuid breaks ties so pages stay deterministic.
    items.sort(key=attrgetter("uuid"), reverse=reverse)
    items.sort(key=lambda item: (getattr(item, sort_key) is None, getattr(item, sort_key) or ""),
               reverse=reverse)


def apply_jsonpatch(doc: dict, patch: list[dict]) -> dict:
    for operation in patch:
        if operation["op"] == "add" and operation["path"].count("/") == 1:
            if operation["path"].lstrip("/") not in doc:
                raise wsme.exc.ClientSideError(
                    _("Adding a new attribute (%s) to the root of the resource is not allowed")
                    % operation["path"]
                )
    return jsonpatch.apply_patch(doc, jsonpatch.JsonPatch(patch))


def get_patch_value(patch: list[dict], key: str):
    for operation in patch:
        if operation["op"] == "replace" and operation["path"] == f"/{key}":
            return operation["value"]
    return None


def patch_touches(patch: list[dict], key: str) -> bool:
    """Whether an operation changes ``key`` or anything under it."""
    return any(operation["path"].split("/")[1] == key for operation in patch)


def as_filters_dict(**filters) -> dict:
    return {name: value for name, value in filters.items() if value}


def get_resource(resource: str, resource_id, eager: bool = False):
    """Load ``objects.<resource>`` by integer id, UUID or name, whichever ``resource_id`` is.

    Services have no UUID: a UUID-like identifier is looked up as a name (and not found).
    """
    cls = getattr(objects, resource)
    if strutils.is_int_like(resource_id):
        getter, resource_id = cls.get, int(resource_id)
    elif uuidutils.is_uuid_like(resource_id) and hasattr(cls, "get_by_uuid"):
        getter = cls.get_by_uuid
    else:
        getter = cls.get_by_name
    if "eager" in inspect.signature(getter).parameters:
        return getter(pecan.request.context, resource_id, eager=eager)
    return getter(pecan.request.context, resource_id)


def _minor() -> int:
    return pecan.request.version.minor


def allow_start_end_audit_time() -> bool:
    return _minor() >= versions.VERSIONS.MINOR_1_START_END_TIMING


def allow_list_datamodel() -> bool:
    return _minor() >= versions.VERSIONS.MINOR_3_DATAMODEL


def allow_webhook_api() -> bool:
    return _minor() >= versions.VERSIONS.MINOR_4_WEBHOOK_API


def allow_skip_action() -> bool:
    return _minor() >= versions.VERSIONS.MINOR_5_SKIP_ACTION


def allow_status_message() -> bool:
    return _minor() >= versions.VERSIONS.MINOR_5_SKIP_ACTION


def allow_list_extended_data_model() -> bool:
    return _minor() >= versions.VERSIONS.MINOR_6_EXTENDED_ATTRS


def allow_template_default_parameters() -> bool:
    return _minor() >= versions.VERSIONS.MINOR_7_TEMPLATE_DEFAULT_PARAMETERS


def patch_operations(patch: list, patch_type) -> list[dict]:
    """The body's operations as dicts.

    WSME already runs ``patch_type.validate`` on each item of a JSON-patch body and hands
    the controller its result; items that arrive unvalidated are validated here.
    """
    return [op if isinstance(op, dict) else patch_type.validate(op) for op in patch]
