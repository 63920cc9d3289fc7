"""Fixtures every test package can use. Database ones: see watcher/tests/fixtures/database.py."""

import pytest

from watcher.db.sqlalchemy import migration
from watcher.tests.fixtures import database

_BACKEND_PARAMS = database.BACKEND_PARAMS


class _ServerDatabases:
    """One database per server for the whole session, schema built on first use."""

    def __init__(self):
        self._databases: dict[str, tuple[str, str]] = {}

    def url_with_schema(self, backend: str) -> str:
        if backend not in self._databases:
            name, url = database.create_server_database(backend)
            self._databases[backend] = (name, url)
            database.point_facade_at(url)
            try:
                migration.upgrade()
            finally:
                database.point_facade_at(None)
        return self._databases[backend][1]

    def drop_all(self) -> None:
        for backend, (name, _url) in self._databases.items():
            database.drop_server_database(backend, name)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("db") / "template.sqlite")
    database.build_sqlite_template(path)
    return path


@pytest.fixture(scope="session")
def _server_databases():
    databases = _ServerDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture
def sqlite_db(_sqlite_template, tmp_path):
    """A fresh SQLite database with the schema; the DB API uses it during the test."""
    url = database.copy_sqlite(_sqlite_template, str(tmp_path / "watcher.sqlite"))
    database.point_facade_at(url)
    yield url
    database.point_facade_at(None)


@pytest.fixture(params=_BACKEND_PARAMS)
def db_url(request, tmp_path):
    """The URL of an empty database on each backend (the facade is left alone)."""
    backend = request.param
    if backend == "sqlite":
        name, url = None, database.sqlite_url(str(tmp_path / "empty.sqlite"))
    else:
        name, url = database.create_server_database(backend)
    try:
        yield url
    finally:
        # Release pooled connections a test may have opened through the facade.
        database.point_facade_at(None)
        if name:
            database.drop_server_database(backend, name)


@pytest.fixture(params=_BACKEND_PARAMS)
def any_db(request, _sqlite_template, _server_databases, tmp_path):
    """A database with the schema on each backend; the DB API uses it during the test."""
    backend = request.param
    if backend == "sqlite":
        url = database.copy_sqlite(_sqlite_template, str(tmp_path / "watcher.sqlite"))
    else:
        url = _server_databases.url_with_schema(backend)
    database.point_facade_at(url)
    try:
        yield url
    finally:
        database.point_facade_at(None)
        if backend != "sqlite":
            database.delete_all_rows(url)
