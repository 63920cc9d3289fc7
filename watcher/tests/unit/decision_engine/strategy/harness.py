"""Strategy test harness: an in-memory metrics reader (the read methods strategies use, answered
from a table, every call recorded so tests can check reads are made in bulk) and helpers to run
a strategy and spell the actions it should emit."""

from __future__ import annotations

from collections.abc import Iterable

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

    def _all(self, kind, resources: Iterable, meter, period, aggregate, granularity):
        resources = list(resources)
        self.calls.append((kind, meter, period, aggregate, granularity))
        return {r.uuid: self.values.get((meter, r.uuid, period), self.values.get((meter, r.uuid)))
                for r in resources}

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
