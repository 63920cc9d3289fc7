"""Storage audit scope: which storage nodes, pools and volumes an audit may touch.

The ``{"storage": [rule, ...]}`` entry of an audit scope; rules are
``{"availability_zones": [{"name": "nova"}]}``, ``{"volume_types": [{"name": "lvm"}]}`` and
``{"exclude": [{"storage_pools": [{"name": "host@be#pool"}]}, {"volumes": [{"uuid": ...}]},
{"projects": [{"uuid": ...}]}]}``. As upstream: zones and types (``"*"`` alone for all) keep the
nodes that match any of them, with their pools and volumes; excluded pools go with their
volumes; excluded volumes and the volumes of excluded projects are removed. Zones and types are
read from the model (each node carries its zone and the types of its backend), so scoping costs
no API call.
"""

from __future__ import annotations

from oslo_log import log

from watcher.common import exception
from watcher.decision_engine.model import storage_model
from watcher.decision_engine.model.scope import named_list

LOG = log.getLogger(__name__)


# Upstream's CinderClusterDataModelCollector.SCHEMA: the "storage" part of an audit scope.
SCHEMA = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "availability_zones": named_list("name"),
            "volume_types": named_list("name"),
            "exclude": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "storage_pools": named_list("name"),
                        "volumes": named_list("uuid"),
                        "projects": named_list("uuid"),
                        # Upstream's schema has this line inside "properties" (so other keys
                        # are let through); kept so the same scopes are accepted.
                        "additionalProperties": False,
                    },
                },
            },
        },
        "additionalProperties": False,
    },
}


def storage_rules(audit_scope: list | None) -> list[dict]:
    """The rules of the first ``{"storage": [...]}`` entry of an audit scope."""
    for entry in audit_scope or []:
        if isinstance(entry, dict) and entry.get("storage"):
            return entry["storage"]
    return []


def _names(items: list[dict], resource: str) -> tuple[set[str], bool]:
    names = {item["name"] for item in items}
    if "*" in names:
        if len(names) > 1:
            raise exception.WildcardCharacterIsUsed(resource=resource)
        return names, True
    return names, False


def get_scoped_model(
    model: storage_model.StorageModelRoot, audit_scope: list | None
) -> storage_model.StorageModelRoot:
    """A new model holding what ``audit_scope`` allows (``model`` is left untouched)."""
    scoped = model.copy()
    rules = storage_rules(audit_scope)
    if not rules:
        return scoped
    allowed: set[str] = set()
    restricted = False
    pools: set[str] = set()
    volumes: set[str] = set()
    projects: set[str] = set()
    nodes = scoped.get_all_storage_nodes()
    for rule in rules:
        if "volume_types" in rule:
            restricted = True
            names, everything = _names(rule["volume_types"], "volume_types")
            allowed |= {
                h for h, n in nodes.items() if everything or names & set(n.volume_type or ())
            }
        elif "availability_zones" in rule:
            restricted = True
            names, everything = _names(rule["availability_zones"], "availability zones")
            allowed |= {h for h, n in nodes.items() if everything or n.zone in names}
        elif "exclude" in rule:
            for item in rule["exclude"]:
                pools.update(p["name"] for p in item.get("storage_pools", ()))
                volumes.update(v["uuid"] for v in item.get("volumes", ()))
                projects.update(p["uuid"] for p in item.get("projects", ()))

    if restricted:
        for host in set(nodes) - allowed:
            for pool in scoped.get_node_pools(host):
                _remove_pool(scoped, pool.name)
            scoped.remove_node(host)
    for name in pools:
        try:
            _remove_pool(scoped, name)
        except exception.PoolNotFound:
            LOG.debug("Excluded pool %s is not in the storage model", name)
    for uuid, volume in scoped.get_all_volumes().items():
        if uuid in volumes or volume.project_id in projects:
            scoped.remove_volume(uuid)
    LOG.debug("Storage audit scope keeps %s", scoped)
    return scoped


def _remove_pool(model: storage_model.StorageModelRoot, name: str) -> None:
    for volume in model.get_pool_volumes(name):
        model.remove_volume(volume)
    model.remove_pool(name)
