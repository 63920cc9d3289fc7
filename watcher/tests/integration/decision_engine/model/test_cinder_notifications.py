"""The live storage model follows the simulator's Cinder notifications on the real RabbitMQ."""

import pytest
from oslo_utils import uuidutils

from watcher.common import clients, rpc
from watcher.conf import CONF
from watcher.decision_engine.model.collector import cinder
from watcher.decision_engine.model.notification import listener as notification_listener
from watcher.simulator.runner import Simulator
from watcher.tests import servers
from watcher.tests.integration.applier.actions.conftest import configure, scenario, volume
from watcher.tests.integration.decision_engine.model.test_nova_notifications import (
    delete_queue,
    wait_for_queue,
    wait_until,
)

pytestmark = pytest.mark.integration

POOL1, POOL2 = "stor1@lvm#pool1", "stor2@ceph#pool2"


@pytest.fixture
def live(conf):
    host, port = servers.require("rabbitmq")
    url = servers.rabbit_url(host, port)
    suffix = uuidutils.generate_uuid()[:8]
    conf.config(host=f"de-storage-{suffix}", transport_url=url)
    # An exchange of this test's own: other simulators on the shared broker publish on
    # "openstack", and their volumes must not reach this model.
    exchange = f"openstack-{suffix}"
    conf.config(group="watcher_decision_engine", notification_topics=[f"{exchange}.notifications"])
    with Simulator.from_scenario(scenario(), transport_url=url,
                                 notification_exchanges={"cinder_exchange": exchange}) as sim:
        configure(conf, sim)
        collector = cinder.CinderClusterDataModelCollector(osc=clients.OpenStackClients())
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


def test_volume_migration_and_retype_move_the_volume_in_the_model(live):
    sim, collector = live
    conn = clients.OpenStackClients().connection()
    data1, data2 = volume(sim, "data1"), volume(sim, "data2")
    conn.block_storage.migrate_volume(data1.id, host=POOL2)
    conn.block_storage.retype_volume(data2.id, "ceph", migration_policy="on-demand")
    sim.advance()

    def moved():
        model = collector.cluster_data_model
        return all(model.get_pool_by_volume(v.id).name == POOL2 for v in (data1, data2))

    wait_until(moved)
    model = collector.cluster_data_model
    assert model.get_volume_by_uuid(data2.id).volume_type == "ceph"
    assert [v.name for v in model.get_pool_volumes(POOL1)] == ["attached"]
    assert model.get_pool_by_pool_name(POOL1).free_capacity_gb == 990
    assert model.get_pool_by_pool_name(POOL2).free_capacity_gb == 1980
