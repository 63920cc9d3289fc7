"""Which real servers the integration tests can use on this machine.

A test that needs a server calls ``require(name)``. When the server is not listening the test
skips with the reason, except under .ci/run (``WATCHER_TEST_REQUIRE_SERVERS=1``), where a
missing server is a failure: CI is there to prove the real integrations.
"""

import os
import socket

import pytest

SERVERS = {
    "mysql": ("127.0.0.1", 3306),
    "postgresql": ("127.0.0.1", 5432),
    "rabbitmq": ("127.0.0.1", 5672),
}


def is_listening(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def require(name: str) -> tuple[str, int]:
    host, port = SERVERS[name]
    if is_listening(host, port):
        return host, port
    reason = f"{name} is not listening on {host}:{port}"
    if os.environ.get("WATCHER_TEST_REQUIRE_SERVERS") == "1":
        pytest.fail(reason + " (required under CI)")
    pytest.skip(reason)
