"""Validation of audit parameters and audit scopes, shared by audits and audit templates."""

from __future__ import annotations

import copy

import jsonschema
from jsonschema import validators

from watcher._i18n import _
from watcher.common import exception
from watcher.decision_engine.model.scope import compute as compute_scope
from watcher.decision_engine.model.scope import storage as storage_scope


def _strict_with_defaults(validator_class):
    """A validator that refuses unknown properties and fills in schema defaults.

    Upstream validates audit parameters this way: an unknown parameter is an error (400
    AuditParameterNotAllowed) and missing ones get the strategy's defaults, so what is stored
    is exactly what the strategy will run with.

    An object whose schema lists no properties at all (``"properties": {}``) is free-form:
    upstream's check runs once per listed property, so it never looks inside such an object.
    The actuator strategy relies on that for each action's ``input_parameters``.
    """
    check_properties = validator_class.VALIDATORS["properties"]

    def properties(validator, props, instance, schema):
        if isinstance(instance, dict) and props:
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


SCOPE_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        # The collectors' own schemas, as upstream's API validates scopes with them.
        "properties": {"compute": compute_scope.SCHEMA, "storage": storage_scope.SCHEMA},
        "additionalProperties": False,
    },
}


def _aggregate_rules(compute_rules: list) -> tuple[bool, bool]:
    included = excluded = False
    for rule in compute_rules:
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
