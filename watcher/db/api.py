"""The only entry point to the database: ``get_instance()`` returns the DB API.

Callers (the objects layer, purge, the services' bookkeeping) never import the SQLAlchemy
modules directly; see ``watcher.db.sqlalchemy.api.Connection`` for the methods.
"""

from watcher.db.sqlalchemy import api as sqlalchemy_api

_INSTANCE: sqlalchemy_api.Connection | None = None


def get_instance() -> sqlalchemy_api.Connection:
    global _INSTANCE
    if _INSTANCE is None:
        _INSTANCE = sqlalchemy_api.Connection()
    return _INSTANCE
