import threading
import time
import uuid

import oslo_messaging
import pytest
from oslo_config import cfg

from watcher.conf import decision_engine
from watcher.decision_engine.model.notification import listener
from watcher.simulator.runner import Simulator
from watcher.tests import servers
from watcher.tests.integration.simulator.conftest import scenario

pytestmark = pytest.mark.integration

DEFAULT_TOPICS = next(o.default for o in decision_engine.OPTS if o.name == "notification_topics")


class _Collector:
    def __init__(self) -> None:
        self.events: list[tuple[str, str, dict]] = []
        self._lock = threading.Lock()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        with self._lock:
            self.events.append((publisher_id, event_type, payload))

    def wait_for(self, predicate, timeout: float = 15.0) -> tuple:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for event in self.events:
                    if predicate(*event):
                        return event
            time.sleep(0.05)
        raise AssertionError(f"no matching notification among {self.events}")


@pytest.fixture
def bus():
    host, port = servers.require("rabbitmq")
    url = servers.rabbit_url(host, port)
    transport = oslo_messaging.get_notification_transport(cfg.ConfigOpts(), url=url)
    collector = _Collector()
    # What a decision engine with the default notification_topics listens to: the exchanges
    # a real cloud publishes on (Nova's control_exchange, and Cinder's: oslo.messaging's).
    targets = listener.targets(DEFAULT_TOPICS)
    assert {(t.exchange, t.topic) for t in targets} == {
        ("nova", "versioned_notifications"), ("openstack", "notifications")}
    # A pool of our own: a private queue, so other consumers neither steal nor leave messages.
    server = oslo_messaging.get_notification_listener(
        transport, targets, [collector], executor="threading",
        pool=f"simulator-test-{uuid.uuid4().hex[:8]}")
    server.start()
    try:
        yield url, collector
    finally:
        server.stop()
        server.wait()
        transport.cleanup()


def test_nova_and_cinder_notifications_reach_the_bus(bus):
    url, collector = bus
    with Simulator.from_scenario(scenario(), transport_url=url) as sim:
        vm3 = sim.state.servers_by_name["vm3"]
        sim.operations.live_migrate(vm3, "cmp3")
        sim.advance()
        service = sim.state.compute_services["cmp2"]
        sim.operations.update_service(service, "disabled", "watcher_test")
        data2 = next(v for v in sim.state.volumes.values() if v.name == "data2")
        sim.operations.migrate_volume(data2, "stor2@ceph#pool2")
        sim.advance()
        sim.notifications.flush()

        publisher, _, payload = collector.wait_for(
            lambda p, e, body: e == "instance.live_migration_post_dest.end"
            and body["nova_object.data"]["uuid"] == vm3.id)
        assert publisher == "nova-compute:cmp3"
        data = payload["nova_object.data"]
        assert (data["host"], data["state"]) == ("cmp3", "active")
        assert data["flavor"]["nova_object.data"]["vcpus"] == 2
        _, _, update = collector.wait_for(
            lambda p, e, body: e == "instance.update"
            and body["nova_object.data"]["state_update"]["nova_object.data"]["new_task_state"]
            == "migrating")
        assert update["nova_object.name"] == "InstanceUpdatePayload"
        publisher, _, status = collector.wait_for(
            lambda p, e, body: e == "service.update"
            and body["nova_object.data"]["host"] == "cmp2")
        assert publisher == "nova-compute:cmp2"
        assert status["nova_object.data"]["disabled_reason"] == "watcher_test"
        publisher, _, volume = collector.wait_for(
            lambda p, e, body: e == "volume.update.end" and body["volume_id"] == data2.id)
        assert publisher == "volume.stor2@ceph"
        assert volume["host"] == "stor2@ceph#pool2"
