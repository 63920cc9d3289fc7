"""``watcher-api`` as a process: ``[api] workers`` forks that many processes on one socket,
and SIGTERM stops them all."""

from __future__ import annotations

import json
import os
import signal
import urllib.request

import pytest

from watcher.tests.integration.client import conftest

pytestmark = pytest.mark.integration


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state, then the parent pid.
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_serve_and_stop_together(tmp_path):
    db_url = f"sqlite:///{tmp_path}/watcher.sqlite"
    conftest.prepare_database(db_url)
    port = conftest.free_port()
    config = tmp_path / "watcher.conf"
    config.write_text(
        "[DEFAULT]\nenable_authentication = False\ntransport_url = fake://\n"
        f"[database]\nconnection = {db_url}\n"
        f"[api]\nhost = 127.0.0.1\nport = {port}\nworkers = 3\n"
    )
    process = conftest.start_service("watcher-api", config, tmp_path, port)
    try:
        workers = _children(process.pid)
        assert len(workers) == 2
        for _ in range(6):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/goals") as response:
                assert [g["name"] for g in json.load(response)["goals"]] == [
                    "dummy", "server_consolidation"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert not any(_alive(pid) for pid in workers)
    finally:
        if process.poll() is None:
            conftest.stop_service(process)
