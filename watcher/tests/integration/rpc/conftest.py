"""Services on the real RabbitMQ, isolated per test run by a unique control exchange and
unique topics, so parallel runs on the shared broker never cross."""

from __future__ import annotations

import threading

import oslo_messaging as messaging
import pytest
from oslo_config import fixture as cfg_fixture
from oslo_utils import uuidutils

from watcher.common import rpc
from watcher.conf import CONF
from watcher.tests import servers

broker_url = servers.rabbit_url


@pytest.fixture
def bus_conf():
    """Unique exchange/topics plus fast reconnects; yields the run's suffix."""
    servers.require("rabbitmq")
    suffix = uuidutils.generate_uuid()[:8]
    conf = cfg_fixture.Config(CONF)
    conf.setUp()
    # Parsed (no files) as a service would be: the API's policy enforcer needs that.
    CONF([], project="watcher", default_config_files=[])
    conf.config(control_exchange=f"watcher-test-{suffix}")
    conf.config(
        conductor_topic=f"watcher.decision.control.{suffix}",
        # The engine's Nova/Cinder listener must not touch the shared broker's real 'nova'
        # exchange, which other tests declare durable.
        notification_topics=[f"nova-{suffix}.versioned_notifications"],
        group="watcher_decision_engine",
    )
    conf.config(conductor_topic=f"watcher.applier.control.{suffix}", group="watcher_applier")
    conf.config(
        topics=[f"notifications-{suffix}"],
        driver=["messagingv2"],
        group="oslo_messaging_notifications",
    )
    conf.config(
        amqp_auto_delete=True,
        rabbit_retry_interval=1,
        rabbit_retry_backoff=0,
        rabbit_interval_max=1,
        kombu_reconnect_delay=0.5,
        group="oslo_messaging_rabbit",
    )
    conf.config(host=f"de-{suffix}")
    try:
        yield suffix
    finally:
        rpc.cleanup()
        conf.cleanUp()


@pytest.fixture
def durable_queues(bus_conf):
    """Queues that outlive their consumers, as in production, so a message sent while a
    service is reconnecting waits for it; deleted at the end since they never expire."""
    from kombu import Connection

    CONF.set_override("amqp_auto_delete", False, group="oslo_messaging_rabbit")
    yield
    url = broker_url(*servers.SERVERS["rabbitmq"])
    servers.delete_queues(url, servers.rpc_queues(CONF))
    with Connection(url.replace("rabbit://", "amqp://")) as connection:
        try:
            connection.channel().exchange_delete(CONF.control_exchange)
        except Exception:
            pass


class NotificationRecorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str, str, dict]] = []
        self._lock = threading.Lock()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self._record(publisher_id, event_type, payload, metadata)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        self._record(publisher_id, event_type, payload, metadata)

    def _record(self, publisher_id, event_type, payload, metadata):
        with self._lock:
            self.events.append((metadata["timestamp"], publisher_id, event_type, payload))

    def ordered(self) -> list[tuple[str, str, str, dict]]:
        with self._lock:
            return sorted(self.events, key=lambda e: e[0])

    def types(self) -> list[str]:
        return [e[2] for e in self.ordered()]


@pytest.fixture
def notifications(bus_conf):
    """Listens on this run's notification topic before any service sends."""
    recorder = NotificationRecorder()
    transport = messaging.get_notification_transport(CONF)
    listener = messaging.get_notification_listener(
        transport,
        [messaging.Target(topic=CONF.oslo_messaging_notifications.topics[0])],
        [recorder],
        executor="threading",
    )
    listener.start()
    try:
        yield recorder
    finally:
        listener.stop()
        listener.wait()
        transport.cleanup()
