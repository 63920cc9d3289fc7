"""Every intermediate state of a plan, checked against the hosts' limits.

The applier runs a plan's migrations in chunks (the weight planner's parallelization): the
migrations of a chunk run at once, so while they run a destination may already hold its new
instances while the sources still hold theirs. A chunk is judged at that worst moment: all of
its incoming instances landed, none of its outgoing ones gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from watcher.decision_engine.strategy.packing.problem import COLUMNS, PackingProblem
from watcher.decision_engine.strategy.packing.state import TOLERANCE

Move = tuple[int, int, int]  # instance row, source host row, destination host row


def chunks(moves: Sequence[Move], parallel: int) -> Iterable[Sequence[Move]]:
    size = max(1, parallel)
    for start in range(0, len(moves), size):
        yield moves[start:start + size]


def violations(problem: PackingProblem, moves: Sequence[Move], parallel: int = 1) -> list[str]:
    """What goes over a limit while ``moves`` run in order, ``parallel`` at a time: one line
    per (step, host, column), empty when every intermediate state is within the limits."""
    load = problem.load()
    limit = problem.capacity * (1 + TOLERANCE) + TOLERANCE
    found = []
    for step, chunk in enumerate(chunks(list(moves), parallel), start=1):
        landing = load.copy()
        for instance, _, destination in chunk:
            landing[destination] += problem.demand[instance]
        for destination in sorted({m[2] for m in chunk}):
            for column in np.flatnonzero(landing[destination] > limit[destination]):
                found.append(
                    f"step {step}: host {problem.hosts[destination].hostname} "
                    f"{COLUMNS[column]} {landing[destination, column]:.2f} > "
                    f"{problem.capacity[destination, column]:.2f}")
        for instance, source, destination in chunk:
            load[source] -= problem.demand[instance]
            load[destination] += problem.demand[instance]
    return found
