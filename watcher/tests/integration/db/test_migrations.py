"""The alembic migrations build exactly the models' schema, on every backend."""

import os

import pytest
import sqlalchemy as sa
from alembic import autogenerate
from alembic import config as alembic_config
from alembic import script as alembic_script
from alembic.runtime import migration as alembic_migration
from oslo_db import exception as db_exc

from watcher.db.sqlalchemy import facade, migration, models
from watcher.tests.fixtures import database as dbf

TABLES = {
    "goals", "strategies", "audit_templates", "audits", "action_plans", "actions",
    "efficacy_indicators", "scoring_engines", "services", "action_descriptions",
    "apscheduler_jobs",
}


@pytest.fixture
def empty_db(db_url):
    dbf.point_facade_at(db_url)
    yield db_url
    dbf.point_facade_at(None)


def _head() -> str:
    config = alembic_config.Config(os.path.join(os.path.dirname(migration.__file__),
                                                "alembic.ini"))
    return alembic_script.ScriptDirectory.from_config(config).get_current_head()


def _diff() -> list:
    with facade.get_engine().connect() as connection:
        context = alembic_migration.MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True})
        return autogenerate.compare_metadata(context, models.Base.metadata)


def _tables() -> set[str]:
    return set(sa.inspect(facade.get_engine()).get_table_names()) - {"alembic_version"}


def test_models_and_migrations_never_drift(empty_db):
    migration.upgrade()
    assert migration.version() == _head()
    assert _diff() == []


def test_downgrade_drops_everything(empty_db):
    migration.upgrade()
    assert _tables() == TABLES
    migration.downgrade()
    assert _tables() == set()
    assert migration.version() is None


def test_create_schema_builds_the_models_and_stamps_head(empty_db):
    assert migration.version() is None
    migration.create_schema()
    assert _tables() == TABLES
    assert migration.version() == _head()
    assert _diff() == []
    with pytest.raises(db_exc.DBMigrationError):
        migration.create_schema()


def test_stamp_and_upgrade_by_revision(empty_db):
    migration.upgrade(_head())
    migration.stamp("base")
    assert migration.version() is None
    migration.stamp(_head())
    assert migration.version() == _head()


@pytest.mark.integration
def test_mysql_tables_are_innodb_utf8mb4():
    name, url = dbf.create_server_database("mysql")
    dbf.point_facade_at(url)
    try:
        migration.upgrade()
        with facade.get_engine().connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT table_name, engine, table_collation FROM information_schema.tables "
                "WHERE table_schema = DATABASE() AND table_name != 'alembic_version'")).all()
    finally:
        dbf.point_facade_at(None)
        dbf.drop_server_database("mysql", name)
    assert {row[0] for row in rows} == TABLES
    assert {(row[1], row[2].split("_")[0]) for row in rows} == {("InnoDB", "utf8mb4")}
