"""Throwaway server databases: created, dropped, and swept when a killed run left them."""

import time

import pytest

from watcher.tests import servers
from watcher.tests.fixtures import database as dbf


def _names(backend: str) -> set[str]:
    listing = "SHOW DATABASES" if backend == "mysql" else "SELECT datname FROM pg_database"
    return {row[0] for row in dbf._server_sql(backend, [listing])}


@pytest.mark.integration
@pytest.mark.parametrize("backend", ["mysql", "postgresql"])
def test_stale_test_databases_are_swept(backend, monkeypatch):
    servers.require(backend)
    old = f"watcher_test_{int(time.time()) - 4 * 3600}_deadbeef"
    young = f"watcher_test_{int(time.time()) - 60}_cafecafe"
    for name in (old, young):
        dbf._server_sql(backend, [f"CREATE DATABASE {name}"])
    try:
        monkeypatch.setattr(dbf, "_swept", set())
        name, _url = dbf.create_server_database(backend)
        names = _names(backend)
        assert old not in names
        assert {young, name} <= names
        dbf.drop_server_database(backend, name)
        assert name not in _names(backend)
    finally:
        for leftover in (old, young):
            dbf.drop_server_database(backend, leftover)
