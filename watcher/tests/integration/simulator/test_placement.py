import pytest

from watcher.tests.integration.simulator.conftest import password_session

pytestmark = pytest.mark.integration

PLACEMENT = {"service_type": "placement"}


def test_providers_and_inventories_with_openstacksdk(sim, conn):
    providers = {p.name: p for p in conn.placement.resource_providers()}
    assert set(providers) == {"cmp1", "cmp2", "cmp3"}
    cmp2 = providers["cmp2"]
    assert cmp2.id == sim.state.hypervisors_by_name["cmp2"].id
    inventories = {i.resource_class: i for i in
                   conn.placement.resource_provider_inventories(cmp2)}
    assert (inventories["VCPU"].total, inventories["VCPU"].allocation_ratio) == (16, 8.0)
    assert inventories["MEMORY_MB"].reserved == 1024
    assert inventories["DISK_GB"].total == 500


def test_usages_allocations_traits_aggregates(sim):
    session = password_session(sim)
    cmp1 = sim.state.hypervisors_by_name["cmp1"]
    usages = session.get(f"/resource_providers/{cmp1.id}/usages",
                         endpoint_filter=PLACEMENT).json()
    assert usages["usages"] == {"VCPU": 4, "MEMORY_MB": 8192, "DISK_GB": 80}
    allocations = session.get(f"/resource_providers/{cmp1.id}/allocations",
                              endpoint_filter=PLACEMENT).json()["allocations"]
    vm3 = sim.state.servers_by_name["vm3"]
    assert allocations[vm3.id]["resources"] == {"VCPU": 2, "MEMORY_MB": 4096, "DISK_GB": 40}
    consumer = session.get(f"/allocations/{vm3.id}", endpoint_filter=PLACEMENT,
                           headers={"OpenStack-API-Version": "placement 1.28"})
    assert consumer.headers["OpenStack-API-Version"] == "placement 1.28"
    body = consumer.json()
    assert list(body["allocations"]) == [cmp1.id]
    assert body["project_id"] == vm3.project_id and body["consumer_generation"] == 1
    traits = session.get(f"/resource_providers/{cmp1.id}/traits", endpoint_filter=PLACEMENT,
                         headers={"OpenStack-API-Version": "placement 1.6"}).json()
    assert "COMPUTE_NODE" in traits["traits"]
    aggregates = session.get(f"/resource_providers/{cmp1.id}/aggregates",
                             endpoint_filter=PLACEMENT,
                             headers={"OpenStack-API-Version": "placement 1.19"}).json()
    assert aggregates["aggregates"] == [sim.state.aggregates[1].uuid]
    usage = session.get(f"/usages?project_id={vm3.project_id}", endpoint_filter=PLACEMENT,
                        headers={"OpenStack-API-Version": "placement 1.9"}).json()
    assert usage["usages"]["VCPU"] == 5  # vm1, vm2, vm3 (2), vm4


def test_placement_errors_and_versions(sim):
    session = password_session(sim)
    missing = session.get("/resource_providers/nope", endpoint_filter=PLACEMENT,
                          raise_exc=False)
    assert missing.status_code == 404
    [error] = missing.json()["errors"]
    assert error["status"] == 404 and "nope" in error["detail"]
    old = session.get("/traits", endpoint_filter=PLACEMENT, raise_exc=False)
    assert old.status_code == 404  # traits need microversion 1.6
    root = session.get(sim.service_url("placement") + "/").json()
    assert root["versions"][0]["max_version"] == "1.39"
