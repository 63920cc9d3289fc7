"""What the metric-driven strategies share: their ``datasources`` option, node eligibility,
bulk metric reads that log and drop the resources without a value, and upstream's migrate
action parameters.

Each strategy reads every metric it needs once, for all hosts or all instances, through the
datasource's bulk reads (one backend query per metric where the backend allows it); later
per-resource reads of the same metric come from the audit's cache.
"""

from __future__ import annotations

from collections.abc import Iterable

from oslo_config import cfg
from oslo_log import log

from watcher.conf import strategies as strategies_conf
from watcher.decision_engine.model import element
from watcher.decision_engine.strategy.strategies import base

LOG = log.getLogger(__name__)

MIGRATION = "migrate"
CHANGE_NOVA_SERVICE_STATE = "change_nova_service_state"
LIVE = "live"
COLD = "cold"
ENABLED = element.ServiceState.ENABLED.value
DISABLED = element.ServiceState.DISABLED.value
ONLINE = element.ServiceState.ONLINE.value


class MetricStrategy(base.BaseStrategy):
    """A strategy reading a datasource, with upstream's ``[watcher_strategies.<name>]``."""

    MIGRATION = MIGRATION

    @classmethod
    def get_config_opts(cls) -> list[cfg.Opt]:
        return list(strategies_conf.OPTS.get(f"watcher_strategies.{cls.get_name()}", []))

    def pre_execute(self) -> None:
        LOG.info("Initializing %s", self.get_display_name())
        # Raises ClusterStateNotDefined / ClusterStateStale before any metric is read.
        self.compute_model  # noqa: B018

    def available_nodes(self, include_disabled: bool = False) -> list[element.ComputeNode]:
        """Nodes whose compute service is up (and enabled unless ``include_disabled``), in
        hostname order so plans do not depend on the model's insertion order."""
        statuses = (ENABLED, DISABLED) if include_disabled else (ENABLED,)
        nodes = [
            node
            for node in self.compute_model.get_all_compute_nodes().values()
            if node.state == ONLINE and node.status in statuses
        ]
        return sorted(nodes, key=lambda node: node.hostname)

    def host_metric(
        self,
        nodes: Iterable[element.ComputeNode],
        meter: str,
        period: float,
        aggregate: str = "mean",
        granularity: float = 300,
    ) -> dict[str, float]:
        """``{node uuid: value}`` of ``meter`` for the nodes that have one."""
        nodes = list(nodes)
        values = self.datasource_backend.host_metric_all(
            nodes, meter, period=period, aggregate=aggregate, granularity=granularity
        )
        return _known_values(nodes, values, lambda node: LOG.warning(
            "%s: no %s value for node %s, skipped", self.get_name(), meter, node.hostname))

    def instance_metric(
        self,
        instances: Iterable[element.Instance],
        meter: str,
        period: float,
        aggregate: str = "mean",
        granularity: float = 300,
    ) -> dict[str, float]:
        """``{instance uuid: value}`` of ``meter`` for the instances that have one."""
        instances = list(instances)
        values = self.datasource_backend.instance_metric_all(
            instances, meter, period=period, aggregate=aggregate, granularity=granularity
        )
        return _known_values(instances, values, lambda instance: LOG.debug(
            "%s: no %s value for instance %s", self.get_name(), meter, instance.uuid))

    @staticmethod
    def is_movable(instance: element.Instance, states: tuple[str, ...] = (
            element.InstanceState.ACTIVE.value,)) -> bool:
        """Whether the audit may move ``instance`` (not excluded, in one of ``states``)."""
        if instance.watcher_exclude:
            LOG.debug("Instance %s is excluded by the audit scope, skipped", instance.uuid)
            return False
        if instance.state not in states:
            LOG.debug("Instance %s is %s, skipped", instance.uuid, instance.state)
            return False
        return True

    def add_action_migrate(
        self,
        instance: element.Instance,
        migration_type: str,
        source_node: element.ComputeNode,
        destination_node: element.ComputeNode,
    ) -> None:
        parameters = {
            "migration_type": migration_type,
            "source_node": source_node.hostname,
            "destination_node": destination_node.hostname,
            "resource_name": instance.name,
        }
        self.solution.add_action(MIGRATION, parameters, instance.uuid)


class WorkloadStabilizationBaseStrategy(MetricStrategy):
    """Strategies of the workload_balancing goal, ordered by their own planner."""

    GOAL_NAME = "workload_balancing"
    planner = "workload_stabilization"


def fits(free: dict[str, float], instance: element.Instance) -> bool:
    """Whether an instance's flavor fits in a node's free vCPU, memory and disk."""
    return (
        free["vcpu"] >= (instance.vcpus or 0)
        and free["memory"] >= (instance.memory or 0)
        and free["disk"] >= (instance.disk or 0)
    )


def _known_values(resources: list, values: dict, report_missing) -> dict[str, float]:
    """``{uuid: value}`` of the resources that have a value; ``report_missing`` for the rest."""
    found = {}
    for resource in resources:
        value = values.get(resource.uuid)
        if value is None:
            report_missing(resource)
        else:
            found[resource.uuid] = float(value)
    return found
