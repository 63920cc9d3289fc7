"""Packing consolidation (goal ``server_consolidation``): fewest active hosts, then fewest
migrations, and no host over its limits at any step.

Limits are allocations as Placement counts them and measured use at a high percentile
against the physical host (see ``packing``). The plan empties the hosts that are cheapest to
empty (fewest movable instances) into the ones kept, each instance moving at most once and
no host both sending and receiving, so every intermediate state of the plan is within the
limits whatever order the applier runs it in. Hosts left empty are disabled.

The search is the heuristic of ``packing.heuristic`` (bisection on the number of hosts kept),
then OR-Tools CP-SAT warm-started from it for ``solver_time_limit`` deterministic seconds,
whose plan is taken only when better. The efficacy indicators report the active hosts before
and after, the lower bounds on hosts and on migrations, and the worst host's projected use.
"""

from __future__ import annotations

import time

from oslo_log import log

from watcher.decision_engine.strategy.packing import bounds, heuristic, solver
from watcher.decision_engine.strategy.strategies import consolidation_base, metric_base

LOG = log.getLogger(__name__)


class PackingConsolidation(consolidation_base.ConsolidationStrategy):
    NAME = "packing_consolidation"
    DISPLAY_NAME = "Packing consolidation"
    DATASOURCE_METRICS = consolidation_base.USAGE_METRICS

    @classmethod
    def get_schema(cls) -> dict:
        return cls.with_safety({
            "granularity": {
                "description": "The time between two measures in an aggregated timeseries "
                "of a metric.",
                "type": "number",
                "exclusiveMinimum": 0,
                "default": 300,
            },
            "solver_time_limit": {
                "description": "Deterministic seconds (about wall seconds on one core) the "
                "CP-SAT solver may spend improving the heuristic plan; 0 keeps the heuristic "
                "plan.",
                "type": "number",
                "minimum": 0,
                "default": 2,
            },
        })

    def do_execute(self, audit=None) -> None:
        params = self.input_parameters
        nodes = self.available_nodes(include_disabled=True)
        if not nodes:
            LOG.warning("No compute node is up: nothing to consolidate")
            return
        receives = [n.status == metric_base.ENABLED for n in nodes]
        problem = self.packing_problem(nodes, params.granularity, receives)
        started = time.monotonic()
        state = heuristic.consolidate(problem)
        found = solver.objective(state)
        bound = bounds.host_lower_bound(problem, physical=False)
        if found[0] > bound or found[1] > bounds.migration_lower_bound(problem, found[0]):
            state = solver.improve(problem, state, float(params.solver_time_limit))
        LOG.info("Packing consolidation: %d -> %d active hosts (bound %d), %d migrations, "
                 "%.2f s", int((problem.instance_counts() > 0).sum()), state.active().sum(),
                 bound, state.moved.sum(), time.monotonic() - started)
        self.emit(state)
