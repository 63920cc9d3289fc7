import pytest
from cinderclient import client as cinder_client
from cinderclient import exceptions as cinder_exc

from watcher.tests.integration.simulator.conftest import password_session

pytestmark = pytest.mark.integration


def _cinder(sim, version: str = "3.50", user: str = "admin", password: str = "secret",
            project: str = "admin"):
    return cinder_client.Client(version, session=password_session(sim, user, password, project))


def test_volumes_pools_types_services_with_openstacksdk(sim, conn):
    volumes = {v.name: v for v in conn.block_storage.volumes(details=True, all_projects=True)}
    assert set(volumes) == {"data1", "data2", "data3"}
    data1 = volumes["data1"]
    assert (data1.status, data1.host, data1.volume_type) == ("in-use", "stor1@lvm#pool1", "lvm")
    assert data1.attachments[0]["server_id"] == sim.state.servers_by_name["vm1"].id
    pools = {p.name: p.capabilities for p in conn.block_storage.backend_pools()}
    assert pools["stor1@lvm#pool1"]["allocated_capacity_gb"] == 30
    assert pools["stor1@lvm#pool1"]["free_capacity_gb"] == 970
    assert {s.host for s in conn.block_storage.services(binary="cinder-volume")} == {
        "stor1@lvm", "stor2@ceph"}
    types = {t.name: t for t in conn.block_storage.types()}
    assert types["ceph"].extra_specs == {"volume_backend_name": "ceph"}


def test_cinderclient_paging_and_tenancy(sim):
    cinder = _cinder(sim)
    first = cinder.volumes.list(search_opts={"all_tenants": 1}, limit=2)
    assert [v.name for v in first] == ["data3", "data2"]
    rest = cinder.volumes.list(search_opts={"all_tenants": 1}, marker=first[-1].id)
    assert [v.name for v in rest] == ["data1"]
    assert len(cinder.volumes.list(search_opts={"all_tenants": 1})) == 3
    demo = _cinder(sim, user="demo", password="demo", project="demo")
    assert [v.name for v in demo.volumes.list()] == ["data3"]
    data1 = next(v.id for v in sim.state.volumes.values() if v.name == "data1")
    with pytest.raises(cinder_exc.NotFound):
        demo.volumes.get(data1)


def test_migrate_volume_moves_pool(sim, conn):
    data2 = next(v for v in sim.state.volumes.values() if v.name == "data2")
    conn.block_storage.migrate_volume(data2.id, host="stor2@ceph#pool2")
    assert conn.block_storage.get_volume(data2.id).migration_status == "migrating"
    sim.advance()
    volume = conn.block_storage.get_volume(data2.id)
    assert (volume.host, volume.migration_status) == ("stor2@ceph#pool2", "success")
    pools = {p.name: p.capabilities for p in conn.block_storage.backend_pools()}
    assert pools["stor2@ceph#pool2"]["allocated_capacity_gb"] == 25


def test_retype_with_cinderclient(sim):
    cinder = _cinder(sim)
    data1 = next(v for v in sim.state.volumes.values() if v.name == "data1")
    with pytest.raises(cinder_exc.BadRequest, match="never"):
        cinder.volumes.retype(data1.id, "ceph", "never")
    cinder.volumes.retype(data1.id, "ceph", "on-demand")
    assert cinder.volumes.get(data1.id).status == "retyping"
    sim.advance()
    volume = cinder.volumes.get(data1.id)
    assert (volume.volume_type, volume.status) == ("ceph", "in-use")
    assert getattr(volume, "os-vol-host-attr:host") == "stor2@ceph#pool2"
    with pytest.raises(cinder_exc.BadRequest):
        cinder.volumes.migrate_volume(data1.id, "stor2@ceph#pool2", False, False)


def test_microversion_and_errors(sim):
    session = password_session(sim)
    block = {"service_type": "block-storage"}
    response = session.get("/volumes/detail", endpoint_filter=block,
                           headers={"OpenStack-API-Version": "volume 3.63"})
    assert response.headers["OpenStack-API-Version"] == "volume 3.63"
    assert "volume_type_id" in response.json()["volumes"][0]
    missing = session.get("/volumes/nope", endpoint_filter=block, raise_exc=False)
    assert missing.json() == {"itemNotFound": {"code": 404, "message":
                                               "Volume nope could not be found."}}


def test_create_response_has_no_extension_attributes(sim):
    # Cinder's os-vol-* extensions decorate show and list only; tempest's create schema
    # refuses any other key.
    volumes = _cinder(sim).volumes
    created = volumes.create(size=1, name="fresh")
    assert not [key for key in created.to_dict() if key.startswith("os-vol-")]
    shown = volumes.get(created.id).to_dict()
    assert shown["os-vol-host-attr:host"].startswith("stor")
    assert shown["os-vol-tenant-attr:tenant_id"] == sim.state.volumes[created.id].project_id


def test_volume_type_create_use_and_delete(sim):
    cinder = _cinder(sim)
    created = cinder.volume_types.create("gold", description="fast", is_public=True)
    assert cinder.volume_types.get(created.id).name == "gold"
    with pytest.raises(cinder_exc.ClientException) as conflict:
        cinder.volume_types.create("gold")
    assert conflict.value.code == 409
    volume = cinder.volumes.create(size=1, volume_type="gold")
    sim.advance()
    with pytest.raises(cinder_exc.BadRequest):
        cinder.volume_types.delete(created.id)
    cinder.volumes.delete(volume.id)
    sim.advance()
    cinder.volume_types.delete(created.id)
    assert "gold" not in {t.name for t in cinder.volume_types.list()}
    with pytest.raises(cinder_exc.Forbidden):
        _cinder(sim, user="demo", password="demo", project="demo").volume_types.create("x")
