"""A RabbitMQ node of the test's own: its own node name, port and data directory.

The machine's broker is shared by every test run, so it is never stopped; this node is, for the
tests where the broker really goes down and comes back (queues and connections lost, durable
state kept on disk as in production).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

from watcher.tests import servers

SERVER = "rabbitmq-server"
STARTUP_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateBroker:
    def __init__(self) -> None:
        # Not under pytest's tmp_path: the node may run as the rabbitmq user, which cannot
        # enter root's private test directories.
        self.directory = tempfile.mkdtemp(prefix="watcher-broker-")
        self.port = _free_port()
        self.node = f"watcher-test-{uuid.uuid4().hex[:8]}@localhost"
        self._pid_file = os.path.join(self.directory, "pid")

    @property
    def url(self) -> str:
        return f"rabbit://guest:guest@127.0.0.1:{self.port}/"

    def _environment(self) -> dict:
        config = os.path.join(self.directory, "rabbitmq.conf")
        with open(config, "w") as handle:
            # The system config names 5672; this node listens on its own port only.
            handle.write(f"listeners.tcp.default = 127.0.0.1:{self.port}\nloopback_users = none\n")
        plugins = os.path.join(self.directory, "enabled_plugins")
        open(plugins, "a").close()
        return dict(
            os.environ,
            RABBITMQ_NODENAME=self.node,
            RABBITMQ_NODE_PORT=str(self.port),
            RABBITMQ_DIST_PORT=str(_free_port()),
            RABBITMQ_CONFIG_FILE=config,
            RABBITMQ_MNESIA_BASE=os.path.join(self.directory, "mnesia"),
            RABBITMQ_LOG_BASE=os.path.join(self.directory, "log"),
            RABBITMQ_ENABLED_PLUGINS_FILE=plugins,
            RABBITMQ_PID_FILE=self._pid_file,
        )

    def start(self) -> PrivateBroker:
        environment = self._environment()
        if os.geteuid() == 0:
            # Debian's wrapper runs the node as the rabbitmq user: it must own the directory.
            for root, dirs, files in os.walk(self.directory):
                for name in [root, *(os.path.join(root, n) for n in dirs + files)]:
                    shutil.chown(name, "rabbitmq", "rabbitmq")
        subprocess.run([SERVER, "-detached"], env=environment, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not servers.is_listening("127.0.0.1", self.port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.node} did not listen on {self.port}; logs in "
                                   f"{self.directory}/log")
            time.sleep(0.3)
        return self

    def stop(self) -> None:
        """Stop the node (SIGTERM to the Erlang VM: a clean broker shutdown) and wait."""
        try:
            with open(self._pid_file) as handle:
                pid = int(handle.read().strip())
        except (OSError, ValueError):
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        # The node removes its pid file itself when it shuts down cleanly.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._pid_file)

    def close(self) -> None:
        """Stop the node and remove its data."""
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
