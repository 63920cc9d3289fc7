"""Noisy neighbor (goal ``noisy_neighbor``; a proof of concept upstream).

On a host with several instances, a *priority* instance whose last-level cache use
(``instance_l3_cache_usage``) dropped by more than ``cache_threshold`` percent over the last
``period`` seconds, next to a *noisy* one whose use rose by more than that, points at the
noisy one stealing the cache. The previous value is derived from the mean over twice the
period: previous = 2 x mean(2 x period) - mean(period).

Instances are ranked by their ``watcher-priority`` metadata (a lower number is a higher
priority; 5 when unset): priority candidates are taken from the top, noisy ones from the
bottom, and the search on a host stops where the two meet. The noisy instance of the host
whose priority instance ranks highest (ties by hostname) is live migrated to the first host
(by hostname) without a noisy instance that has room for it. One migration per audit.

Departures from upstream's proof of concept, whose cache reads passed their arguments in
the wrong order (and so never returned a value) and whose ranking compared instances: the
reads are made as documented, in bulk; excluded or non-active instances are never chosen
as the noisy one; only enabled, up hosts take part; migrations name hosts by hostname.
"""

from __future__ import annotations

from oslo_log import log

from watcher.decision_engine.strategy.strategies import metric_base

LOG = log.getLogger(__name__)

DEFAULT_WATCHER_PRIORITY = 5
METER = "instance_l3_cache_usage"


def priority(instance) -> int:
    try:
        return int((instance.metadata or {}).get("watcher-priority", DEFAULT_WATCHER_PRIORITY))
    except (TypeError, ValueError):
        return DEFAULT_WATCHER_PRIORITY


class NoisyNeighbor(metric_base.MetricStrategy):
    NAME = "noisy_neighbor"
    DISPLAY_NAME = "Noisy Neighbor"
    GOAL_NAME = "noisy_neighbor"
    DATASOURCE_METRICS = (METER,)

    @classmethod
    def get_schema(cls) -> dict:
        return {
            "properties": {
                "cache_threshold": {
                    "description": "Performance drop in L3_cache threshold for migration",
                    "type": "number",
                    "default": 35.0,
                },
                "period": {
                    "description": "Aggregate time period of ceilometer and gnocchi",
                    "type": "number",
                    "default": 100.0,
                },
            },
        }

    def _cache(self, instances) -> dict[str, tuple[float, float]]:
        """``{uuid: (current, previous)}`` for the instances with both readings."""
        period = self.input_parameters.period
        current = self.instance_metric(instances, METER, period, "mean", 300)
        longer = self.instance_metric(instances, METER, 2 * period, "mean", 300)
        return {uuid: (value, 2 * longer[uuid] - value) for uuid, value in current.items()
                if uuid in longer}

    def _pair(self, instances, cache) -> tuple | None:
        """``(priority instance, noisy instance)`` on one host, if any."""
        ratio = float(self.input_parameters.cache_threshold) / 100.0
        ranked = sorted(instances, key=priority)
        for candidate in ranked:
            values = cache.get(candidate.uuid)
            if values is None or not values[0] < (1 - ratio) * values[1]:
                continue
            for noisy in reversed(ranked):
                if noisy is candidate:
                    return None
                values = cache.get(noisy.uuid)
                if (values is not None and values[0] > (1 + ratio) * values[1]
                        and self.is_movable(noisy)):
                    return candidate, noisy
            return None
        return None

    def do_execute(self, audit=None) -> None:
        model = self.compute_model
        nodes = self.available_nodes()
        crowded = [n for n in nodes if len(model.get_node_instances(n)) > 1]
        cache = self._cache([i for n in crowded for i in model.get_node_instances(n)])
        found = {}
        for node in crowded:
            pair = self._pair(model.get_node_instances(node), cache)
            if pair is not None:
                LOG.debug("Priority instance %s, noisy instance %s on %s", pair[0].uuid,
                          pair[1].uuid, node.hostname)
                found[node.uuid] = pair
        if not found:
            LOG.debug("No hosts require optimization")
            return
        source = min((n for n in crowded if n.uuid in found),
                     key=lambda n: (priority(found[n.uuid][0]), n.hostname))
        noisy = found[source.uuid][1]
        destination = next((n for n in nodes if n.uuid not in found
                            and metric_base.fits(model.get_node_free_resources(n), noisy)),
                           None)
        if destination is None:
            LOG.info("No proper target host could be found")
            return
        if model.migrate_instance(noisy, source, destination):
            self.add_action_migrate(noisy, metric_base.LIVE, source, destination)
