"""Zone migration: empty compute nodes and storage pools for hardware maintenance.

The instances of the ``compute_nodes`` sources and the volumes of the ``storage_pools`` sources
(optionally of one ``src_type``) move out: active and paused instances are live migrated,
stopped ones cold migrated (to ``dst_node``, or where Nova's scheduler decides when none is
given); a volume is migrated to ``dst_pool``, or retyped to ``dst_type`` when that is another
type. ``priority`` orders what moves first: the first key of the mapping weighs most; list
keys (``project``, ``compute_node``, ``storage_pool``) bring matching items to the front,
earlier values first; ``compute`` (vcpu_num, mem_size, disk_size: largest first; created_at:
oldest first) and ``storage`` (size, created_at) sort. The plan stops at ``parallel_total``
actions, at most ``parallel_per_node`` per source node and ``parallel_per_pool`` per source
pool. With ``with_attached_volume`` an instance of a source node goes right after the first
of its volumes that moves.

Volumes come from the storage model (upstream lists them from Cinder in the strategy).
"""

from __future__ import annotations

from oslo_log import log
from oslo_utils import timeutils

from watcher.common import exception
from watcher.decision_engine.model import element, storage_element
from watcher.decision_engine.strategy.strategies import base

LOG = log.getLogger(__name__)

INSTANCE = "instance"
VOLUME = "volume"
LIVE_STATES = (element.InstanceState.ACTIVE.value, element.InstanceState.PAUSED.value)
COLD_STATES = (element.InstanceState.STOPPED.value,)


class ActionCounter:
    """Actions planned in total, per source pool and per source node, against their limits."""

    def __init__(self, total_limit: int = 6, per_pool_limit: int = 2, per_node_limit: int = 2):
        self.total_limit = total_limit
        self.per_pool_limit = per_pool_limit
        self.per_node_limit = per_node_limit
        self.per_pool_count: dict[str, int] = {}
        self.per_node_count: dict[str, int] = {}
        self.total_count = 0

    def add_pool(self, pool: str) -> bool:
        self.per_pool_count.setdefault(pool, 0)
        if self.is_total_max() or self.is_pool_max(pool):
            return False
        self.per_pool_count[pool] += 1
        self.total_count += 1
        return True

    def add_node(self, node: str) -> bool:
        self.per_node_count.setdefault(node, 0)
        if self.is_total_max() or self.is_node_max(node):
            return False
        self.per_node_count[node] += 1
        self.total_count += 1
        return True

    def is_total_max(self) -> bool:
        return self.total_count >= self.total_limit

    def is_pool_max(self, pool: str) -> bool:
        return self.per_pool_count.setdefault(pool, 0) >= self.per_pool_limit

    def is_node_max(self, node: str) -> bool:
        return self.per_node_count.setdefault(node, 0) >= self.per_node_limit


def _to_front(items: list, matches) -> list:
    """A stable partition: the items ``matches`` accepts first, each side in its order."""
    return [i for i in items if matches(i)] + [i for i in items if not matches(i)]


def _oldest_first(value) -> tuple:
    """Sort key: oldest first, items without a creation time last."""
    if isinstance(value, str):
        value = timeutils.normalize_time(timeutils.parse_isotime(value))
    return (value is None, value or 0)


class ZoneMigration(base.BaseStrategy):
    NAME = "zone_migration"
    DISPLAY_NAME = "Zone migration"
    GOAL_NAME = "hardware_maintenance"

    def __init__(self, config=None) -> None:
        super().__init__(config)
        self.live_count = 0
        self.planned_live_count = 0
        self.cold_count = 0
        self.planned_cold_count = 0
        self.volume_count = 0
        self.planned_volume_count = 0
        self._migrated_instances: set[str] = set()

    @classmethod
    def get_schema(cls) -> dict:
        def described(description: str, kind: str = "string") -> dict:
            return {"description": description, "type": kind}

        def parallel(description: str, default: int) -> dict:
            return {"description": description, "type": "integer", "minimum": 0,
                    "default": default}

        strings = {"type": "array", "items": {"type": "string"}}
        return {
            "properties": {
                "compute_nodes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "src_node": described("Compute node from which instances migrate"),
                            "dst_node": described("Compute node to which instances migrate"),
                        },
                        "required": ["src_node"],
                        "additionalProperties": False,
                    },
                },
                "storage_pools": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "src_pool": described("Storage pool from which volumes migrate"),
                            "dst_pool": described("Storage pool to which volumes migrate"),
                            "src_type": described("Volume type from which volumes migrate"),
                            "dst_type": described("Volume type to which volumes migrate"),
                        },
                        "oneOf": [
                            {"required": ["src_pool", "dst_pool"],
                             "not": {"required": ["dst_type"]}},
                            {"required": ["src_pool", "dst_type"],
                             "not": {"required": ["dst_pool"]}},
                        ],
                        "additionalProperties": False,
                    },
                },
                "parallel_total": parallel(
                    "The number of actions to be run in parallel in total", 6
                ),
                "parallel_per_node": parallel(
                    "The number of actions to be run in parallel per compute node", 2
                ),
                "parallel_per_pool": parallel(
                    "The number of actions to be run in parallel per storage host", 2
                ),
                "priority": {
                    "description": "List prioritizes instances and volumes",
                    "type": "object",
                    "properties": {
                        "project": strings,
                        "compute_node": strings,
                        "storage_pool": strings,
                        "compute": {
                            "enum": ["vcpu_num", "mem_size", "disk_size", "created_at"]
                        },
                        "storage": {"enum": ["size", "created_at"]},
                    },
                    "additionalProperties": False,
                },
                "with_attached_volume": {
                    "description": "instance migrates just after attached volumes or not",
                    "type": "boolean",
                    "default": False,
                },
            },
            "additionalProperties": False,
        }

    # -- parameters -------------------------------------------------------------------------

    @property
    def migrate_compute_nodes(self) -> list[dict]:
        return self.input_parameters.get("compute_nodes") or []

    @property
    def migrate_storage_pools(self) -> list[dict]:
        return self.input_parameters.get("storage_pools") or []

    @property
    def priority(self) -> dict:
        return self.input_parameters.get("priority") or {}

    @property
    def with_attached_volume(self) -> bool:
        return bool(self.input_parameters.get("with_attached_volume", False))

    def get_dst_node(self, src_node: str) -> str | None:
        for pair in self.migrate_compute_nodes:
            if pair.get("src_node") == src_node:
                return pair.get("dst_node")
        return None

    def get_dst_pool_and_type(
        self, src_pool: str, src_type: str | None
    ) -> tuple[str | None, str | None]:
        """An entry naming both the pool and the type wins over one naming the pool only."""
        typed = [p for p in self.migrate_storage_pools if p.get("src_type") is not None]
        untyped = [p for p in self.migrate_storage_pools if p.get("src_type") is None]
        for entry in typed:
            if (entry["src_pool"], entry["src_type"]) == (src_pool, src_type):
                return entry.get("dst_pool"), entry.get("dst_type")
        for entry in untyped:
            if entry["src_pool"] == src_pool:
                return entry.get("dst_pool"), entry.get("dst_type")
        return None, None

    # -- targets ----------------------------------------------------------------------------

    def pre_execute(self) -> None:
        self.compute_model  # noqa: B018
        if self.migrate_storage_pools:
            self.storage_model  # noqa: B018

    def _host_of(self, instance: element.Instance) -> str | None:
        try:
            return self.compute_model.get_node_by_instance_uuid(instance.uuid).hostname
        except exception.ComputeResourceNotFound:
            return instance.host

    def get_instances(self) -> list[element.Instance]:
        instances = []
        for pair in self.migrate_compute_nodes:
            try:
                node = self.compute_model.get_node_by_name(pair["src_node"])
            except exception.ComputeNodeNotFound:
                LOG.info("Source node %s is not in the audit's compute model", pair["src_node"])
                continue
            # Upstream moves instances the audit scope excludes too; they stay here.
            instances.extend(
                i for i in self.compute_model.get_node_instances(node) if not i.watcher_exclude
            )
        return instances

    def get_volumes(self) -> list[storage_element.Volume]:
        volumes = []
        for volume in self.storage_model.get_all_volumes().values():
            for entry in self.migrate_storage_pools:
                src_type = entry.get("src_type")
                if volume.host == entry["src_pool"] and src_type in (None, volume.volume_type):
                    volumes.append(volume)
                    break
        return volumes

    def filtered_targets(self) -> dict[str, list]:
        targets: dict[str, list] = {}
        if self.migrate_compute_nodes:
            targets[INSTANCE] = self.get_instances()
        if self.migrate_storage_pools:
            targets[VOLUME] = self.get_volumes()
        for key, values in reversed(list(self.priority.items())):
            conditions = values if isinstance(values, list) else [values]
            for condition in reversed(conditions):
                for kind in list(targets):
                    targets[kind] = self._prioritize(key, kind, targets[kind], condition)
        return targets

    def _prioritize(self, key: str, kind: str, items: list, condition) -> list:
        if key == "project":
            return _to_front(items, lambda i: i.project_id == condition)
        if key == "compute_node" and kind == INSTANCE:
            return _to_front(items, lambda i: self._host_of(i) == condition)
        if key == "storage_pool" and kind == VOLUME:
            return _to_front(items, lambda v: v.host == condition)
        if key == "compute" and kind == INSTANCE:
            if condition == "created_at":
                return sorted(items, key=lambda i: _oldest_first(i.created))
            field = {"vcpu_num": "vcpus", "mem_size": "memory", "disk_size": "disk"}[condition]
            return sorted(items, key=lambda i: float(getattr(i, field) or 0), reverse=True)
        if key == "storage" and kind == VOLUME:
            if condition == "created_at":
                return sorted(items, key=lambda v: _oldest_first(v.created_at))
            return sorted(items, key=lambda v: float(v.size or 0), reverse=True)
        return items

    # -- the plan ---------------------------------------------------------------------------

    def do_execute(self, audit=None) -> None:
        targets = self.filtered_targets()
        instances = targets.get(INSTANCE, [])
        self.live_count = sum(1 for i in instances if i.state in LIVE_STATES)
        self.cold_count = sum(1 for i in instances if i.state in COLD_STATES)
        self.volume_count = len(targets.get(VOLUME, []))
        counter = ActionCounter(
            self.input_parameters.get("parallel_total", 6),
            self.input_parameters.get("parallel_per_pool", 2),
            self.input_parameters.get("parallel_per_node", 2),
        )
        if VOLUME in targets:
            self.volumes_migration(targets[VOLUME], counter, instances)
        if INSTANCE in targets:
            self.instances_migration(instances, counter)
        LOG.debug("Zone migration plan: %d actions (%s, %s)", counter.total_count,
                  counter.per_pool_count, counter.per_node_count)

    def post_execute(self) -> None:
        self.solution.set_efficacy_indicators(
            live_migrate_instance_count=self.live_count,
            planned_live_migrate_instance_count=self.planned_live_count,
            cold_migrate_instance_count=self.cold_count,
            planned_cold_migrate_instance_count=self.planned_cold_count,
            volume_migrate_count=self.volume_count,
            planned_volume_migrate_count=self.planned_volume_count,
            # "swap" is an alias of migrate now: attached volumes count as migrations too.
            volume_update_count=self.volume_count,
            planned_volume_update_count=self.planned_volume_count,
        )

    def volumes_migration(
        self, volumes: list, counter: ActionCounter, instance_targets: list
    ) -> None:
        target_ids = {i.uuid for i in instance_targets}
        for volume in volumes:
            if counter.is_total_max():
                break
            pool = volume.host
            if counter.is_pool_max(pool):
                continue
            dst_pool, dst_type = self.get_dst_pool_and_type(pool, volume.volume_type)
            if dst_type is None or dst_type == volume.volume_type:
                if dst_pool is None:
                    LOG.info("Volume %s stays: no dst_pool for %s", volume.name, pool)
                    continue
                self._volume_action(volume, {"migration_type": "migrate",
                                             "destination_node": dst_pool})
            else:
                self._volume_action(volume, {"migration_type": "retype",
                                             "destination_type": dst_type})
            if self.with_attached_volume:
                attached = []
                for server_id in volume.server_ids:
                    if server_id not in target_ids:
                        continue
                    try:
                        attached.append(self.compute_model.get_instance_by_uuid(server_id))
                    except exception.InstanceNotFound:
                        LOG.warning("Instance %s of volume %s is not in the compute model",
                                    server_id, volume.uuid)
                self.instances_migration(attached, counter)
            counter.add_pool(pool)

    def instances_migration(self, instances: list, counter: ActionCounter) -> None:
        for instance in instances:
            if instance.uuid in self._migrated_instances:
                continue
            if counter.is_total_max():
                break
            source = self._host_of(instance)
            if counter.is_node_max(source):
                continue
            if instance.state in LIVE_STATES:
                self._migrate(instance, "live", source)
                self.planned_live_count += 1
            elif instance.state in COLD_STATES:
                self._migrate(instance, "cold", source)
                self.planned_cold_count += 1
            counter.add_node(source)

    def _migrate(self, instance: element.Instance, migration_type: str, source: str) -> None:
        parameters = {"migration_type": migration_type, "source_node": source,
                      "resource_name": instance.name}
        destination = self.get_dst_node(source)
        if destination:
            # Without one, Nova's scheduler picks the destination.
            parameters["destination_node"] = destination
        self.solution.add_action("migrate", parameters, instance.uuid)
        self._migrated_instances.add(instance.uuid)

    def _volume_action(self, volume: storage_element.Volume, parameters: dict) -> None:
        parameters["resource_name"] = volume.name
        self.solution.add_action("volume_migrate", parameters, volume.uuid)
        self.planned_volume_count += 1
