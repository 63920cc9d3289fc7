"""The live model follows the simulator's Nova notifications on the real RabbitMQ."""

import time

import pytest
from oslo_utils import uuidutils

from watcher.common import rpc
from watcher.conf import CONF
from watcher.decision_engine.model.collector import nova
from watcher.decision_engine.model.notification import listener as notification_listener
from watcher.simulator.runner import Simulator
from watcher.tests import servers
from watcher.tests.fixtures.cloud import point_clients_at
from watcher.tests.integration.decision_engine.model.conftest import SMALL_SCENARIO

pytestmark = pytest.mark.integration


def wait_until(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("the model did not follow the notifications in time")


@pytest.fixture
def live(conf):
    """A simulator sending on RabbitMQ, a collected model and our listener on the bus."""
    host, port = servers.require("rabbitmq")
    url = servers.rabbit_url(host, port)
    suffix = uuidutils.generate_uuid()[:8]
    # A pool of our own (the pool is the host name): a private queue on the shared broker.
    conf.config(host=f"de-model-{suffix}", transport_url=url)
    # And an exchange of its own: other simulators on the broker publish on "nova".
    exchange = f"nova-{suffix}"
    conf.config(group="watcher_decision_engine",
                notification_topics=[f"{exchange}.versioned_notifications"])
    with Simulator.from_scenario(SMALL_SCENARIO, transport_url=url,
                                 notification_exchanges={"nova_exchange": exchange}) as sim:
        point_clients_at(conf, sim)
        collector = nova.NovaClusterDataModelCollector()
        collector.synchronize()
        listener = notification_listener.get_listener(collector.notification_endpoints)
        listener.start()
        wait_for_queue(url, CONF.host)
        try:
            yield sim, collector
        finally:
            listener.stop()
            listener.wait()
            rpc.cleanup()
            delete_queue(url, CONF.host)


def wait_for_queue(url: str, name: str, timeout: float = 20.0) -> None:
    """The listener declares its queue on its own thread; until then the broker drops what
    the simulator publishes."""
    from kombu import Connection

    deadline = time.monotonic() + timeout
    with Connection(url.replace("rabbit://", "amqp://")) as connection:
        while time.monotonic() < deadline:
            try:
                connection.channel().queue_declare(queue=name, passive=True)
                return
            except Exception:
                time.sleep(0.1)
    raise AssertionError(f"queue {name} never appeared")


def delete_queue(url: str, name: str) -> None:
    """The pool's queue (named after the pool) would outlive the test and fill up."""
    servers.delete_queues(url, [name])


def test_live_migration_moves_the_instance_in_the_model(live):
    sim, collector = live
    model = collector.cluster_data_model
    server = sim.state.servers_by_name["batch-1"]
    assert model.get_node_by_instance_uuid(server.id).hostname == "compute-1"
    used_before = model.get_node_used_resources(model.get_node_by_name("compute-2"))

    sim.operations.live_migrate(server, "compute-2")
    sim.advance()
    sim.notifications.flush()

    wait_until(lambda: model.get_node_by_instance_uuid(server.id).hostname == "compute-2")
    used_after = model.get_node_used_resources(model.get_node_by_name("compute-2"))
    assert used_after["vcpu"] == used_before["vcpu"] + 2
    assert server.id not in {
        i.uuid for i in model.get_node_instances(model.get_node_by_name("compute-1"))
    }


def test_service_update_and_power_off_patch_the_model(live):
    sim, collector = live
    model = collector.cluster_data_model
    sim.operations.update_service(
        sim.state.compute_services["compute-2"], "disabled", "watcher_disabled"
    )
    server = sim.state.servers_by_name["batch-2"]
    sim.operations.stop(server)
    sim.advance()
    sim.notifications.flush()

    wait_until(lambda: model.get_node_by_name("compute-2").status == "disabled")
    assert model.get_node_by_name("compute-2").disabled_reason == "watcher_disabled"
    wait_until(lambda: model.get_instance_by_uuid(server.id).state == "stopped")
