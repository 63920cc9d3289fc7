"""Which real servers the integration tests can use on this machine.

A test that needs a server calls ``require(name)``. When the server is not listening the test
skips with the reason, except under .ci/run (``WATCHER_TEST_REQUIRE_SERVERS=1``), where a
missing server is a failure: CI is there to prove the real integrations.
"""

import os
import shutil
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


def _missing(reason: str) -> None:
    if os.environ.get("WATCHER_TEST_REQUIRE_SERVERS") == "1":
        pytest.fail(reason + " (required under CI)")
    pytest.skip(reason)


def require(name: str) -> tuple[str, int]:
    host, port = SERVERS[name]
    if not is_listening(host, port):
        _missing(f"{name} is not listening on {host}:{port}")
    return host, port


def require_program(program: str) -> str:
    """The path of an installed server program a test starts itself (e.g. rabbitmq-server)."""
    path = shutil.which(program)
    if path is None:
        _missing(f"{program} is not installed")
    return path


def rabbit_url(host: str, port: int) -> str:
    return f"rabbit://guest:guest@{host}:{port}/"


def rpc_queues(conf) -> list[str]:
    """The queues the decision engine and applier of ``conf`` declare for their RPC: named
    after their topics (whatever the exchange) and after topic.host."""
    topics = [conf.watcher_decision_engine.conductor_topic, conf.watcher_applier.conductor_topic]
    return topics + [f"{topic}.{conf.host}" for topic in topics]


def delete_queues(url: str, names: list[str]) -> None:
    """Queues that would outlive a test on the shared broker; one already gone is no error."""
    from kombu import Connection

    with Connection(url.replace("rabbit://", "amqp://")) as connection:
        channel = connection.channel()
        for name in names:
            try:
                channel.queue_delete(name)
            except Exception:
                # The broker closes the channel on an error: the next name needs a new one.
                channel = connection.channel()
