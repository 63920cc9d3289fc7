"""A real ``watcher-api`` process (no auth, SQLite) and python-watcherclient in its own
virtualenv, installed from the package index and cached under ``tmp/.cache`` by version."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from watcher.common import context as watcher_context
from watcher.db.sqlalchemy import facade, migration
from watcher.tests.fixtures.venvs import cached_venv
from watcher.tests.functional.api import sample_data

CLIENT_VERSION = os.environ.get("WATCHER_TEST_CLIENT_VERSION", "4.11.0")
BIN = os.path.dirname(sys.executable)


def client_venv(version: str = CLIENT_VERSION) -> str:
    """The virtualenv holding python-watcherclient ``version``; built once, then reused."""
    return cached_venv("python-watcherclient", [f"python-watcherclient=={version}"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"watcher-api exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"watcher-api did not listen on {port}")


def prepare_database(url: str, sample_rows: bool = True) -> None:
    """Schema, plus (by default) the rows the engine, applier and sync would have written."""
    facade.configure(url)
    try:
        migration.create_schema()
        if sample_rows:
            context = watcher_context.get_admin_context()
            sample_data.load_catalog(context)
            sample_data.load_work(context)
    finally:
        facade.reset()
        facade.configure(None)


def start_service(command: str, config, workdir, port: int | None = None) -> subprocess.Popen:
    log = open(workdir / f"{command}.log", "w")
    process = subprocess.Popen(
        [os.path.join(BIN, command), "--config-file", str(config)],
        stdout=log, stderr=subprocess.STDOUT, cwd=str(workdir),
    )
    log.close()
    if port is not None:
        wait_for_port(port, process)
    return process


def stop_service(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def watcherclient_venv() -> str:
    return client_venv()


@pytest.fixture(scope="module")
def api_endpoint(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("watcher-api")
    db_url = f"sqlite:///{workdir}/watcher.sqlite"
    prepare_database(db_url)
    port = free_port()
    config = workdir / "watcher.conf"
    config.write_text(
        "[DEFAULT]\n"
        "enable_authentication = False\n"
        "transport_url = fake://\n"
        "[database]\n"
        f"connection = {db_url}\n"
        "[api]\n"
        "host = 127.0.0.1\n"
        f"port = {port}\n"
    )
    process = start_service("watcher-api", config, workdir, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_service(process)
