"""Alembic environment: run the migrations on the connection migration.py hands over.

Without one (plain ``alembic -c watcher/db/sqlalchemy/alembic.ini ...``) the facade's engine,
configured from [database] connection, is used.
"""

from alembic import context

from watcher.db.sqlalchemy import facade, models

target_metadata = models.Base.metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with facade.get_engine().connect() as connection:
        _run(connection)


def run_migrations_offline() -> None:
    context.configure(url=str(facade.get_engine().url), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
