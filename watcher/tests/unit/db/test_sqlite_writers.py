"""Concurrent writers on the embedded SQLite database wait for each other instead of failing."""

import threading

from watcher.common import context
from watcher.db import api as db_api
from watcher.tests.fixtures.database import make_action, make_action_plan


def test_parallel_updates_of_different_rows_all_land(sqlite_db):
    plan = make_action_plan()
    actions = [make_action(action_plan_id=plan.id) for _ in range(4)]
    dbapi = db_api.get_instance()
    errors: list[Exception] = []

    def update_repeatedly(action_id: int) -> None:
        for step in range(100):
            try:
                dbapi.update_action(action_id, {"status_message": f"step {step}"})
            except Exception as exc:  # the assertion below reports what went wrong
                errors.append(exc)

    threads = [threading.Thread(target=update_repeatedly, args=(a.id,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    admin = context.get_admin_context()
    for action in actions:
        assert dbapi.get_action_by_id(admin, action.id).status_message == "step 99"
