"""Fast consolidation: keep the hosts that are dearest to empty, pack the rest into them.

1. Relief: a host over a limit sends its largest instances (in the columns it is over) to
   the first host, in keeping order, that takes them, until it is within its limits.
2. For a number ``k`` of hosts to keep, the ``k`` hosts first in keeping order stay (hosts
   with instances that may not move, or that received in step 1, come first; then the ones
   with the most movable instances), and every instance of the other active hosts is placed,
   biggest first, on the kept host it fits best (the smallest normalised room left). For a
   given ``k`` this moves exactly the fewest instances any plan emptying that many hosts
   can, whenever the packing succeeds.
3. ``k`` is searched from the lower bound up, in doubling steps, then by bisection.
"""

from __future__ import annotations

import numpy as np
from oslo_log import log

from watcher.decision_engine.strategy.packing import bounds
from watcher.decision_engine.strategy.packing.problem import PackingProblem
from watcher.decision_engine.strategy.packing.state import Packing

LOG = log.getLogger(__name__)


def keeping_order(state: Packing) -> np.ndarray:
    """Host rows, the ones to keep first: those that must stay, then the dearest to empty
    (most movable instances, then the most loaded), then host order; empty hosts last."""
    problem = state.problem
    counts = np.bincount(state.placement[problem.movable], minlength=problem.n_hosts)
    pinned = np.zeros(problem.n_hosts, dtype=bool)
    pinned[state.placement[~problem.movable]] = True
    must_stay = pinned | state.received
    scale = np.where(problem.capacity > 0, problem.capacity, 1.0)
    load = (state.load / scale).sum(axis=1)
    empty = ~state.active()
    rows = np.arange(problem.n_hosts)
    return np.lexsort((rows, -load, -counts, ~must_stay, empty))


def relieve(state: Packing) -> None:
    """Move instances off hosts that are over a limit (step 1)."""
    problem = state.problem
    scale = np.where(problem.capacity > 0, problem.capacity, 1.0)
    for host in np.flatnonzero(state.over()):
        order = keeping_order(state)
        candidates = order[order != host]
        excess = state.load[host] > problem.capacity[host]
        rows = [i for i in np.flatnonzero(state.placement == host) if state.may_move(i)]
        rows.sort(key=lambda i: (-float((problem.demand[i] / scale[host])[excess].max()), i))
        for instance in rows:
            if not state.over()[host]:
                break
            fits = state.fitting(instance, candidates)
            if fits.any():
                state.move(instance, int(candidates[int(np.argmax(fits))]))
        if state.over()[host]:
            LOG.warning("Host %s stays over its limits: no host can take enough of its "
                        "instances", problem.hosts[host].hostname)


def pack_into(state: Packing, kept: np.ndarray) -> bool:
    """Move every instance of the active hosts outside ``kept`` onto ``kept`` (step 2);
    False, with ``state`` unchanged, when one of them fits nowhere."""
    problem = state.problem
    active = state.active()
    leaving = active.copy()
    leaving[kept] = False
    rows = np.flatnonzero(leaving[state.placement])
    if not all(state.may_move(i) for i in rows):
        return False
    targets = kept[problem.receives[kept] & ~state.sent[kept]]
    if not len(targets):
        return not len(rows)
    room = (problem.capacity[targets] - state.load[targets]).sum(axis=0)
    if (problem.demand[rows].sum(axis=0) > room + 1e-9).any():
        return False  # not even the total fits: no need to try instance by instance
    capacity = problem.capacity[targets]
    limit = state.limit[targets]
    load = state.load[targets].copy()
    inverse = 1.0 / np.where(capacity > 0, capacity, 1.0)
    size = (problem.demand[rows] * np.median(inverse, axis=0)).max(axis=1)
    chosen = []
    # Local copies of the targets' rows: the loop is the heuristic's hot path.
    for instance in rows[np.lexsort((rows, -size))]:
        after = load + problem.demand[instance]
        fits = (after <= limit).all(axis=1)
        if not fits.any():
            return False
        score = (((capacity - after) * inverse) ** 2).sum(axis=1)
        best = int(np.argmin(np.where(fits, score, np.inf)))
        load[best] = after[best]
        chosen.append((instance, int(targets[best])))
    for instance, destination in chosen:
        state.move(instance, destination)
    return True


def consolidate(problem: PackingProblem) -> Packing:
    """The heuristic plan: the fewest kept hosts the packing reaches (steps 1 to 3)."""
    state = Packing(problem)
    relieve(state)
    order = keeping_order(state)
    active = int(state.active().sum())
    low = min(active, bounds.host_lower_bound(problem, physical=False))
    start = state.checkpoint()
    best, high = start, active
    # Gallop up from the bound (plans usually land just above it), then bisect the gap.
    step = 1
    while low < high:
        trial = min(high - 1, low + step - 1) if step else (low + high) // 2
        state.restore(start)
        if pack_into(state, order[:trial]):
            best, high, step = state.checkpoint(), trial, 0
        else:
            low = trial + 1
            step = step * 2 if step else 0
    state.restore(best)
    return state
