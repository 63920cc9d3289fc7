"""The one oslo.db enginefacade every DB access goes through.

By default the engine is built from ``CONF.database`` the first time it is needed. Tests (and
tools that must target a given database) call ``configure(url)`` to point the facade at
another URL and ``reset()`` to drop it again; both dispose the current engine, so the next
access starts a fresh pool.

SQLite runs with foreign keys enforced, so it refuses the same writes MariaDB and
PostgreSQL refuse. SQLite also fails at once ("database is locked"), without waiting, when two
transactions that both read first try to write; since SQLite is the one-process embedded
database, writers are serialized in the process instead.
"""

import contextlib
import threading
from collections.abc import Iterator

from oslo_db.sqlalchemy import enginefacade
from sqlalchemy.engine import Engine

# Nested reader/writer blocks in one thread share this context and therefore one
# transaction: a multi-step write wrapped in writer() commits or rolls back as a whole.
_CONTEXT = threading.local()
_DEPTH = threading.local()
_LOCK = threading.Lock()
_SQLITE_WRITERS = threading.Lock()
_manager = None
_url: str | None = None


def _get_manager():
    global _manager
    with _LOCK:
        if _manager is None:
            manager = enginefacade.transaction_context()
            options = {"sqlite_fk": True}
            if _url:
                options["connection"] = _url
            manager.configure(**options)
            _manager = manager
        return _manager


def reader() -> contextlib.AbstractContextManager:
    """A read transaction; yields an ORM session."""
    return _get_manager().reader.using(_CONTEXT)


@contextlib.contextmanager
def writer() -> Iterator:
    """A write transaction (joins the enclosing one in this thread); yields a session."""
    serialize = in_transaction() == 0 and get_engine().dialect.name == "sqlite"
    if serialize:
        _SQLITE_WRITERS.acquire()
    _DEPTH.value = in_transaction() + 1
    try:
        with _get_manager().writer.using(_CONTEXT) as session:
            yield session
    finally:
        _DEPTH.value -= 1
        if serialize:
            _SQLITE_WRITERS.release()


def in_transaction() -> int:
    """How many writer() blocks this thread is inside (0: none)."""
    return getattr(_DEPTH, "value", 0)


def get_engine() -> Engine:
    return _get_manager().writer.get_engine()


def configure(url: str | None) -> None:
    """Use ``url`` instead of ``CONF.database.connection`` (None: back to the config)."""
    global _url
    reset()
    _url = url


def reset() -> None:
    """Dispose the current engine; the next access builds a new one."""
    global _manager
    with _LOCK:
        if _manager is not None and _manager.is_started:
            _manager.dispose_pool()
        _manager = None
