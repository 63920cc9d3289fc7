"""Uniform airflow (goal ``airflow_optimization``; a proof of concept upstream).

Hosts whose airflow (``host_airflow``, mean over ``period``, 0.1 CFM) is at or above
``threshold_airflow`` are sources, the others targets. From the source with the most
airflow: when its power (``host_power``) is under ``threshold_power`` and its inlet
temperature (``host_inlet_temp``) under ``threshold_inlet_t``, the airflow is taken as a
hardware issue and every instance leaves the host; otherwise its first active instance does.
Instances are placed largest vCPU count first, each on the target with the least airflow that
still has room for its flavor; when one of them has nowhere to go, nothing moves.

Only enabled, up hosts take part; a host without an airflow reading is neither source nor
target (logged), one without power or inlet readings is not treated as a hardware issue.
Excluded instances, and (as for the single move) non-active ones, stay.
"""

from __future__ import annotations

from oslo_log import log

from watcher.decision_engine.strategy.strategies import metric_base

LOG = log.getLogger(__name__)


class UniformAirflow(metric_base.MetricStrategy):
    NAME = "uniform_airflow"
    DISPLAY_NAME = "Uniform airflow migration strategy"
    GOAL_NAME = "airflow_optimization"
    DATASOURCE_METRICS = ("host_airflow", "host_inlet_temp", "host_power")

    @classmethod
    def get_schema(cls) -> dict:
        return {
            "properties": {
                "threshold_airflow": {
                    "description": "airflow threshold for migration, Unit is 0.1CFM",
                    "type": "number",
                    "default": 400.0,
                },
                "threshold_inlet_t": {
                    "description": "inlet temperature threshold for migration decision",
                    "type": "number",
                    "default": 28.0,
                },
                "threshold_power": {
                    "description": "system power threshold for migration decision",
                    "type": "number",
                    "default": 350.0,
                },
                "period": {
                    "description": "aggregate time period of ceilometer and gnocchi",
                    "type": "number",
                    "default": 300,
                },
                "granularity": {
                    "description": "The time between two measures in an aggregated timeseries "
                    "of a metric.",
                    "type": "number",
                    "default": 300,
                },
            },
        }

    def _read(self, nodes, meter: str) -> dict[str, float]:
        params = self.input_parameters
        return self.host_metric(nodes, meter, params.period, granularity=params.granularity)

    def do_execute(self, audit=None) -> None:
        params = self.input_parameters
        model = self.compute_model
        nodes = self.available_nodes()
        airflow = self._read(nodes, "host_airflow")
        measured = [n for n in nodes if n.uuid in airflow]
        limit = float(params.threshold_airflow)
        sources = sorted((n for n in measured if airflow[n.uuid] >= limit),
                         key=lambda n: airflow[n.uuid], reverse=True)
        targets = sorted((n for n in measured if airflow[n.uuid] < limit),
                         key=lambda n: airflow[n.uuid])
        if not sources:
            LOG.debug("No hosts require optimization")
            return
        if not targets:
            LOG.warning("No hosts currently have airflow under %s, therefore there are no "
                        "possible target hosts for any migration", limit)
            return
        chosen = self._instances_to_move(sources)
        if chosen is None:
            return
        source, instances = chosen
        placement = self._place(instances, targets)
        if placement is None:
            LOG.warning("No target host could be found; it might be because there is not "
                        "enough resources")
            return
        for instance, destination in placement:
            if model.migrate_instance(instance, source, destination):
                self.add_action_migrate(instance, metric_base.LIVE, source, destination)

    def _instances_to_move(self, sources):
        """``(source, instances)``: all of a host with a hardware issue, else its first
        active instance, from the first source that has any."""
        model = self.compute_model
        params = self.input_parameters
        occupied = [n for n in sources if model.get_node_instances(n)]
        inlet = self._read(occupied, "host_inlet_temp") if occupied else {}
        power = self._read(occupied, "host_power") if occupied else {}
        for node in occupied:
            movable = [i for i in model.get_node_instances(node) if self.is_movable(i)]
            if not movable:
                continue
            hardware_issue = (
                node.uuid in power and node.uuid in inlet
                and power[node.uuid] < float(params.threshold_power)
                and inlet[node.uuid] < float(params.threshold_inlet_t)
            )
            return node, movable if hardware_issue else movable[:1]
        LOG.info("No active instance on the hosts above the airflow threshold")
        return None

    def _place(self, instances, targets):
        """``[(instance, target)]`` for all of them, or None when one does not fit."""
        model = self.compute_model
        free = {n.uuid: model.get_node_free_resources(n) for n in targets}
        placement = []
        for instance in sorted(instances, key=lambda i: i.vcpus, reverse=True):
            target = next((n for n in targets if metric_base.fits(free[n.uuid], instance)),
                          None)
            if target is None:
                return None
            room = free[target.uuid]
            room["vcpu"] -= instance.vcpus or 0
            room["memory"] -= instance.memory or 0
            room["disk"] -= instance.disk or 0
            placement.append((instance, target))
        return placement
