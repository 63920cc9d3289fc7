"""Weight planner: heavier action types first, bounded parallelism within a type.

Actions are grouped by their type's weight (``[watcher_planners.weight] weights``, higher
first) and each group is cut into chunks of ``parallelization[type]`` actions. Every action
of a chunk depends on every action of the chunk before it, so chunks run one after another
and the actions inside a chunk run in parallel.
"""

from __future__ import annotations

from oslo_config import cfg

from watcher.common import exception
from watcher.decision_engine.planner import base

GROUP = "watcher_planners.weight"


class WeightPlanner(base.BasePlanner):
    def __init__(self, config: cfg.ConfigOpts | None = None) -> None:
        super().__init__(config or cfg.CONF[GROUP])

    @property
    def weights(self) -> dict[str, int]:
        return {name: int(value) for name, value in self.config.weights.items()}

    @property
    def parallelization(self) -> dict[str, int]:
        return {name: int(value) for name, value in self.config.parallelization.items()}

    def order(self, actions: list[dict]) -> list[tuple[dict, list[int]]]:
        weights = self.weights
        unknown = {a["action_type"] for a in actions if a["action_type"] not in weights}
        if unknown:
            raise exception.UnsupportedActionType(action_type=", ".join(sorted(unknown)))
        # Keyed by (weight, type) so two types misconfigured with one weight stay apart.
        by_weight: dict[tuple[int, str], list[dict]] = {}
        for action in actions:
            kind = action["action_type"]
            by_weight.setdefault((weights[kind], kind), []).append(action)

        ordered: list[tuple[dict, list[int]]] = []
        previous_chunk: list[int] = []
        for key in sorted(by_weight, key=lambda k: (-k[0], k[1])):
            group = by_weight[key]
            size = max(1, self.parallelization.get(key[1], 1))
            for start in range(0, len(group), size):
                chunk = []
                for action in group[start : start + size]:
                    ordered.append((action, list(previous_chunk)))
                    chunk.append(len(ordered) - 1)
                previous_chunk = chunk
        return ordered
