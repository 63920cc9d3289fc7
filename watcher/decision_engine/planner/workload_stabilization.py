"""Workload stabilization planner: actions by type weight, chained only where they touch the
same resource.

Actions are taken by ``[watcher_planners.workload_stabilization] weights`` (higher first; the
solution's order is kept within a weight). Each type has upstream's parent rule:

- ``migrate``: no parents (migrations run in parallel); recorded under its instance and its
  source node.
- ``resize``: after every earlier action on its instance (e.g. its migration); recorded under
  the node the instance is on, which a planner without cloud access knows only from that
  instance's migration (its source node).
- ``change_nova_service_state``: no parents; recorded under its node.
- ``sleep``, ``nop``: no parents.
- ``turn_host_to_acpi_s3_state`` (upstream names it though no such action exists): after the
  resizes on its node and the migrations off it that no resize already waits for.

Any other action type, or one without a weight, is refused (UnsupportedActionType).
"""

from __future__ import annotations

from oslo_config import cfg

from watcher.common import exception
from watcher.conf import workload_stabilization_planner as planner_conf
from watcher.decision_engine.planner import base

ACPI_S3 = "turn_host_to_acpi_s3_state"
RULED = ("migrate", "resize", "change_nova_service_state", "sleep", "nop", ACPI_S3)


class WorkloadStabilizationPlanner(base.BasePlanner):
    def __init__(self, config: cfg.ConfigOpts | None = None) -> None:
        super().__init__(config or cfg.CONF[planner_conf.GROUP.name])

    @classmethod
    def get_config_opts(cls) -> list:
        return list(planner_conf.OPTS)

    @property
    def weights(self) -> dict[str, int]:
        return {name: int(value) for name, value in self.config.weights.items()}

    def order(self, actions: list[dict]) -> list[tuple[dict, list[int]]]:
        weights = self.weights
        unknown = {a["action_type"] for a in actions
                   if a["action_type"] not in weights or a["action_type"] not in RULED}
        if unknown:
            raise exception.UnsupportedActionType(action_type=", ".join(sorted(unknown)))
        # sorted() is stable with reverse=True: equal weights keep the solution's order.
        scheduled = sorted(actions, key=lambda a: weights[a["action_type"]], reverse=True)
        # resource (instance uuid or node name) -> [(position, action type)]
        touched: dict[str, list[tuple[int, str]]] = {}
        host_of: dict[str, str] = {}
        ordered: list[tuple[dict, list[int]]] = []
        for action in scheduled:
            kind = action["action_type"]
            params = action["input_parameters"]
            position = len(ordered)
            parents: list[int] = []
            if kind == "migrate":
                host_of.setdefault(params["resource_id"], params["source_node"])
                for resource in (params["resource_id"], params["source_node"]):
                    touched.setdefault(resource, []).append((position, kind))
            elif kind == "resize":
                instance = params["resource_id"]
                parents = [p for p, _ in touched.get(instance, [])]
                if instance in host_of:
                    touched.setdefault(host_of[instance], []).append((position, kind))
            elif kind == "change_nova_service_state":
                touched.setdefault(params["resource_id"], []).append((position, kind))
            elif kind == ACPI_S3:
                parents = self._acpi_parents(touched.get(params["resource_id"], []), ordered)
            ordered.append((action, parents))
        return ordered

    @staticmethod
    def _acpi_parents(on_host: list[tuple[int, str]],
                      ordered: list[tuple[dict, list[int]]]) -> list[int]:
        resizes = [p for p, kind in on_host if kind == "resize"]
        awaited = {parent for p in resizes for parent in ordered[p][1]}
        migrations = [p for p, kind in on_host if kind == "migrate" and p not in awaited]
        return resizes + migrations
