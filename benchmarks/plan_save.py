#!/usr/bin/env python3
"""Plan save benchmark: how long the decision engine takes to store an action plan.

For each database (SQLite file, MariaDB and PostgreSQL on 127.0.0.1, each a throwaway
database) and each plan size it times the planner's ``schedule()``, the step that turns a
solution into rows: one plan, N migrate actions ordered by the weight planner (parents as
UUID lists), a few efficacy indicators, and the ``action.create`` notifications (built and
handed to oslo.messaging's in-process fake transport, so their cost is counted but no broker
is needed). It prints the milliseconds per action of the save alone (notifications off) with the
SQL statements it sent, then per action again with the notifications on.

    .venv/bin/python benchmarks/plan_save.py                       # 100, 1000, 10000 actions
    .venv/bin/python benchmarks/plan_save.py --sizes 100 1000 --backends sqlite

``--end-to-end`` times whole audits instead (benchmarks/audit_end_to_end.py): POST /v1/audits to
SUCCEEDED of vm_workload_consolidation through the real services and the simulator, on
generated clouds (HOSTSxSERVERS[xHOST_SCALE]; default 50x1000 113x15769x4 1000x20000):

    .venv/bin/python benchmarks/plan_save.py --end-to-end
    .venv/bin/python benchmarks/plan_save.py --end-to-end 113x15769x4

"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time

import sqlalchemy as sa
from oslo_utils import uuidutils

import watcher  # noqa: F401  (before any oslo library)
from watcher import objects
from watcher.common import context as watcher_context
from watcher.common import rpc
from watcher.conf import CONF
from watcher.db.sqlalchemy import facade, migration
from watcher.decision_engine import sync
from watcher.decision_engine.planner import weight
from watcher.decision_engine.solution import base as solution_base
from watcher.notifications import events
from watcher.tests import servers
from watcher.tests.fixtures import database

DEFAULT_SIZES = (100, 1000, 10000)


class _Strategy:
    """What the planner asks of the solution's strategy: its name."""

    @staticmethod
    def get_name() -> str:
        return "vm_workload_consolidation"


def make_solution(actions: int) -> solution_base.Solution:
    solution = solution_base.Solution(strategy=_Strategy())
    for n in range(actions):
        solution.add_action(
            "migrate",
            {"migration_type": "live", "source_node": f"cmp{n % 113:04d}",
             "destination_node": f"cmp{(n + 7) % 113:04d}"},
            resource_id=f"00000000-0000-0000-0000-{n:012d}",
        )
    solution.efficacy_indicators = [
        {"name": "released_compute_nodes_count", "description": "Released nodes",
         "unit": None, "value": 12.0},
        {"name": "instance_migrations_count", "description": "Migrations",
         "unit": None, "value": float(actions)},
    ]
    return solution


@contextlib.contextmanager
def throwaway_database(backend: str):
    """Facade pointed at an empty database with the schema; dropped afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            url = database.sqlite_url(os.path.join(directory, "watcher.sqlite"))
            database.point_facade_at(url)
            migration.create_schema()
            try:
                yield
            finally:
                database.point_facade_at(None)
        return
    name, url = database.create_server_database(backend)
    database.point_facade_at(url)
    try:
        migration.create_schema()
        yield
    finally:
        database.point_facade_at(None)
        database.drop_server_database(backend, name)


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args) -> None:
        self.count += 1


def new_audit(context):
    goal = objects.Goal.get_by_name(context, "server_consolidation")
    strategy = objects.Strategy.get_by_name(context, "vm_workload_consolidation")
    audit = objects.Audit(context, name=f"bench-{uuidutils.generate_uuid()}",
                          audit_type="ONESHOT", state="ONGOING", goal_id=goal.id,
                          strategy_id=strategy.id, parameters={}, scope=[],
                          auto_trigger=False)
    audit.create()
    return audit


def time_schedule(context, planner, solution, engine) -> tuple[float, int, int]:
    """(seconds, SQL statements, actions stored) of one schedule() on a new audit."""
    audit = new_audit(context)
    counter = StatementCounter()
    sa.event.listen(engine, "before_cursor_execute", counter)
    started = time.perf_counter()
    try:
        plan = planner.schedule(context, audit, solution)
    finally:
        elapsed = time.perf_counter() - started
        sa.event.remove(engine, "before_cursor_execute", counter)
    stored = len(objects.Action.list(context, filters={"action_plan_id": plan.id}))
    return elapsed, counter.count, stored


def bench_backend(backend: str, sizes: list[int], repeat: int) -> None:
    with throwaway_database(backend):
        context = watcher_context.get_admin_context()
        sync.Syncer(context).sync()
        planner = weight.WeightPlanner()
        engine = facade.get_engine()
        for size in sizes:
            solution = make_solution(size)
            figures = []
            for level in ("", "info"):
                CONF.set_override("notification_level", level)
                runs = [time_schedule(context, planner, solution, engine)
                        for _ in range(repeat)]
                assert all(stored == size for _, _, stored in runs), runs
                figures.append(min(runs))
            (save, statements, _), (notified, _, _) = figures
            print(f"{backend:<11} {size:>6} actions  save {save * 1000:8.1f} ms "
                  f"{save * 1000 / size:6.3f} ms/action {statements:>3} SQL statements  "
                  f"with action.create notifications {notified * 1000 / size:6.3f} ms/action",
                  flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--backends", nargs="+", default=list(database.BACKENDS),
                        choices=database.BACKENDS)
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs")
    parser.add_argument("--end-to-end", nargs="*", metavar="CLOUD",
                        help="time whole audits on these clouds instead (no CLOUD: the "
                             "default ones)")
    parser.add_argument("--debug", action="store_true", help="--end-to-end: services' logs")
    args = parser.parse_args()
    if args.end_to_end is not None:
        import audit_end_to_end

        audit_end_to_end.run(args.end_to_end or list(audit_end_to_end.DEFAULT_CLOUDS),
                             args.debug)
        return

    CONF([], project="watcher")
    CONF.set_override("transport_url", "fake://")
    CONF.set_override("driver", ["messagingv2"], group="oslo_messaging_notifications")
    rpc.init()
    events.register()
    for backend in args.backends:
        if backend != "sqlite" and not servers.is_listening(*servers.SERVERS[backend]):
            print(f"{backend:<11} skipped: no server on {servers.SERVERS[backend]}")
            continue
        bench_backend(backend, args.sizes, args.repeat)


if __name__ == "__main__":
    main()
