import pytest
import requests
from novaclient import client as nova_client
from novaclient import exceptions as nova_exc

from watcher.tests.integration.simulator.conftest import password_session

pytestmark = pytest.mark.integration

COMPUTE = {"service_type": "compute"}


def _nova(sim, version: str = "2.56"):
    return nova_client.Client(version, session=password_session(sim))


def _usage(sim, host: str) -> dict:
    session = password_session(sim)
    uuid = sim.state.hypervisors_by_name[host].id
    response = session.get(f"/resource_providers/{uuid}/usages",
                           endpoint_filter={"service_type": "placement"})
    return response.json()["usages"]


def test_servers_detail_all_tenants_with_paging(sim, conn):
    servers = list(conn.compute.servers(details=True, all_projects=True, limit=2))
    assert [s.name for s in servers] == ["demo1", "vm4", "vm3", "vm2", "vm1"]
    assert sim.requests["compute"] >= 3  # the SDK followed the next links
    mine = [s.name for s in conn.compute.servers(details=True)]
    assert mine == ["vm4", "vm3", "vm2", "vm1"]
    on_cmp1 = [s.name for s in conn.compute.servers(details=True, all_projects=True,
                                                    compute_host="cmp1")]
    assert on_cmp1 == ["vm4", "vm3", "vm1"]
    vm3 = next(s for s in servers if s.name == "vm3")
    assert vm3.flavor.vcpus == 2 and vm3.flavor.original_name == "m1.medium"
    assert vm3.compute_host == "cmp1" and vm3.availability_zone == "az1"


def test_paging_links_and_marker_errors(sim, admin_session):
    body = admin_session.get("/servers/detail?all_tenants=1&limit=4",
                             endpoint_filter=COMPUTE).json()
    assert len(body["servers"]) == 4
    [link] = body["servers_links"]
    assert link["rel"] == "next" and f"marker={body['servers'][-1]['id']}" in link["href"]
    rest = admin_session.get(link["href"]).json()
    assert len(rest["servers"]) == 1 and "servers_links" not in rest
    bad = admin_session.get("/servers/detail?marker=nope", endpoint_filter=COMPUTE,
                            raise_exc=False)
    assert bad.status_code == 400 and bad.json()["badRequest"]["code"] == 400


def test_member_sees_own_servers_and_cannot_list_all(sim):
    demo = password_session(sim, "demo", "demo", "demo")
    body = demo.get("/servers/detail", endpoint_filter=COMPUTE).json()
    assert [s["name"] for s in body["servers"]] == ["demo1"]
    assert "OS-EXT-SRV-ATTR:host" not in body["servers"][0]
    forbidden = demo.get("/servers/detail?all_tenants=1", endpoint_filter=COMPUTE,
                         raise_exc=False)
    assert forbidden.status_code == 403
    other = sim.state.servers_by_name["vm1"].id
    missing = demo.get(f"/servers/{other}", endpoint_filter=COMPUTE, raise_exc=False)
    assert missing.status_code == 404
    assert missing.json() == {"itemNotFound": {"code": 404, "message":
                                               f"Instance {other} could not be found."}}


def test_microversion_headers(sim, admin_session):
    response = admin_session.get("/flavors/detail", endpoint_filter=COMPUTE,
                                 headers={"OpenStack-API-Version": "compute 2.61"})
    assert response.headers["OpenStack-API-Version"] == "compute 2.61"
    assert response.headers["X-OpenStack-Nova-API-Version"] == "2.61"
    assert "extra_specs" in response.json()["flavors"][0]
    legacy = admin_session.get("/flavors/detail", endpoint_filter=COMPUTE,
                               headers={"X-OpenStack-Nova-API-Version": "2.1"})
    assert legacy.headers["OpenStack-API-Version"] == "compute 2.1"
    assert "extra_specs" not in legacy.json()["flavors"][0]
    latest = admin_session.get("/flavors", endpoint_filter=COMPUTE,
                               headers={"OpenStack-API-Version": "compute latest"})
    assert latest.headers["OpenStack-API-Version"] == "compute 2.100"
    too_new = admin_session.get("/flavors", endpoint_filter=COMPUTE, raise_exc=False,
                                headers={"OpenStack-API-Version": "compute 2.200"})
    assert too_new.status_code == 406


def test_live_migration_moves_server_and_allocations(sim, conn):
    vm3 = sim.state.servers_by_name["vm3"]
    before = _usage(sim, "cmp3")
    conn.compute.live_migrate_server(vm3.id, host="cmp3", block_migration="auto")
    assert conn.compute.get_server(vm3.id).status == "MIGRATING"
    during = _usage(sim, "cmp3")
    assert during["VCPU"] == before["VCPU"] + 2  # destination claimed while moving
    [running] = list(conn.compute.server_migrations(vm3.id))
    assert (running.status, running.dest_compute) == ("running", "cmp3")
    sim.advance()
    server = conn.compute.get_server(vm3.id)
    assert (server.status, server.compute_host) == ("ACTIVE", "cmp3")
    assert _usage(sim, "cmp3")["VCPU"] == before["VCPU"] + 2
    assert _usage(sim, "cmp1")["VCPU"] == 2  # vm1 + vm4 left
    [migration] = list(conn.compute.migrations())
    assert (migration.status, migration.migration_type) == ("completed", "live-migration")
    # the call Watcher's compute collector makes per node
    [hypervisor] = conn.compute.hypervisors(hypervisor_hostname_pattern="cmp3",
                                            with_servers=True, details=True)
    assert {s["name"] for s in hypervisor.servers} == {"vm3", "demo1"}


def test_live_migration_checks(sim):
    nova = _nova(sim)
    vm4 = sim.state.servers_by_name["vm4"]  # SHUTOFF
    with pytest.raises(nova_exc.Conflict, match="vm_state stopped"):
        nova.servers.live_migrate(vm4.id, "cmp2", "auto")
    vm1 = sim.state.servers_by_name["vm1"]
    with pytest.raises(nova_exc.BadRequest, match="cmp9 could not be found"):
        nova.servers.live_migrate(vm1.id, "cmp9", "auto")
    # anti-affinity: vm2 of the same group is on cmp2, so the move fails after the attempt
    nova.servers.live_migrate(vm1.id, "cmp2", "auto")
    sim.advance()
    server = nova.servers.get(vm1.id)
    assert (server.status, getattr(server, "OS-EXT-SRV-ATTR:host")) == ("ACTIVE", "cmp1")
    assert nova.migrations.list()[0].status == "error"


def test_abort_live_migration(sim):
    nova = _nova(sim, "2.65")
    vm3 = sim.state.servers_by_name["vm3"]
    nova.servers.live_migrate(vm3.id, "cmp2", "auto")
    [migration] = nova.server_migrations.list(vm3.id)
    nova.server_migrations.live_migration_abort(vm3.id, migration.id)
    sim.advance()
    server = nova.servers.get(vm3.id)
    assert (server.status, getattr(server, "OS-EXT-SRV-ATTR:host")) == ("ACTIVE", "cmp1")
    assert nova.migrations.list()[0].status == "cancelled"


def test_cold_migrate_and_confirm(sim):
    nova = _nova(sim)
    vm3 = sim.state.servers_by_name["vm3"]
    nova.servers.migrate(vm3.id, host="cmp2")
    assert nova.servers.get(vm3.id).status == "RESIZE"
    sim.advance()
    server = nova.servers.get(vm3.id)
    assert (server.status, getattr(server, "OS-EXT-SRV-ATTR:host")) == ("VERIFY_RESIZE", "cmp2")
    assert _usage(sim, "cmp1")["VCPU"] == 4  # source keeps the old footprint until confirm
    nova.servers.confirm_resize(vm3.id)
    assert nova.servers.get(vm3.id).status == "ACTIVE"
    assert _usage(sim, "cmp1")["VCPU"] == 2


def test_resize_confirm_and_revert(sim):
    nova = _nova(sim)
    vm1 = sim.state.servers_by_name["vm1"]
    nova.servers.resize(vm1.id, "2")
    sim.advance()
    server = nova.servers.get(vm1.id)
    assert server.status == "VERIFY_RESIZE" and server.flavor["original_name"] == "m1.medium"
    nova.servers.revert_resize(vm1.id)
    server = nova.servers.get(vm1.id)
    assert server.status == "ACTIVE" and server.flavor["original_name"] == "m1.small"
    with pytest.raises(nova_exc.Conflict):
        nova.servers.confirm_resize(vm1.id)


def test_stop_and_start(sim, conn):
    vm1 = sim.state.servers_by_name["vm1"]
    conn.compute.stop_server(vm1.id)
    assert conn.compute.get_server(vm1.id).task_state == "powering-off"
    sim.advance()
    server = conn.compute.get_server(vm1.id)
    assert (server.status, server.power_state, server.vm_state) == ("SHUTOFF", 4, "stopped")
    conn.compute.start_server(vm1.id)
    sim.advance()
    assert conn.compute.get_server(vm1.id).status == "ACTIVE"


def test_services_disable_enable(sim, conn):
    service = next(s for s in conn.compute.services(binary="nova-compute") if s.host == "cmp2")
    conn.compute.disable_service(service, service.host, service.binary,
                                 disabled_reason="watcher_maintenance")
    changed = next(s for s in conn.compute.services() if s.host == "cmp2")
    assert (changed.status, changed.disabled_reason) == ("disabled", "watcher_maintenance")
    hypervisor = next(h for h in conn.compute.hypervisors(details=True) if h.name == "cmp2")
    assert hypervisor.status == "disabled"
    traits = password_session(sim).get(
        f"/resource_providers/{hypervisor.id}/traits",
        endpoint_filter={"service_type": "placement"}).json()["traits"]
    assert "COMPUTE_STATUS_DISABLED" in traits
    _nova(sim, "2.1").services.enable("cmp2", "nova-compute")  # legacy URL
    assert next(s for s in conn.compute.services() if s.host == "cmp2").status == "enabled"


def test_hypervisors_at_old_and_new_microversions(sim):
    old = _nova(sim, "2.1").hypervisors.list()
    assert [(h.id, h.hypervisor_hostname, h.vcpus_used) for h in old] == [
        (1, "cmp1", 4), (2, "cmp2", 1), (3, "cmp3", 1)]
    new = _nova(sim, "2.53").hypervisors.search("cmp3", servers=True)
    assert [s["name"] for s in new[0].servers] == ["demo1"]
    assert new[0].id == sim.state.hypervisors_by_name["cmp3"].id


def test_zones_aggregates_groups_flavors(sim, conn):
    nova = _nova(sim)
    zones = {z.zoneName: z for z in nova.availability_zones.list(detailed=True)}
    assert {"az1", "az2", "internal"} <= set(zones)
    assert set(zones["az1"].hosts) == {"cmp1", "cmp2"}
    aggregates = {a.name: a for a in conn.compute.aggregates()}
    assert aggregates["rack1"].hosts == ["cmp1", "cmp2"]
    assert aggregates["rack1"].metadata["ssd"] == "true"
    [group] = conn.compute.server_groups(all_projects=True)
    assert group.policy == "anti-affinity" and len(group.member_ids) == 2
    assert {f.name for f in conn.compute.flavors()} == {"m1.small", "m1.medium"}


def test_missing_token_is_rejected_like_keystonemiddleware(sim):
    response = requests.get(sim.service_url("compute") + "/v2.1/servers", timeout=5)
    assert response.status_code == 401
    assert response.json()["error"]["title"] == "Unauthorized"
    assert response.headers["WWW-Authenticate"] == f'Keystone uri="{sim.auth_url}"'
    versions = requests.get(sim.service_url("compute") + "/", timeout=5).json()
    assert [v["id"] for v in versions["versions"]] == ["v2.0", "v2.1"]


def test_server_document_follows_microversion_and_role(sim, admin_session):
    vm1 = sim.state.servers_by_name["vm1"]
    url = f"/servers/{vm1.id}"

    def show(session, version):
        return session.get(url, endpoint_filter=COMPUTE, headers={
            "OpenStack-API-Version": f"compute {version}"}).json()["server"]

    old = show(admin_session, "2.1")
    assert set(old["flavor"]) == {"id", "links"} and "locked" not in old
    assert old["OS-EXT-SRV-ATTR:host"] == "cmp1" and "OS-EXT-SRV-ATTR:hostname" not in old
    new = show(admin_session, "2.100")
    assert new["flavor"]["original_name"] == "m1.small"
    assert (new["host_status"], new["locked"], new["scheduler_hints"]) == ("UP", False, {})
    assert new["OS-EXT-SRV-ATTR:hostname"] == "vm1"
    assert new["os-extended-volumes:volumes_attached"] == [
        {"id": next(v.id for v in sim.state.volumes.values() if v.name == "data1"),
         "delete_on_termination": False}]
    demo = password_session(sim, "demo", "demo", "demo")
    demo1 = sim.state.servers_by_name["demo1"]
    mine = demo.get(f"/servers/{demo1.id}", endpoint_filter=COMPUTE, headers={
        "OpenStack-API-Version": "compute 2.100"}).json()["server"]
    assert "host_status" not in mine and "OS-EXT-SRV-ATTR:host" not in mine
    assert mine["tenant_id"] == demo1.project_id


def test_bad_input_is_a_400_not_a_crash(sim, admin_session):
    bad_regex = admin_session.get("/servers/detail?name=%5B", endpoint_filter=COMPUTE,
                                  raise_exc=False)
    assert bad_regex.status_code == 400 and "badRequest" in bad_regex.json()
    vm1 = sim.state.servers_by_name["vm1"].id
    not_a_dict = admin_session.post(f"/servers/{vm1}/action", endpoint_filter=COMPUTE,
                                    json={"os-migrateLive": "cmp2"}, raise_exc=False)
    assert not_a_dict.status_code == 400
