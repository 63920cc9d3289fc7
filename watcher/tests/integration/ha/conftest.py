"""The bus fixtures of the RPC tests (unique exchange and topics, notification reader)."""

from watcher.tests.integration.rpc.conftest import bus_conf, notifications  # noqa: F401
