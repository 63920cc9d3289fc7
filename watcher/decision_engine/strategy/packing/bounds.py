"""Lower bounds a consolidation plan is judged against.

Hosts: no plan can hold the instances on fewer hosts than the largest, over each column, of
the fewest hosts whose capacities add up to the instances' total (the biggest hosts first),
nor on fewer hosts than those holding instances that may not move.

Migrations, for a plan ending with ``k`` active hosts: every instance of a host that is
emptied moves, and a host over its limits keeps at least one move; the cheapest such choice
is a bound no plan reaching ``k`` hosts can beat.
"""

from __future__ import annotations

import numpy as np

from watcher.decision_engine.strategy.packing.problem import PackingProblem


def _pinned_hosts(problem: PackingProblem) -> np.ndarray:
    pinned = np.zeros(problem.n_hosts, dtype=bool)
    pinned[problem.placement[~problem.movable]] = True
    return pinned


def _common_step(demands: np.ndarray) -> int:
    """The greatest common divisor of whole-number demands (1 when some are fractional)."""
    if not len(demands) or not np.all(demands == np.round(demands)):
        return 1
    return int(np.gcd.reduce(demands.astype(np.int64))) or 1


def host_lower_bound(problem: PackingProblem, physical: bool = True,
                     columns: tuple[int, ...] = (0, 1, 2, 3, 4)) -> int:
    """Fewest hosts that can hold every instance, over ``columns``; with ``physical`` the
    measured use is held against the whole physical host (no usage limit)."""
    pinned = _pinned_hosts(problem)
    eligible = problem.receives | pinned
    capacity = problem.capacity[eligible]
    if physical:
        capacity = capacity / problem.usage_limits
    bound = int(pinned.sum())
    total = problem.demand.sum(axis=0)
    for column in columns:
        if total[column] <= 0:
            continue
        usable = capacity[:, column]
        step = _common_step(problem.demand[:, column])
        if step > 1:
            # Flavors in multiples of 2 GB fill a 127.5 GB host with 126 GB at most.
            usable = np.floor(usable / step + 1e-9) * step
        cumulative = np.cumsum(np.sort(usable)[::-1])
        needed = int(np.searchsorted(cumulative, total[column] * (1 - 1e-12))) + 1
        bound = max(bound, min(needed, len(cumulative)))
    return max(bound, 1 if problem.n_instances else 0)


def migration_lower_bound(problem: PackingProblem, active_after: int) -> int:
    """Fewest migrations of any plan that ends with ``active_after`` active hosts."""
    counts = np.bincount(problem.placement, minlength=problem.n_hosts)
    active = counts > 0
    over = (problem.load() > problem.capacity * (1 + 1e-9) + 1e-9).any(axis=1) & active
    to_empty = int(active.sum()) - active_after
    emptiable = active & ~_pinned_hosts(problem)
    if to_empty <= 0:
        return int(over.sum())
    # Emptying an overloaded host also relieves it: its cost is one move less.
    cost = np.sort(counts[emptiable] - over[emptiable])
    if to_empty > len(cost):
        return int(counts[emptiable].sum())
    return int(cost[:to_empty].sum()) + int(over.sum())
