"""``pip install .[mysql]`` into an empty virtualenv gives console scripts that run.

This is how devstack, kolla and a wheel install put Watcher on a machine: nothing but the
package's own metadata brings in its dependencies. The virtualenv is cached under
``tmp/.cache``, keyed on the files that decide what gets installed, so it is built from
nothing again whenever they change; on a cache hit only this checkout is reinstalled.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import venv

import pytest

from watcher.tests.fixtures import database

pytestmark = pytest.mark.integration

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
CACHE = os.path.join(ROOT, "tmp", ".cache")
PACKAGING_FILES = ("requirements.txt", "setup.cfg", "setup.py", "pyproject.toml", "MANIFEST.in")


def _packaging_digest() -> str:
    digest = hashlib.sha256()
    for name in PACKAGING_FILES:
        with open(os.path.join(ROOT, name), "rb") as handle:
            digest.update(name.encode() + b"\0" + handle.read())
    return digest.hexdigest()[:16]


def _pip(path: str, *args: str) -> None:
    # No byte-compiling: a third of the install time, and nothing this test needs.
    subprocess.run([os.path.join(path, "bin", "python"), "-m", "pip", "install", "-q",
                    "--disable-pip-version-check", "--no-compile", *args], check=True,
                   timeout=900)


@pytest.fixture(scope="module")
def installed() -> str:
    """A virtualenv where ``pip install <checkout>[mysql]`` ran; its path."""
    path = os.path.join(CACHE, f"pip-install-{_packaging_digest()}")
    stamp = os.path.join(path, ".installed")
    if os.path.exists(stamp):
        # Same packaging, maybe newer code: put this checkout's code in, dependencies kept.
        _pip(path, "--no-deps", "--force-reinstall", f"{ROOT}[mysql]")
        return path
    shutil.rmtree(path, ignore_errors=True)
    venv.EnvBuilder(with_pip=True).create(path)
    _pip(path, f"{ROOT}[mysql]")
    with open(stamp, "w") as handle:
        handle.write(_packaging_digest())
    return path


def _run(venv_path: str, command: str, *args: str, cwd=None) -> subprocess.CompletedProcess:
    # A clean environment: nothing of the test runner's own virtualenv leaks in.
    env = {"PATH": f"{venv_path}/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run([os.path.join(venv_path, "bin", command), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def _upgrade(venv_path: str, tmp_path, url: str) -> None:
    config = tmp_path / "watcher.conf"
    config.write_text(f"[database]\nconnection = {url}\n")
    result = _run(venv_path, "watcher-db-manage", "--config-file", str(config), "upgrade",
                  cwd=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run(venv_path, "watcher-db-manage", "--config-file", str(config), "version",
                  cwd=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip(), "no schema revision after upgrade"


def test_api_help(installed):
    result = _run(installed, "watcher-api", "--help")
    assert result.returncode == 0, result.stderr
    assert "--config-file" in result.stdout


def test_db_manage_upgrade_on_sqlite(installed, tmp_path):
    _upgrade(installed, tmp_path, database.sqlite_url(str(tmp_path / "watcher.sqlite")))


def test_db_manage_upgrade_on_mariadb(installed, tmp_path):
    # PyMySQL comes from the "mysql" extra, not from the test runner's environment.
    name, url = database.create_server_database("mysql")
    try:
        _upgrade(installed, tmp_path, url)
    finally:
        database.drop_server_database("mysql", name)
