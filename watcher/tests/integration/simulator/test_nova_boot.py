"""Server create/delete with the images, networks and keypairs Glance, Neutron and Nova
serve; instance actions, limits, usage and os-hosts; volume create (openstacksdk)."""

import pytest
from openstack import exceptions as sdk_exc

from watcher.tests.integration.simulator.conftest import password_session

pytestmark = pytest.mark.integration

COMPUTE = {"service_type": "compute"}


def _boot(conn, sim, name: str, **kwargs):
    image = conn.image.find_image("cirros-0.6.3-x86_64-disk")
    network = conn.network.find_network("private")
    flavor = conn.compute.find_flavor("m1.small")
    return conn.compute.create_server(name=name, flavor_id=flavor.id, image_id=image.id,
                                      networks=[{"uuid": network.id}], **kwargs)


def test_server_boots_on_the_roomiest_host_and_claims_it(sim, conn):
    free_before = {h.name: sim.state.capacity(h)[1] - h.memory_mb_used
                   for h in sim.state.hypervisor_order}
    created = _boot(conn, sim, "booted")
    assert conn.compute.get_server(created.id).status == "BUILD"
    sim.advance()
    server = conn.compute.get_server(created.id)
    assert server.status == "ACTIVE"
    assert server.compute_host == max(free_before, key=free_before.get)
    [address] = server.addresses["private"]
    port = next(conn.network.ports(device_id=server.id))
    assert port.fixed_ips[0]["ip_address"] == address["addr"]
    allocations = password_session(sim).get(
        f"/allocations/{server.id}", endpoint_filter={"service_type": "placement"}).json()
    [resources] = [a["resources"] for a in allocations["allocations"].values()]
    assert resources == {"VCPU": 1, "MEMORY_MB": 2048, "DISK_GB": 20}
    [action] = conn.compute.server_actions(server.id)
    assert action.action == "create"
    shown = conn.compute.get_server_action(action.request_id, server.id)
    [event] = shown.events
    assert (event["event"], event["result"]) == ("compute__do_build_and_run_instance",
                                                 "Success")


def test_forced_host_group_and_keypair(sim, conn):
    keypair = conn.compute.create_keypair(name="mykey")
    assert keypair.private_key.startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    assert conn.compute.get_keypair("mykey").fingerprint == keypair.fingerprint
    group = conn.compute.create_server_group(name="apart", policy="anti-affinity")
    first = _boot(conn, sim, "a1", key_name="mykey", availability_zone="az1:cmp1",
                  scheduler_hints={"group": group.id})
    second = _boot(conn, sim, "a2", scheduler_hints={"group": group.id})
    sim.advance()
    assert conn.compute.get_server(first.id).compute_host == "cmp1"
    assert conn.compute.get_server(first.id).key_name == "mykey"
    assert conn.compute.get_server(second.id).compute_host != "cmp1"
    assert sorted(conn.compute.get_server_group(group.id).member_ids) == sorted(
        [first.id, second.id])
    with pytest.raises(sdk_exc.BadRequestException, match="key_name"):
        _boot(conn, sim, "bad", key_name="nokey")
    with pytest.raises(sdk_exc.ConflictException):
        conn.compute.create_keypair(name="mykey")


def test_pinned_availability_zone_is_the_requested_one(sim, conn, admin_session):
    pinned = _boot(conn, sim, "pinned", availability_zone="az1:cmp1")
    free = _boot(conn, sim, "free")
    sim.advance()

    def shown(server_id: str, version: str) -> dict:
        return admin_session.get(f"/servers/{server_id}", endpoint_filter=COMPUTE,
                                 microversion=version).json()["server"]

    assert shown(pinned.id, "2.96")["pinned_availability_zone"] == "az1"
    assert shown(free.id, "2.96")["pinned_availability_zone"] is None
    assert "pinned_availability_zone" not in shown(pinned.id, "2.95")


def test_delete_frees_the_host_and_records_actions(sim, conn):
    created = _boot(conn, sim, "short-lived")
    sim.advance()
    host = conn.compute.get_server(created.id).compute_host
    hypervisor = sim.state.hypervisors_by_name[host]
    used = hypervisor.memory_mb_used
    conn.compute.stop_server(created.id)
    sim.advance()
    conn.compute.delete_server(created.id)
    sim.advance()
    assert conn.compute.find_server(created.id) is None
    assert hypervisor.memory_mb_used == used - 2048
    assert [a.action for a in sim.state.actions.of(created.id)] == ["delete", "stop",
                                                                   "create"]
    assert list(conn.network.ports(device_id=created.id)) == []


def test_refused_action_is_not_recorded(sim, conn):
    vm4 = sim.state.servers_by_name["vm4"]  # SHUTOFF
    with pytest.raises(sdk_exc.ConflictException):
        conn.compute.stop_server(vm4.id)
    assert list(conn.compute.server_actions(vm4.id)) == []


def test_no_host_with_room_puts_the_server_in_error(sim, conn):
    big = sim.state.flavors[next(iter(sim.state.flavors))]
    big.vcpus = 10_000
    created = _boot(conn, sim, "too-big")
    sim.advance()
    assert conn.compute.get_server(created.id).status == "ERROR"


def test_bad_references_are_400(sim, conn, admin_session):
    flavor = conn.compute.find_flavor("m1.small")
    for server, message in (
            ({"name": "x", "flavorRef": "nope", "imageRef": "nope"}, "Flavor nope"),
            ({"name": "x", "flavorRef": flavor.id, "imageRef": "nope"}, "Image nope"),
            ({"name": "x", "flavorRef": flavor.id,
              "imageRef": sim.state.make_id("image", "cirros"),
              "networks": [{"uuid": "nope"}]}, "Network nope")):
        response = admin_session.post("/servers", json={"server": server},
                                      endpoint_filter=COMPUTE, raise_exc=False)
        assert response.status_code == 400
        assert message in response.json()["badRequest"]["message"]
    assert len(sim.state.servers) == 5


def test_limits_usage_and_hosts(sim, conn, admin_session):
    limits = conn.compute.get_limits().absolute
    assert limits.instances_used == 4 and limits.total_cores_used == 5
    usage = admin_session.get("/os-simple-tenant-usage?detailed=1&start=2025-12-31T00:00:00"
                              "&end=2026-01-02T00:00:00", endpoint_filter=COMPUTE).json()
    by_project = {u["tenant_id"]: u for u in usage["tenant_usages"]}
    admin = by_project[sim.state.project_id("admin")]
    assert len(admin["server_usages"]) == 4
    assert admin["total_hours"] > 0
    hosts = admin_session.get("/os-hosts", endpoint_filter=COMPUTE,
                              headers={"OpenStack-API-Version": "compute 2.42"}).json()
    assert {h["host_name"] for h in hosts["hosts"] if h["service"] == "compute"} == {
        "cmp1", "cmp2", "cmp3"}
    gone = admin_session.get("/os-hosts", endpoint_filter=COMPUTE, raise_exc=False,
                             headers={"OpenStack-API-Version": "compute 2.43"})
    assert gone.status_code == 404
    host = admin_session.get("/os-hosts/cmp1", endpoint_filter=COMPUTE,
                             headers={"OpenStack-API-Version": "compute 2.1"}).json()
    used_now = host["host"][1]["resource"]
    assert (used_now["project"], used_now["cpu"]) == ("(used_now)", 4)


def test_images_and_networks_created_by_the_user(sim, conn):
    image = conn.image.create_image(name="uploaded", data=b"x" * 1024, disk_format="raw",
                                    container_format="bare", visibility="public")
    assert conn.image.get_image(image.id).status == "active"
    assert conn.image.get_image(image.id).size == 1024
    network = conn.network.create_network(name="net2")
    subnet = conn.network.create_subnet(network_id=network.id, cidr="192.168.5.0/24",
                                        ip_version=4, name="sub2")
    assert conn.network.get_network(network.id).subnet_ids == [subnet.id]
    created = conn.compute.create_server(
        name="on-net2", flavor_id=conn.compute.find_flavor("m1.small").id, image_id=image.id,
        networks=[{"uuid": network.id}])
    sim.advance()
    assert conn.compute.get_server(created.id).addresses["net2"][0]["addr"] == "192.168.5.2"
    with pytest.raises(sdk_exc.ConflictException):
        conn.network.delete_network(network.id)


def test_volume_create_and_delete(sim, conn):
    volume = conn.block_storage.create_volume(size=3, name="fresh", volume_type="ceph")
    assert volume.status == "creating"
    sim.advance()
    shown = conn.block_storage.get_volume(volume.id)
    assert (shown.status, shown.host) == ("available", "stor2@ceph#pool2")
    assert sim.state.pools["stor2@ceph#pool2"].allocated_capacity_gb == 8
    conn.block_storage.delete_volume(volume.id)
    assert conn.block_storage.find_volume(volume.id) is None
