"""Storage capacity balance: move volumes off Cinder pools used above a threshold.

A pool is over the threshold when ``total - free >= total * volume_threshold / 100``. For each
such pool its volumes are tried smallest first, available ones, then in-use non-bootable ones,
then in-use bootable ones, until the pool would drop under the threshold. A volume without a
type is migrated to the pool with the most free space that stays under the threshold and is
not over-subscribed; a typed volume is retyped to a type of such a pool's backend whose extra
specs match its own type's. Pools named in ``[watcher_strategies.storage_capacity_balance]
ex_pools``, volumes with snapshots and volumes mid-migration are left alone.

Everything comes from the storage model (pools, volumes, volume types); upstream asks Cinder
for them from the strategy. Upstream puts this strategy on the ``workload_stabilization``
planner, which has no weight for ``volume_migrate``; it uses the ``weight`` planner here.
"""

from __future__ import annotations

from oslo_log import log

from watcher.decision_engine.model import storage_element as element
from watcher.decision_engine.strategy.strategies import base

LOG = log.getLogger(__name__)

VALID_STATUSES = (element.VolumeState.IN_USE.value, element.VolumeState.AVAILABLE.value)


class StorageCapacityBalance(base.BaseStrategy):
    NAME = "storage_capacity_balance"
    DISPLAY_NAME = "Storage Capacity Balance Strategy"
    GOAL_NAME = "workload_balancing"

    VOLUME_MIGRATE = "volume_migrate"

    def __init__(self, config=None) -> None:
        super().__init__(config)
        self.source_pools: list[element.Pool] = []
        self.dest_pools: list[element.Pool] = []
        # pool name -> free GB as the plan fills it
        self._free: dict[str, float] = {}

    @classmethod
    def get_schema(cls) -> dict:
        return {
            "properties": {
                "volume_threshold": {
                    "description": "volume threshold for capacity balance",
                    "type": "number",
                    "default": 80.0,
                },
            },
        }

    @classmethod
    def get_config_opts(cls) -> list:
        from watcher.conf import strategies as strategies_opts

        return strategies_opts.OPTS[strategies_opts.STORAGE_CAPACITY_BALANCE.name]

    def pre_execute(self) -> None:
        self.storage_model  # noqa: B018  (ClusterStateNotDefined/Stale before any work)

    # -- inputs -----------------------------------------------------------------------------

    def get_pools(self) -> list[element.Pool]:
        excluded = set(getattr(self.config, "ex_pools", None) or ())
        pools = self.storage_model.get_all_pools().values()
        return sorted((p for p in pools if p.pool_name not in excluded), key=lambda p: p.name)

    @staticmethod
    def movable(volume: element.Volume) -> bool:
        return (
            volume.status in VALID_STATUSES
            and not volume.has_snapshots
            and volume.migration_status in (None, "success")
        )

    def group_pools(
        self, pools: list[element.Pool], threshold: float
    ) -> tuple[list[element.Pool], list[element.Pool]]:
        over, under = [], []
        for pool in pools:
            total = float(pool.total_capacity_gb)
            used = total - float(pool.free_capacity_gb)
            (over if used >= total * threshold else under).append(pool)
        return over, under

    # -- where a volume can go -------------------------------------------------------------

    def _destinations(self) -> list[element.Pool]:
        """Destination pools, the one with the largest free share first."""
        return sorted(
            self.dest_pools,
            key=lambda p: self._free[p.name] / float(p.total_capacity_gb or 1),
            reverse=True,
        )

    def _room(self, pool: element.Pool, volume: element.Volume, threshold: float) -> bool:
        total = float(pool.total_capacity_gb)
        ratio = float(pool.max_over_subscription_ratio or 1.0)
        if total * ratio < float(pool.allocated_capacity_gb) + float(volume.size):
            LOG.info("Pool %s would be over-subscribed", pool.name)
            return False
        return self._free[pool.name] - float(volume.size) > (1 - threshold) * total

    def migrate_fit(self, volume: element.Volume, threshold: float) -> str | None:
        """A pool to migrate an untyped volume to (typed volumes are retyped instead)."""
        if volume.volume_type:
            return None
        for pool in self._destinations():
            if self._room(pool, volume, threshold):
                self._free[pool.name] -= float(volume.size)
                return pool.name
        return None

    def backend_types(self, backend_name: str | None) -> list[str]:
        types = self.storage_model.volume_types
        return sorted(
            name
            for name, vtype in types.items()
            if backend_name and vtype["extra_specs"].get("volume_backend_name") == backend_name
        )

    def check_pool_type(self, volume: element.Volume, pool: element.Pool) -> str | None:
        """A type of ``pool``'s backend with the extra specs of the volume's own type."""
        if not volume.volume_type:
            return None
        types = self.storage_model.volume_types
        wanted = dict((types.get(volume.volume_type) or {}).get("extra_specs") or {})
        wanted.pop("volume_backend_name", None)
        for name in self.backend_types(pool.volume_backend_name):
            specs = types[name]["extra_specs"]
            if all(specs.get(k) == v for k, v in wanted.items()):
                return name if name != volume.volume_type else None
        return None

    def retype_fit(self, volume: element.Volume, threshold: float) -> str | None:
        for pool in self._destinations():
            if not self.backend_types(pool.volume_backend_name):
                continue
            if not self._room(pool, volume, threshold):
                continue
            target = self.check_pool_type(volume, pool)
            if target is None:
                continue
            self._free[pool.name] -= float(volume.size)
            return target
        return None

    # -- the plan ---------------------------------------------------------------------------

    def get_actions(
        self, pool: element.Pool, threshold: float
    ) -> tuple[dict[str, str], dict[str, str]]:
        """``(volume uuid -> new type, volume uuid -> new pool)`` relieving one pool."""
        retypes: dict[str, str] = {}
        migrations: dict[str, str] = {}
        total = float(pool.total_capacity_gb)
        used = total - float(pool.free_capacity_gb)
        volumes = [v for v in self.storage_model.get_pool_volumes(pool) if self.movable(v)]
        available = [v for v in volumes if v.status == element.VolumeState.AVAILABLE.value]
        in_use = [v for v in volumes if v.status == element.VolumeState.IN_USE.value]
        groups = (
            available,
            [v for v in in_use if not v.bootable],
            [v for v in in_use if v.bootable],
        )
        for group in groups:
            for volume in sorted(group, key=lambda v: (float(v.size), v.uuid)):
                destination = self.migrate_fit(volume, threshold)
                if destination:
                    migrations[volume.uuid] = destination
                else:
                    new_type = self.retype_fit(volume, threshold)
                    if not new_type:
                        continue
                    retypes[volume.uuid] = new_type
                used -= float(volume.size)
                if used < threshold * total:
                    return retypes, migrations
        return retypes, migrations

    def do_execute(self, audit=None) -> None:
        threshold = float(self.input_parameters.get("volume_threshold", 80.0)) / 100
        self.source_pools, self.dest_pools = self.group_pools(self.get_pools(), threshold)
        self._free = {p.name: float(p.free_capacity_gb) for p in self.dest_pools}
        LOG.info("Source pools: %s; destination pools: %s", self.source_pools, self.dest_pools)
        if not self.source_pools:
            LOG.info("No pools require optimization")
            return
        if not self.dest_pools:
            LOG.info("No enough pools for optimization")
            return
        model = self.storage_model
        for source in self.source_pools:
            retypes, migrations = self.get_actions(source, threshold)
            for uuid, new_type in retypes.items():
                self.solution.add_action(
                    self.VOLUME_MIGRATE,
                    {
                        "migration_type": "retype",
                        "destination_type": new_type,
                        "resource_name": model.get_volume_by_uuid(uuid).name,
                    },
                    uuid,
                )
            for uuid, pool_name in migrations.items():
                self.solution.add_action(
                    self.VOLUME_MIGRATE,
                    {
                        "migration_type": "migrate",
                        "destination_node": pool_name,
                        "resource_name": model.get_volume_by_uuid(uuid).name,
                    },
                    uuid,
                )
