"""Outlet temperature control (strategy ``outlet_temperature``, goal ``thermal_optimization``;
a proof of concept upstream).

Hosts whose outlet temperature (``host_outlet_temp``, mean over ``period``) is at or above
``threshold`` are hot. From the hottest, the first active, non-excluded instance is live
migrated to the coolest host under the threshold that has room for its flavor. One
migration per audit: the temperatures must be measured again before the next decision.

Only enabled, up hosts take part; a host without a reading is neither hot nor a target
(logged). Migrations name nodes by hostname, as the migrate action expects (upstream's
proof of concept passed node UUIDs here).
"""

from __future__ import annotations

from oslo_log import log

from watcher.decision_engine.strategy.strategies import metric_base

LOG = log.getLogger(__name__)


class OutletTempControl(metric_base.MetricStrategy):
    NAME = "outlet_temperature"
    DISPLAY_NAME = "Outlet temperature based strategy"
    GOAL_NAME = "thermal_optimization"
    DATASOURCE_METRICS = ("host_outlet_temp",)

    @classmethod
    def get_schema(cls) -> dict:
        return {
            "properties": {
                "threshold": {
                    "description": "temperature threshold for migration",
                    "type": "number",
                    "default": 35.0,
                },
                "period": {
                    "description": "The time interval in seconds for getting statistic "
                    "aggregation",
                    "type": "number",
                    "default": 30,
                },
                "granularity": {
                    "description": "The time between two measures in an aggregated timeseries "
                    "of a metric.",
                    "type": "number",
                    "default": 300,
                },
            },
        }

    def do_execute(self, audit=None) -> None:
        params = self.input_parameters
        model = self.compute_model
        threshold = float(params.threshold)
        nodes = self.available_nodes()
        temperature = self.host_metric(nodes, "host_outlet_temp", params.period,
                                       granularity=params.granularity)
        measured = [n for n in nodes if n.uuid in temperature]
        hot = sorted((n for n in measured if temperature[n.uuid] >= threshold),
                     key=lambda n: temperature[n.uuid], reverse=True)
        cool = sorted((n for n in measured if temperature[n.uuid] < threshold),
                      key=lambda n: temperature[n.uuid])
        if not hot:
            LOG.debug("No hosts require optimization")
            return
        if not cool:
            LOG.warning("No hosts under outlet temp threshold found")
            return
        for source in hot:
            instance = next((i for i in model.get_node_instances(source)
                             if self.is_movable(i)), None)
            if instance is not None:
                break
        else:
            LOG.info("No active instance to move off the hot hosts")
            return
        destination = next((n for n in cool
                            if metric_base.fits(model.get_node_free_resources(n), instance)),
                           None)
        if destination is None:
            LOG.info("No proper target host could be found")
            return
        if model.migrate_instance(instance, source, destination):
            self.add_action_migrate(instance, metric_base.LIVE, source, destination)
