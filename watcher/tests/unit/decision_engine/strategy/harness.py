"""Strategy test harness: an in-memory metrics reader (the read methods strategies use, answered
from a table, every call recorded so tests can check reads are made in bulk) and helpers to run
a strategy and spell the actions it should emit."""

from __future__ import annotations

from collections.abc import Iterable

from watcher.decision_engine.planner import weight
from watcher.decision_engine.strategy import context as strategy_context


class MetricsTable:
    """``values[(meter, resource uuid)]``; a missing key reads as no value (None)."""

    NAME = "table"

    def __init__(self, values: dict[tuple[str, str], float] | None = None) -> None:
        self.values = dict(values or {})
        self.calls: list[tuple] = []

    def set(self, meter: str, **by_uuid: float) -> MetricsTable:
        for uuid, value in by_uuid.items():
            self.values[(meter, f"uuid-{uuid}")] = value
        return self

    def set_period(self, meter: str, period: float, **by_uuid: float) -> MetricsTable:
        """Values read only with that ``period`` (e.g. a mean over a longer window)."""
        for uuid, value in by_uuid.items():
            self.values[(meter, f"uuid-{uuid}", period)] = value
        return self

    def set_aggregate(self, meter: str, aggregate: str, **by_uuid: float) -> MetricsTable:
        """Values read only with that ``aggregate`` (e.g. ``p95`` beside the mean)."""
        for uuid, value in by_uuid.items():
            self.values[(meter, f"uuid-{uuid}", aggregate)] = value
        return self

    def _all(self, kind, resources: Iterable, meter, period, aggregate, granularity):
        resources = list(resources)
        self.calls.append((kind, meter, period, aggregate, granularity))
        found = {}
        for r in resources:
            for key in ((meter, r.uuid, period), (meter, r.uuid, aggregate), (meter, r.uuid)):
                if key in self.values:
                    found[r.uuid] = self.values[key]
                    break
            else:
                found[r.uuid] = None
        return found

    def host_metric_all(self, nodes, meter_name, period=300, aggregate="mean", granularity=300):
        return self._all("host", nodes, meter_name, period, aggregate, granularity)

    def instance_metric_all(self, instances, meter_name, period=300, aggregate="mean",
                            granularity=300):
        return self._all("instance", instances, meter_name, period, aggregate, granularity)

    def bulk_reads(self) -> list[str]:
        return [call[1] for call in self.calls]


def run(cls, model, reader, /, **parameters):
    """Execute strategy ``cls`` on ``model`` reading ``reader``; returns (strategy, solution)."""
    strategy = cls()
    strategy.input_parameters.update(
        strategy_context.fill_defaults(strategy.get_schema(), parameters)
    )
    strategy.compute_model = model
    strategy.datasource_backend = reader
    return strategy, strategy.execute()


def migrate(name: str, source: str, destination: str, migration_type: str = "live") -> dict:
    return {
        "action_type": "migrate",
        "input_parameters": {
            "migration_type": migration_type,
            "source_node": source,
            "destination_node": destination,
            "resource_name": name,
            "resource_id": f"uuid-{name}",
        },
    }


def indicators(solution) -> dict:
    return {row["name"]: row["value"] for row in solution.efficacy_indicators}


def planned_moves(strategy, solution) -> list[tuple[int, int, int]]:
    """The solution's migrations as packing moves (instance, source, destination rows), in
    the order the weight planner gives them."""
    problem = strategy.problem
    instance_row = {i.uuid: row for row, i in enumerate(problem.instances)}
    host_row = {n.hostname: row for row, n in enumerate(problem.hosts)}
    ordered = weight.WeightPlanner().order(solution.actions)
    moves = []
    for action, _ in ordered:
        if action["action_type"] != "migrate":
            continue
        params = action["input_parameters"]
        moves.append((instance_row[params["resource_id"]], host_row[params["source_node"]],
                      host_row[params["destination_node"]]))
    return moves
