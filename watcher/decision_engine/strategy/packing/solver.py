"""Improving a heuristic plan with OR-Tools CP-SAT: one active host fewer, fewest moves.

The model: each movable instance is placed on its own host or on one of the candidate hosts
(the hosts the heuristic kept, plus the next ones in keeping order); a host is active when it
holds an instance; every active host stays within its five capacities; a host either sends
or receives, never both (so every intermediate state is safe, see ``state``); at most one
host fewer than the heuristic's plan is active. Within that, the fewest instances move. The
heuristic keeps the hosts dearest to empty and packs by best fit; the solver may keep
another set of hosts or pack differently where best fit leaves room in the wrong places.

Quantities are made integers conservatively (demands rounded up, capacities down), so a
solution of the model is within the real limits. The heuristic's placement is the hint,
and the search is bounded by CP-SAT's deterministic time on one worker: the same problem
gives the same plan on any machine. A solver answer is taken only when it is better.
"""

from __future__ import annotations

import numpy as np
from oslo_log import log

from watcher.decision_engine.strategy.packing import heuristic
from watcher.decision_engine.strategy.packing.problem import PackingProblem
from watcher.decision_engine.strategy.packing.state import Packing

LOG = log.getLogger(__name__)

# Units per column that make quantities integers: vCPUs, MB, GB, hundredths of a core, MB.
_UNITS = np.array([1.0, 1.0, 1.0, 100.0, 1.0])
# Beyond this many placement variables the model is not built: the heuristic plan stands.
MAX_VARIABLES = 400_000


def objective(state: Packing) -> tuple[int, int]:
    return int(state.active().sum()), int(state.moved.sum())


def _candidates(state: Packing, spare: int) -> np.ndarray:
    """Hosts that may receive in the model: the heuristic's receivers and kept hosts, then
    ``spare`` more in keeping order."""
    problem = state.problem
    kept = state.active() & problem.receives & ~state.sent
    order = [h for h in heuristic.keeping_order(Packing(problem))
             if problem.receives[h]]
    extra = [h for h in order if not kept[h]][:spare]
    return np.array(sorted(set(np.flatnonzero(kept).tolist()) | set(extra)), dtype=np.int64)


def improve(problem: PackingProblem, start: Packing, time_limit: float) -> Packing:
    """A better plan than ``start`` when CP-SAT finds one within ``time_limit``
    deterministic seconds, else ``start``."""
    if time_limit <= 0 or not problem.movable.any():
        return start
    movable = np.flatnonzero(problem.movable)
    spare = max(2, int(0.25 * start.active().sum()))
    candidates = _candidates(start, spare)
    while spare > 0 and len(movable) * (len(candidates) + 1) > MAX_VARIABLES:
        spare //= 2
        candidates = _candidates(start, spare)
    if len(movable) * (len(candidates) + 1) > MAX_VARIABLES:
        LOG.info("Solver skipped: %d instances x %d candidate hosts is too large a model",
                 len(movable), len(candidates))
        return start
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        LOG.warning("OR-Tools is not installed: the heuristic plan is kept")
        return start
    return _solve(cp_model, problem, start, candidates, time_limit)


def _solve(cp_model, problem: PackingProblem, start: Packing, candidates: np.ndarray,
           time_limit: float) -> Packing:
    model = cp_model.CpModel()
    origin = problem.placement
    hosts = sorted(set(candidates.tolist()) | set(origin.tolist()))
    demand = np.ceil(problem.demand * _UNITS - 1e-9).astype(np.int64)
    # A host the heuristic could not bring within its limits keeps its final load as limit.
    capacity = np.floor(np.maximum(problem.capacity - problem.base,
                                   start.load - problem.base) * _UNITS + 1e-9)
    capacity = np.maximum(capacity, 0).astype(np.int64)
    pinned_load = np.zeros((problem.n_hosts, 5), dtype=np.int64)
    np.add.at(pinned_load, origin[~problem.movable], demand[~problem.movable])
    capacity = np.maximum(capacity, pinned_load)

    is_candidate = np.zeros(problem.n_hosts, dtype=bool)
    is_candidate[candidates] = True
    active = {h: model.NewBoolVar(f"active_{h}") for h in hosts}
    sends = {h: model.NewBoolVar(f"sends_{h}") for h in hosts}
    receives = {h: model.NewBoolVar(f"receives_{h}") for h in hosts}
    placed: dict[int, dict[int, object]] = {}
    on_host: dict[int, list] = {h: [] for h in hosts}
    for i in np.flatnonzero(problem.movable).tolist():
        options = {int(origin[i])} | set(candidates.tolist())
        placed[i] = {h: model.NewBoolVar(f"x_{i}_{h}") for h in sorted(options)}
        model.AddExactlyOne(placed[i].values())
        for h, var in placed[i].items():
            on_host[h].append((i, var))
    pinned_count = np.bincount(origin[~problem.movable], minlength=problem.n_hosts)
    for h in hosts:
        items = on_host[h]
        for column in range(5):
            terms = [int(demand[i, column]) * var for i, var in items if demand[i, column]]
            fixed = int(pinned_load[h, column])
            model.Add(sum(terms) + fixed <= int(capacity[h, column]) * active[h])
        model.Add(sum(var for _, var in items) + int(pinned_count[h]) <= (
            len(items) + int(pinned_count[h])) * active[h])
        incoming = [var for i, var in items if origin[i] != h]
        staying = [var for i, var in items if origin[i] == h]
        if incoming:
            model.Add(sum(incoming) <= len(incoming) * receives[h])
        if staying:
            model.Add(len(staying) - sum(staying) <= len(staying) * sends[h])
        model.Add(sends[h] + receives[h] <= 1)
        if not is_candidate[h] or not problem.receives[h]:
            model.Add(receives[h] == 0)
        if pinned_count[h]:
            model.Add(active[h] == 1)
    # The heuristic's plan is the one to beat: ask for one host fewer, then fewest moves.
    model.Add(sum(active.values()) <= int(start.active().sum()) - 1)
    model.Minimize(sum(1 - placed[i][int(origin[i])] for i in placed))
    for i, options in placed.items():
        for h, var in options.items():
            model.AddHint(var, int(start.placement[i]) == h)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    # CP-SAT's own Ctrl-C handler is put back as SIG_DFL after the solve, not as the handler
    # it replaced: from then on SIGINT would kill the process outright, skipping the
    # services' graceful stop (and the demo's clean exit).
    solver.parameters.catch_sigint_signal = False
    solver.parameters.max_deterministic_time = float(time_limit)
    # A safety net for a loaded machine, where a deterministic second can take several wall
    # seconds: the audit's time stays bounded, at the price of a plan that may then depend
    # on how far the search got.
    solver.parameters.max_time_in_seconds = 2.0 * float(time_limit) + 1.0
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        LOG.info("Solver found no plan (%s): the heuristic plan is kept",
                 solver.StatusName(status))
        return start
    state = Packing(problem)
    for i, options in placed.items():
        destination = next(h for h, var in options.items() if solver.Value(var))
        if destination != origin[i]:
            state.move(i, destination)
    found, before = objective(state), objective(start)
    LOG.info("Solver (%s, %.1f s): %d hosts / %d migrations, heuristic %d / %d",
             solver.StatusName(status), solver.WallTime(), found[0], found[1], before[0],
             before[1])
    if found < before and not (state.over() & ~start.over()).any():
        return state
    return start
