"""Deadlock retries: automatic for a lone write, left to the caller inside its transaction."""

import pytest
from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc

from watcher.db.sqlalchemy import api, facade


@pytest.fixture
def flaky(monkeypatch):
    monkeypatch.setattr(oslo_db_api.time, "sleep", lambda _seconds: None)
    calls = []

    @api._retry_on_deadlock
    def write():
        calls.append(facade.in_transaction())
        if len(calls) == 1:
            raise db_exc.DBDeadlock()
        return "written"

    return write, calls


def test_a_lone_write_is_retried(sqlite_db, flaky):
    write, calls = flaky
    assert write() == "written"
    assert calls == [0, 0]


def test_a_write_inside_a_transaction_is_not(sqlite_db, flaky):
    write, calls = flaky
    with pytest.raises(db_exc.DBDeadlock):
        with facade.writer():
            write()
    assert calls == [1]
    assert facade.in_transaction() == 0
