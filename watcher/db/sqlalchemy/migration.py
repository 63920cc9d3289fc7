"""Schema management with alembic on the facade's engine (what watcher-db-manage drives)."""

import os

from alembic import command
from alembic import config as alembic_config
from alembic.runtime import migration as alembic_migration
from oslo_db import exception as db_exc

from watcher.db.sqlalchemy import facade, models

_INI = os.path.join(os.path.dirname(__file__), "alembic.ini")


def _run(action, *args) -> None:
    """Run an alembic command on one connection, committed when the command returns."""
    config = alembic_config.Config(_INI)
    with facade.get_engine().begin() as connection:
        config.attributes["connection"] = connection
        action(config, *args)


def upgrade(revision: str | None = None) -> None:
    """Upgrade to ``revision`` (default: the newest)."""
    _run(command.upgrade, revision or "head")


def downgrade(revision: str | None = None) -> None:
    """Downgrade to ``revision`` (default: ``base``, an empty database)."""
    _run(command.downgrade, revision or "base")


def stamp(revision: str | None = None) -> None:
    """Record ``revision`` (default: the newest) as current without running anything."""
    _run(command.stamp, revision or "head")


def version() -> str | None:
    """The revision the database is at, None when it is not under version control."""
    with facade.get_engine().connect() as connection:
        return alembic_migration.MigrationContext.configure(connection).get_current_revision()


def create_schema() -> None:
    """Build the current schema straight from the models and stamp it at head.

    Faster than replaying migrations; refused on a database already under version control,
    where ``upgrade`` is the right tool.
    """
    if version() is not None:
        raise db_exc.DBMigrationError(
            "Watcher database schema is already under version control; use upgrade() instead"
        )
    models.Base.metadata.create_all(facade.get_engine())
    stamp("head")
