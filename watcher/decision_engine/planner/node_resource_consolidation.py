"""Planner of the node resource consolidation strategy: keeps the strategy's order.

Every "disable" of a compute service runs first, all in parallel. Then the migrations off
each source node run one after another (so a node is emptied at a steady pace), after all
the disables; different source nodes proceed in parallel. Each "enable" waits for the last
migration of every source node. Only ``change_nova_service_state`` and ``migrate`` are
accepted.
"""

from __future__ import annotations

from watcher.common import exception
from watcher.decision_engine.model import element
from watcher.decision_engine.planner import base

DISABLED = element.ServiceState.DISABLED.value


class NodeResourceConsolidationPlanner(base.BasePlanner):
    def order(self, actions: list[dict]) -> list[tuple[dict, list[int]]]:
        disables: list[dict] = []
        enables: list[dict] = []
        migrations: dict[str, list[dict]] = {}
        for action in actions:
            kind = action["action_type"]
            parameters = action["input_parameters"]
            if kind == "change_nova_service_state":
                (disables if parameters.get("state") == DISABLED else enables).append(action)
            elif kind == "migrate":
                migrations.setdefault(parameters.get("source_node"), []).append(action)
            else:
                raise exception.UnsupportedActionType(action_type=kind)

        ordered: list[tuple[dict, list[int]]] = [(action, []) for action in disables]
        disable_indexes = list(range(len(disables)))
        last_migrations: list[int] = []
        for chain in migrations.values():
            previous: list[int] = []
            for action in chain:
                ordered.append((action, disable_indexes + previous))
                previous = [len(ordered) - 1]
            last_migrations.extend(previous)
        ordered.extend((action, list(last_migrations)) for action in enables)
        return ordered
