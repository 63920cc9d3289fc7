"""Validation of audit parameters and audit scopes, shared by audits and audit templates."""

from __future__ import annotations

import copy

import jsonschema
from jsonschema import validators

from watcher._i18n import _
from watcher.common import exception


def _strict_with_defaults(validator_class):
    """A validator that refuses unknown properties and fills in schema defaults.

    Upstream validates audit parameters this way: an unknown parameter is an error (400
    AuditParameterNotAllowed) and missing ones get the strategy's defaults, so what is stored
    is exactly what the strategy will run with.
    """
    check_properties = validator_class.VALIDATORS["properties"]

    def properties(validator, props, instance, schema):
        if isinstance(instance, dict):
            for name in instance:
                if name not in props:
                    raise exception.AuditParameterNotAllowed(parameter=name)
            for name, subschema in props.items():
                if "default" in subschema:
                    instance.setdefault(name, copy.deepcopy(subschema["default"]))
        yield from check_properties(validator, props, instance, schema)

    return validators.extend(validator_class, {"properties": properties})


StrictDefaultValidatingDraft4Validator = _strict_with_defaults(validators.Draft4Validator)


def validate_parameters(spec: dict | None, parameters: dict | None) -> dict:
    """Validated ``parameters`` with defaults filled in; 400 when they break ``spec``."""
    parameters = copy.deepcopy(parameters or {})
    if not spec:
        if parameters:
            raise exception.Invalid(
                _("Specify parameters but no predefined strategy for audit, or no parameter "
                  "spec in predefined strategy")
            )
        return parameters
    try:
        StrictDefaultValidatingDraft4Validator(spec).validate(parameters)
    except jsonschema.exceptions.ValidationError as err:
        raise exception.Invalid(_("Invalid parameters for strategy: %s") % err.message) from err
    return parameters


def _named_list(key: str) -> dict:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {key: {"type": "string"}},
            "additionalProperties": False,
        },
    }


_AGGREGATES = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"id": {"type": ["integer", "string"]}, "name": {"type": "string"}},
        "additionalProperties": False,
    },
}

COMPUTE_SCOPE_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "host_aggregates": _AGGREGATES,
            "availability_zones": _named_list("name"),
            "exclude": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "instances": _named_list("uuid"),
                        "compute_nodes": _named_list("name"),
                        "host_aggregates": _AGGREGATES,
                        "instance_metadata": {"type": "array", "items": {"type": "object"}},
                        "projects": _named_list("uuid"),
                    },
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    },
}

STORAGE_SCOPE_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "availability_zones": _named_list("name"),
            "volume_types": _named_list("name"),
            "exclude": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "volumes": _named_list("uuid"),
                        "storage_pools": _named_list("name"),
                        "projects": _named_list("uuid"),
                    },
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    },
}

SCOPE_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"compute": COMPUTE_SCOPE_SCHEMA, "storage": STORAGE_SCOPE_SCHEMA},
        "additionalProperties": False,
    },
}


def _aggregate_rules(compute_scope: list) -> tuple[bool, bool]:
    included = excluded = False
    for rule in compute_scope:
        if "host_aggregates" in rule:
            included = True
        for resource in rule.get("exclude", []):
            if "host_aggregates" in resource:
                excluded = True
    return included, excluded


def normalize_scope(scope) -> list:
    """The scope in its stored form, validated.

    A bare list of compute rules (the pre-storage format) is wrapped as ``[{"compute": …}]``
    as upstream does.
    """
    if not scope:
        return []
    if not isinstance(scope, list) or not all(isinstance(item, dict) and item for item in scope):
        raise exception.Invalid(_("Scope must be a list of objects"))
    if next(iter(scope[0])) not in ("compute", "storage"):
        scope = [{"compute": scope}]
    try:
        validators.Draft4Validator(SCOPE_SCHEMA).validate(scope)
    except jsonschema.exceptions.ValidationError as err:
        raise exception.Invalid(_("Invalid scope: %s") % err.message) from err
    for item in scope:
        included, excluded = _aggregate_rules(item.get("compute", []))
        if included and excluded:
            raise exception.Invalid(_("host_aggregates can't be included and excluded together"))
    return scope
