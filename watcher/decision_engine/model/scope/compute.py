"""Compute audit scope: which nodes and instances of the compute model an audit may touch.

An audit scope is a list like ``[{"compute": [rule, ...]}, {"storage": [...]}]``; the compute
rules are ``{"host_aggregates": [{"id": 1} | {"id": "*"} | {"name": "x"}]}``,
``{"availability_zones": [{"name": "az1"}]}`` and ``{"exclude": [...]}``. As upstream:
nodes outside the named aggregates/zones and excluded nodes are removed with their
instances; excluded instances (by uuid, project, or metadata when the strategy's
``check_optimize_metadata`` is set) stay in the model flagged ``watcher_exclude``.
"""

from __future__ import annotations

import dataclasses

from oslo_log import log

from watcher.common import exception
from watcher.decision_engine.model import model_root
from watcher.decision_engine.model.scope import named_list

LOG = log.getLogger(__name__)

_AGGREGATE_BY_ID = {
    "properties": {"id": {"oneOf": [{"type": "integer"}, {"enum": ["*"]}]}},
    "additionalProperties": False,
}
_AGGREGATE_BY_NAME = {
    "properties": {"name": {"type": "string"}},
    "additionalProperties": False,
}


def _aggregate_list() -> dict:
    return {
        "type": "array",
        "items": {"anyOf": [_AGGREGATE_BY_ID, _AGGREGATE_BY_NAME]},
    }


# Upstream's NovaClusterDataModelCollector.SCHEMA: the "compute" part of an audit scope.
# Upstream points at the aggregate item schemas with $refs into the API's wrapper schema,
# which current jsonschema cannot resolve (the pointer crosses an "id" key); they are
# inlined here, validating the same documents, standalone or under "compute".
SCHEMA = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "host_aggregates": _aggregate_list(),
            "availability_zones": named_list("name"),
            "exclude": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "instances": named_list("uuid"),
                        "compute_nodes": named_list("name"),
                        "host_aggregates": _aggregate_list(),
                        "instance_metadata": {"type": "array", "items": {"type": "object"}},
                        "projects": named_list("uuid"),
                    },
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
    },
    "additionalProperties": False,
}


@dataclasses.dataclass
class Topology:
    """Grouping of compute hosts, collected with the model: aggregates and zones."""

    # [{"id": 1, "name": "rack1", "hosts": ["cmp1", ...]}, ...]
    aggregates: list[dict] = dataclasses.field(default_factory=list)
    # service host -> availability zone
    host_zones: dict[str, str] = dataclasses.field(default_factory=dict)


def compute_rules(audit_scope: list | None) -> list[dict]:
    """The compute rules of an audit scope (the first ``{"compute": [...]}`` entry).

    A scope written without the ``compute``/``storage`` wrapper is taken as compute rules,
    as upstream's API does when it stores such a scope.
    """
    for entry in audit_scope or []:
        if not isinstance(entry, dict):
            continue
        if "compute" in entry:
            return entry["compute"] or []
        if "storage" not in entry and "baremetal" not in entry:
            return list(audit_scope)
    return []


def _wildcard(values: list, resource: str) -> bool:
    if "*" in values:
        if len(values) > 1:
            raise exception.WildcardCharacterIsUsed(resource=resource)
        return True
    return False


def _aggregate_hosts(refs: list[dict], topology: Topology) -> set[str]:
    ids = [r["id"] for r in refs if "id" in r]
    names = [r["name"] for r in refs if "name" in r]
    everything = _wildcard(ids, "host aggregates") or _wildcard(names, "host aggregates")
    hosts: set[str] = set()
    for aggregate in topology.aggregates:
        if everything or aggregate["id"] in ids or aggregate["name"] in names:
            hosts.update(aggregate["hosts"])
    return hosts


def _zone_hosts(zones: list[dict], topology: Topology) -> set[str]:
    names = [z["name"] for z in zones]
    everything = _wildcard(names, "availability zones")
    return {h for h, zone in topology.host_zones.items() if everything or zone in names}


def _metadata_matches(wanted: dict, metadata: dict) -> bool:
    if not wanted or not set(wanted) <= set(metadata or {}):
        return False
    return any(str(v).lower() == str(metadata.get(k)).lower() for k, v in wanted.items())


def get_scoped_model(
    model: model_root.ModelRoot,
    audit_scope: list | None,
    topology: Topology,
    check_optimize_metadata: bool = False,
) -> model_root.ModelRoot:
    """A new model holding what ``audit_scope`` allows (``model`` is left untouched)."""
    rules = compute_rules(audit_scope)
    if not rules:
        return model.copy()
    allowed: set[str] | None = None
    excluded_hosts: set[str] = set()
    excluded_instances: set[str] = set()
    excluded_projects: set[str] = set()
    metadata: dict = {}
    for rule in rules:
        if "host_aggregates" in rule:
            allowed = (allowed or set()) | _aggregate_hosts(rule["host_aggregates"], topology)
        elif "availability_zones" in rule:
            allowed = (allowed or set()) | _zone_hosts(rule["availability_zones"], topology)
        elif "exclude" in rule:
            for item in rule["exclude"]:
                excluded_instances.update(i["uuid"] for i in item.get("instances", ()))
                excluded_hosts.update(n["name"] for n in item.get("compute_nodes", ()))
                if "host_aggregates" in item:
                    excluded_hosts |= _aggregate_hosts(item["host_aggregates"], topology)
                for entry in item.get("instance_metadata", ()):
                    metadata.update(entry)
                excluded_projects.update(p["uuid"] for p in item.get("projects", ()))

    nodes = [
        node.uuid
        for node in model.get_all_compute_nodes().values()
        if (allowed is None or node.hostname in allowed) and node.hostname not in excluded_hosts
    ]
    if excluded_projects or (metadata and check_optimize_metadata):
        for uuid, instance in model.get_all_instances().items():
            if instance.project_id in excluded_projects:
                excluded_instances.add(uuid)
            elif check_optimize_metadata and _metadata_matches(metadata, instance.metadata):
                excluded_instances.add(uuid)
    LOG.debug(
        "Audit scope keeps %d of %d compute nodes, excludes %d instances",
        len(nodes),
        len(model.get_all_compute_nodes()),
        len(excluded_instances),
    )
    return model.filtered(nodes, excluded_instances)
