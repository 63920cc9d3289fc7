import pytest

from watcher.common import clients
from watcher.tests.fixtures.cloud import point_clients_at

pytestmark = pytest.mark.integration


def test_connection_lists_compute_placement_and_storage(sim, sim_conf):
    osc = clients.OpenStackClients()
    conn = osc.connection()
    names = {h.name for h in conn.compute.hypervisors()}
    assert names == {"compute-1", "compute-2", "compute-3", "compute-4"}
    assert {s.name for s in conn.compute.servers(all_projects=True)} >= {"web-1", "demo-1"}
    providers = list(conn.placement.resource_providers())
    assert {p.name for p in providers} >= names
    assert {v.name for v in conn.block_storage.volumes(all_projects=True)} == {
        "db-data",
        "scratch",
    }
    # Groups without credentials of their own share the fallback session (one token).
    assert osc.session("nova") is osc.session("cinder") is osc.session()


def test_compute_microversion_comes_from_nova_api_version(sim, sim_conf):
    sim_conf.config(group="nova", api_version="2.79")
    conn = clients.OpenStackClients().connection()
    response = conn.compute.get("/servers/detail")
    assert response.headers["OpenStack-API-Version"] == "compute 2.79"


def test_group_with_own_auth_gets_its_own_session(sim, sim_conf):
    point_clients_at(sim_conf, sim, group="nova")
    osc = clients.OpenStackClients()
    assert osc.auth_group("nova") == "nova"
    assert osc.session("nova") is not osc.session("placement")
    conn = osc.connection("nova")
    assert len(list(conn.compute.hypervisors())) == 4


def test_endpoint_override_is_honoured(sim, sim_conf):
    sim_conf.config(group="placement", endpoint_override="http://127.0.0.1:9/placement")
    conn = clients.OpenStackClients().connection()
    with pytest.raises(Exception, match="127.0.0.1:9"):
        list(conn.placement.resource_providers())


def test_cinder_and_ironic_clients(sim, sim_conf):
    osc = clients.OpenStackClients()
    volumes = osc.cinder().volumes.list(search_opts={"all_tenants": 1})
    assert {v.name for v in volumes} == {"db-data", "scratch"}
    assert osc.cinder() is osc.cinder()
    nodes = osc.ironic().node.list()
    assert "node-3" in {n.name for n in nodes}
