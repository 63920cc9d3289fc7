import pytest

from watcher.decision_engine.model import element
from watcher.decision_engine.model.collector import base
from watcher.decision_engine.model.notification import nova
from watcher.tests.unit.decision_engine.model import builders


class LiveModel(base.BaseClusterDataModelCollector):
    """A collector holding a hand-built model; Nova knows the hosts in ``known_hosts``."""

    def __init__(self, model, known_hosts=()):
        super().__init__(osc=object())
        self.set_cluster_data_model(model)
        self.known_hosts = set(known_hosts)

    def execute(self):
        raise NotImplementedError

    def fetch_node(self, host):
        if host in self.known_hosts:
            return builders.node(99, hostname=host)
        return None


def versioned(data: dict) -> dict:
    return {"nova_object.name": "Payload", "nova_object.data": data}


def instance_payload(uuid: str, host: str | None, state: str = "active", **extra) -> dict:
    flavor = {
        "memory_mb": 1024,
        "vcpus": 3,
        "root_gb": 10,
        "ephemeral_gb": 5,
        "swap": 512,
        "extra_specs": {"hw:numa_nodes": "1"},
    }
    data = {
        "uuid": uuid,
        "host": host,
        "state": state,
        "display_name": "new",
        "tenant_id": "p9",
        "metadata": {"k": "v"},
        "locked": True,
        "image_uuid": "img",
        "flavor": versioned(flavor),
    }
    data.update(extra)
    return versioned(data)


@pytest.fixture
def live():
    collector = LiveModel(builders.model({1: [1], 2: []}), known_hosts={"host-new"})
    return collector, nova.VersionedNotificationEndpoint(collector)


def test_create_adds_and_maps_the_instance(live):
    collector, endpoint = live
    endpoint.info(
        {}, "nova-compute:host-2", "instance.create.end", instance_payload("vm-7", "host-2"), {}
    )
    model = collector.cluster_data_model
    instance = model.get_instance_by_uuid("vm-7")
    assert (instance.vcpus, instance.memory, instance.disk) == (3, 1024, 10 + 5 + 1)
    assert (instance.project_id, instance.locked, instance.metadata) == ("p9", True, {"k": "v"})
    assert model.get_node_by_instance_uuid("vm-7").uuid == "node-2"
    assert model.get_node_used_resources("node-2")["vcpu"] == 3


def test_update_moves_and_resizes_and_building_is_ignored(live):
    collector, endpoint = live
    model = collector.cluster_data_model
    endpoint.handle(
        "instance.update", instance_payload("vm-1", "host-1", state="building", image_uuid="")
    )
    assert model.get_instance_by_uuid("vm-1").vcpus == 2
    endpoint.handle(
        "instance.live_migration_post_dest.end", instance_payload("vm-1", "host-2", image_uuid="")
    )
    assert model.get_node_by_instance_uuid("vm-1").uuid == "node-2"
    # Booted from volume (no image): no root disk.
    assert model.get_instance_by_uuid("vm-1").disk == 5 + 1
    assert model.get_node_used_resources("node-1")["vcpu"] == 0
    assert model.get_node_used_resources("node-2")["vcpu"] == 3


def test_instance_on_a_new_host_brings_the_node_in(live):
    collector, endpoint = live
    endpoint.handle("instance.create.end", instance_payload("vm-8", "host-new"))
    model = collector.cluster_data_model
    assert model.get_node_by_instance_uuid("vm-8").hostname == "host-new"


def test_shelve_offload_unmaps_and_delete_removes(live):
    collector, endpoint = live
    model = collector.cluster_data_model
    endpoint.handle("instance.shelve.end", instance_payload("vm-1", None, state="shelved"))
    assert model.get_node_used_resources("node-1")["vcpu"] == 0
    assert model.get_instance_by_uuid("vm-1").state == "shelved"
    endpoint.handle("instance.delete.end", instance_payload("vm-1", None, state="deleted"))
    assert "vm-1" not in model.get_all_instances()
    # An event about an instance the model never had changes nothing.
    endpoint.handle("instance.delete.end", instance_payload("vm-404", None))


def test_service_update_and_delete(live):
    collector, endpoint = live
    model = collector.cluster_data_model
    before = model.get_node_by_name("host-2")
    endpoint.info(
        {},
        "nova-compute:host-2",
        "service.update",
        versioned(
            {
                "host": "host-2",
                "binary": "nova-compute",
                "disabled": True,
                "disabled_reason": "watcher_disabled",
                "forced_down": True,
            }
        ),
        {},
    )
    node = model.get_node_by_name("host-2")
    assert (node.status, node.state, node.disabled_reason) == (
        element.ServiceState.DISABLED.value,
        element.ServiceState.OFFLINE.value,
        "watcher_disabled",
    )
    # The node was replaced, so a snapshot holding the old one is unaffected.
    assert before.status == "enabled"
    endpoint.handle("service.delete", versioned({"host": "host-2", "binary": "nova-compute"}))
    assert "node-2" not in model.get_all_compute_nodes()


def test_other_publishers_are_filtered_out():
    rule = nova.VersionedNotificationEndpoint.filter_rule
    assert rule.match({}, "nova-compute:h", "instance.update", {}, {})
    assert not rule.match({}, "cinder-volume:h", "instance.update", {}, {})
