"""watcher-db-manage run as operators run it: the installed console script, a config file."""

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from watcher.common import context as watcher_context
from watcher.db import api as db_api
from watcher.tests.fixtures import database as dbf

SCRIPT = os.path.join(os.path.dirname(sys.executable), "watcher-db-manage")
HEAD = "2b6d1c8f4a10"


def _config(tmp_path, url: str) -> str:
    path = tmp_path / "watcher.conf"
    path.write_text(f"[database]\nconnection = {url}\n")
    return str(path)


def _manage(config_file: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    assert os.path.exists(SCRIPT), "install the project (pip install -e .) for the script"
    return subprocess.run([SCRIPT, "--config-file", config_file, *args], input=stdin,
                          capture_output=True, text=True, timeout=120)


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_builds_the_schema(db_url, tmp_path):
    config_file = _config(tmp_path, db_url)
    result = _manage(config_file, "upgrade")
    assert result.returncode == 0, result.stderr
    assert {"goals", "audits", "action_plans", "actions", "apscheduler_jobs",
            "alembic_version"} <= _tables(db_url)
    version = _manage(config_file, "version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == HEAD


@pytest.fixture
def sqlite_config(tmp_path):
    url = dbf.sqlite_url(str(tmp_path / "cli.sqlite"))
    return url, _config(tmp_path, url)


def test_no_command_means_upgrade(sqlite_config):
    url, config_file = sqlite_config
    assert _manage(config_file).returncode == 0
    assert "goals" in _tables(url)


def test_stamp_takes_a_positional_revision_and_refuses_unknown_ones(sqlite_config):
    url, config_file = sqlite_config
    assert _manage(config_file, "create_schema").returncode == 0
    assert _manage(config_file, "stamp", "base").returncode == 0
    assert _manage(config_file, "version").stdout.strip() == "None"
    assert _manage(config_file, "stamp", "--revision", HEAD).returncode == 0
    assert _manage(config_file, "version").stdout.strip() == HEAD
    bad = _manage(config_file, "stamp", "no-such-revision")
    assert bad.returncode == 1
    assert "no-such-revision" in bad.stderr


def test_purge_asks_then_deletes(sqlite_config):
    url, config_file = sqlite_config
    assert _manage(config_file, "upgrade").returncode == 0
    dbf.point_facade_at(url)
    try:
        dbapi = db_api.get_instance()
        kept = dbf.make_goal()
        gone = dbf.make_goal()
        dbapi.soft_delete_goal(gone.id)
        result = _manage(config_file, "purge", "--age-in-days", "0", "-e", stdin="y\n")
        assert result.returncode == 0, result.stderr
        assert "Purge results summary (orphans excluded):" in result.stdout
        ctx = watcher_context.get_admin_context(show_deleted=True)
        assert [g.id for g in dbapi.get_goal_list(ctx)] == [kept.id]
    finally:
        dbf.point_facade_at(None)


def test_purge_of_a_live_goal_fails(sqlite_config):
    url, config_file = sqlite_config
    assert _manage(config_file, "upgrade").returncode == 0
    dbf.point_facade_at(url)
    try:
        dbf.make_goal(name="alive")
    finally:
        dbf.point_facade_at(None)
    result = _manage(config_file, "purge", "--goal", "alive", "--dry-run")
    assert result.returncode == 1
    assert "not soft deleted" in result.stderr
