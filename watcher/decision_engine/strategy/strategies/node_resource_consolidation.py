"""Node resource consolidation: empty lightly used compute nodes onto busier ones.

The decision uses only the resources instances are allocated (vCPU, memory, disk), no
metrics. Nodes are taken from the least to the most used vCPU (ties by hostname). Each node
in turn is a *source* if all its instances fit on nodes placed after it in that order,
tried from the busiest down, each instance on the first such node with room (first fit,
instances by decreasing vCPU, memory, disk). Nodes that received instances are
*destinations*; the walk stops at the first destination it reaches, as upstream's does.

Rules of our own, where upstream's proof of concept is silent or loose: a node is a source
only when it empties completely (upstream counted half-emptied nodes as released); a
destination takes instances from any number of sources (upstream used each once, releasing
about half the nodes it could); disk is checked too, as Placement does; instances that are
excluded from the audit or are neither active nor stopped pin their node; nodes whose
compute service is down are neither sources nor destinations. Active instances are live
migrated, stopped ones cold migrated. A continuous audit does not try again to empty a node
whose migrations failed in one of its earlier plans (as upstream).

With ``host_choice`` ``specify`` each migration names its destination. With ``auto`` the
Nova scheduler picks it: the empty and source nodes are disabled first so that it cannot
pick them, and enabled again once the migrations are done (planner
``node_resource_consolidation`` keeps that order).

The search runs on the model's array view: per-node usage is one reduction, instances of a
node are one slice of a sorted index, and the candidate destinations of a source are
filtered in one vectorised comparison before the exact first fit.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from oslo_log import log

from watcher import objects
from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.decision_engine.model import element
from watcher.decision_engine.strategy.strategies import base

LOG = log.getLogger(__name__)

AUTO = "auto"
SPECIFY = "specify"
# Instance state -> migration type; instances in other states stay where they are.
MOVABLE_STATES = {
    element.InstanceState.ACTIVE.value: "live",
    element.InstanceState.STOPPED.value: "cold",
}


@dataclasses.dataclass
class Consolidation:
    """Outcome of the search, as model uuids.

    ``moves`` lists ``(instance uuid, source node uuid, destination node uuid)`` grouped by
    source, in the order the migrations are emitted.
    """

    empty_nodes: list[str]
    sources: list[str]
    destinations: list[str]
    moves: list[tuple[str, str, str]]


def _fits(room: list[float], need: tuple[float, float, float]) -> bool:
    return need[0] <= room[0] and need[1] <= room[1] and need[2] <= room[2]


def consolidate(model, keep: frozenset[str] = frozenset()) -> Consolidation:
    """Choose the nodes to empty and where each of their instances goes.

    Nodes in ``keep`` (uuids) are not emptied; they may still receive instances.
    """
    view = model.arrays()
    nodes = [model.get_node_by_uuid(uuid) for uuid in view.node_uuids]
    instances = [model.get_instance_by_uuid(uuid) for uuid in view.instance_uuids]
    n_nodes = len(nodes)
    placement = view.placement
    usage = view.usage()
    free = view.capacity - usage

    up = np.array([node.state == element.ServiceState.ONLINE.value for node in nodes], bool)
    enabled = np.array([node.status == element.ServiceState.ENABLED.value for node in nodes], bool)
    can_receive = up & enabled
    movable = np.array(
        [i.state in MOVABLE_STATES and not i.watcher_exclude for i in instances], bool
    )
    mapped = placement >= 0
    pinned = np.bincount(placement[mapped & ~movable], minlength=n_nodes) > 0
    kept = np.array([node.uuid in keep for node in nodes], bool)
    can_give = up & ~pinned & ~kept

    # Instances grouped by node, each group in first-fit order; the uuid rank breaks ties
    # so the result does not depend on the model's insertion order.
    uuid_rank = np.argsort(np.argsort(np.array(view.instance_uuids)))
    demand = view.demand
    order = np.lexsort((uuid_rank, -demand[:, 2], -demand[:, 1], -demand[:, 0], placement))
    order = order[mapped[order]]
    counts = np.bincount(placement[order], minlength=n_nodes)
    starts = np.concatenate(([0], np.cumsum(counts)))
    needs = [tuple(row) for row in demand.tolist()]

    hostnames = np.array([node.hostname for node in nodes])
    ascending = np.lexsort((hostnames, usage[:, 0]))
    receiving = np.zeros(n_nodes, bool)
    result = Consolidation([], [], [], [])

    for position, node in enumerate(ascending.tolist()):
        if receiving[node]:
            break
        members = order[starts[node] : starts[node + 1]].tolist()
        if not members:
            result.empty_nodes.append(view.node_uuids[node])
            continue
        if not can_give[node]:
            continue
        placed = _first_fit(members, needs, ascending[position + 1 :][::-1], can_receive, free)
        if placed is None:
            continue
        moves, rooms = placed
        source = view.node_uuids[node]
        result.sources.append(source)
        for destination, room in rooms.items():
            free[destination] = room
            if not receiving[destination]:
                receiving[destination] = True
                result.destinations.append(view.node_uuids[destination])
        result.moves.extend(
            (view.instance_uuids[member], source, view.node_uuids[destination])
            for member, destination in moves
        )
    return result


def _first_fit(
    members: list[int],
    needs: list[tuple[float, float, float]],
    candidates: np.ndarray,
    can_receive: np.ndarray,
    free: np.ndarray,
) -> tuple[list[tuple[int, int]], dict[int, list[float]]] | None:
    """Place every member on the first candidate with room, or None if one does not fit.

    Returns the ``(member, destination)`` pairs in member order and each destination's room
    once they are there.
    """
    least = np.array([needs[m] for m in members]).min(axis=0)
    # A candidate without room for the smallest of each resource takes nobody: skip it in
    # one vectorised test; the exact test runs on the few that are left.
    worth = can_receive[candidates] & (free[candidates] >= least).all(axis=1)
    destination_of: dict[int, int] = {}
    rooms: dict[int, list[float]] = {}
    pending = members
    for destination in candidates[worth].tolist():
        room = free[destination].tolist()
        left = []
        for member in pending:
            need = needs[member]
            if _fits(room, need):
                room = [room[0] - need[0], room[1] - need[1], room[2] - need[2]]
                destination_of[member] = destination
            else:
                left.append(member)
        if len(left) < len(pending):
            rooms[destination] = room
        pending = left
        if not pending:
            return [(m, destination_of[m]) for m in members], rooms
    return None


class NodeResourceConsolidation(base.BaseStrategy):
    NAME = "node_resource_consolidation"
    DISPLAY_NAME = "Node Resource Consolidation strategy"
    GOAL_NAME = "server_consolidation"
    planner = "node_resource_consolidation"

    CHANGE_NOVA_SERVICE_STATE = "change_nova_service_state"
    MIGRATION = "migrate"
    REASON_FOR_DISABLE = "Watcher node resource consolidation strategy"

    def __init__(self, config=None) -> None:
        super().__init__(config)
        self.compute_nodes_count = 0
        self.released_nodes_count = 0
        self.migrations_count = 0

    @classmethod
    def get_schema(cls) -> dict:
        return {
            "properties": {
                "host_choice": {
                    "description": (
                        "How the destination of each migration is chosen: 'auto' lets the "
                        "Nova scheduler choose, 'specify' has the strategy name it."
                    ),
                    "type": "string",
                    "default": AUTO,
                },
            },
        }

    @property
    def host_choice(self) -> str:
        return self.input_parameters.get("host_choice", AUTO)

    def pre_execute(self) -> None:
        if self.host_choice not in (AUTO, SPECIFY):
            raise exception.InvalidParameter(
                parameter="host_choice", parameter_type=f"'{AUTO}' or '{SPECIFY}'"
            )

    def do_execute(self, audit=None) -> None:
        model = self.compute_model
        result = consolidate(model, self.nodes_with_failed_migrations(model, audit))
        self.compute_nodes_count = len(model.get_all_compute_nodes())
        self.released_nodes_count = len(result.sources)
        self.migrations_count = len(result.moves)
        LOG.info(
            "Consolidation: %d empty nodes, %d nodes to release, %d destinations",
            len(result.empty_nodes),
            len(result.sources),
            len(result.destinations),
        )
        if not result.sources:
            return
        disabled = []
        if self.host_choice == AUTO:
            disabled = [
                model.get_node_by_uuid(uuid)
                for uuid in result.empty_nodes + result.sources
                if model.get_node_by_uuid(uuid).status != element.ServiceState.DISABLED.value
            ]
            for node in disabled:
                self._change_state(node, element.ServiceState.DISABLED.value)
        for instance_uuid, source_uuid, destination_uuid in result.moves:
            instance = model.get_instance_by_uuid(instance_uuid)
            parameters = {
                "migration_type": MOVABLE_STATES[instance.state],
                "source_node": model.get_node_by_uuid(source_uuid).hostname,
                "resource_name": instance.name,
            }
            if self.host_choice == SPECIFY:
                parameters["destination_node"] = model.get_node_by_uuid(destination_uuid).hostname
            self.solution.add_action(self.MIGRATION, parameters, instance_uuid)
        for node in disabled:
            self._change_state(node, element.ServiceState.ENABLED.value)

    @staticmethod
    def nodes_with_failed_migrations(model, audit) -> frozenset[str]:
        """Nodes a continuous audit failed to empty before: they are not tried again.

        The instances of failed migrations are looked up in today's model, so a node that
        has since lost them may be tried again.
        """
        if audit is None or audit.audit_type != objects.audit.AuditType.CONTINUOUS.value:
            return frozenset()
        failed = objects.Action.list(
            watcher_context.get_admin_context(),
            filters={
                "audit_uuid": audit.uuid,
                "action_type": NodeResourceConsolidation.MIGRATION,
                "state": objects.action.State.FAILED,
            },
        )
        nodes = set()
        for action in failed:
            try:
                node = model.get_node_by_instance_uuid(action.input_parameters["resource_id"])
            except (exception.InstanceNotFound, exception.ComputeNodeNotFound):
                continue
            nodes.add(node.uuid)
        return frozenset(nodes)

    def _change_state(self, node: element.ComputeNode, state: str) -> None:
        parameters = {"state": state, "resource_name": node.hostname}
        if state == element.ServiceState.DISABLED.value:
            parameters["disabled_reason"] = self.REASON_FOR_DISABLE
        self.solution.add_action(self.CHANGE_NOVA_SERVICE_STATE, parameters, node.uuid)

    def post_execute(self) -> None:
        self.solution.set_efficacy_indicators(
            compute_nodes_count=self.compute_nodes_count,
            released_compute_nodes_count=self.released_nodes_count,
            instance_migrations_count=self.migrations_count,
        )
