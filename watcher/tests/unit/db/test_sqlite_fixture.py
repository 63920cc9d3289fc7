"""The ``sqlite_db`` fixture other test packages rely on: fresh, private, released."""

import pytest

from watcher.common import context as watcher_context
from watcher.db import api as db_api
from watcher.db.sqlalchemy import facade, migration
from watcher.tests.fixtures import database as dbf


@pytest.mark.parametrize("run", [1, 2])
def test_each_test_starts_empty(sqlite_db, run):
    ctx = watcher_context.get_admin_context()
    assert db_api.get_instance().get_goal_list(ctx) == []
    dbf.make_goal(name="only-in-this-test")
    assert len(db_api.get_instance().get_goal_list(ctx)) == 1


def test_schema_is_stamped_and_facade_points_at_the_copy(sqlite_db):
    assert str(facade.get_engine().url) == sqlite_db
    assert migration.version() is not None


def test_point_facade_at_switches_databases(tmp_path, _sqlite_template):
    first = dbf.copy_sqlite(_sqlite_template, str(tmp_path / "a.sqlite"))
    second = dbf.copy_sqlite(_sqlite_template, str(tmp_path / "b.sqlite"))
    ctx = watcher_context.get_admin_context()
    try:
        dbf.point_facade_at(first)
        dbf.make_goal(name="in-first")
        dbf.point_facade_at(second)
        assert db_api.get_instance().get_goal_list(ctx) == []
        dbf.point_facade_at(first)
        assert [g.name for g in db_api.get_instance().get_goal_list(ctx)] == ["in-first"]
    finally:
        dbf.point_facade_at(None)
