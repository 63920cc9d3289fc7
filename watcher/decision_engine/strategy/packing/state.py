"""A placement being planned: per-host load kept in step with each move.

Every host plays at most one role in a plan: it sends instances or it receives them, never
both, and an instance moves at most once. Then a receiving host's load only grows towards its
final value and a sending host's only shrinks, so if the final placement is within the limits
every intermediate one is too, in whatever order and with whatever parallelism the applier
runs the migrations.
"""

from __future__ import annotations

import numpy as np

from watcher.decision_engine.strategy.packing.problem import PackingProblem

# Floating point slack when comparing a load with a capacity.
TOLERANCE = 1e-9


class Packing:
    def __init__(self, problem: PackingProblem) -> None:
        self.problem = problem
        self.placement = problem.placement.copy()
        self.load = problem.load()
        self.sent = np.zeros(problem.n_hosts, dtype=bool)
        self.received = np.zeros(problem.n_hosts, dtype=bool)
        self.moved = np.zeros(problem.n_instances, dtype=bool)
        self.order: list[int] = []  # instance rows in the order they were moved
        # Capacity plus slack, so that a fit test is one comparison.
        self.limit = problem.capacity * (1 + TOLERANCE) + TOLERANCE

    # -- snapshots, for trial packings ------------------------------------------------------

    def checkpoint(self) -> tuple:
        return (self.placement.copy(), self.load.copy(), self.sent.copy(),
                self.received.copy(), self.moved.copy(), list(self.order))

    def restore(self, saved: tuple) -> None:
        placement, load, sent, received, moved, order = saved
        self.placement, self.load = placement.copy(), load.copy()
        self.sent, self.received, self.moved = sent.copy(), received.copy(), moved.copy()
        self.order = list(order)

    # -- queries ----------------------------------------------------------------------------

    def over(self) -> np.ndarray:
        """Hosts whose load exceeds a capacity in some column."""
        return (self.load > self.limit).any(axis=1)

    def may_move(self, instance: int) -> bool:
        host = self.placement[instance]
        return (bool(self.problem.movable[instance]) and not self.moved[instance]
                and not self.received[host])

    def fitting(self, instance: int, candidates: np.ndarray) -> np.ndarray:
        """The candidate hosts that may take ``instance`` now (a boolean per candidate)."""
        need = self.problem.demand[instance]
        room = (self.load[candidates] + need <= self.limit[candidates]).all(axis=1)
        return room & self.problem.receives[candidates] & ~self.sent[candidates]

    def active(self) -> np.ndarray:
        return np.bincount(self.placement, minlength=self.problem.n_hosts) > 0

    # -- changes ----------------------------------------------------------------------------

    def move(self, instance: int, destination: int) -> None:
        source = int(self.placement[instance])
        if source == destination or not self.may_move(instance):
            raise ValueError(f"instance row {instance} cannot move from {source}")
        need = self.problem.demand[instance]
        self.load[source] -= need
        self.load[destination] += need
        self.placement[instance] = destination
        self.sent[source] = True
        self.received[destination] = True
        self.moved[instance] = True
        self.order.append(int(instance))

    def moves(self) -> list[tuple[int, int, int]]:
        """``(instance row, source row, destination row)`` of each move, in move order."""
        return [(i, int(self.problem.placement[i]), int(self.placement[i])) for i in self.order]
