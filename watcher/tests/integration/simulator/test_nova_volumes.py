"""Nova's volume attachments through openstacksdk: attach, list, show, detach, and the root
volume of a server booted from a volume; Cinder sees the same attachments."""

import pytest
from openstack import exceptions as sdk_exc

pytestmark = pytest.mark.integration


def _volume(conn, sim, name: str):
    volume = conn.block_storage.create_volume(size=1, name=name)
    sim.advance()
    return volume


def _server(conn, sim, name: str, **kwargs):
    flavor = conn.compute.find_flavor("m1.small")
    network = conn.network.find_network("private")
    if "block_device_mapping" not in kwargs:
        kwargs["image_id"] = conn.image.find_image("cirros-0.6.3-x86_64-disk").id
    server = conn.compute.create_server(name=name, flavor_id=flavor.id,
                                        networks=[{"uuid": network.id}], **kwargs)
    sim.advance()
    return server


def test_attach_list_detach(sim, conn):
    server = _server(conn, sim, "with-data")
    volume = _volume(conn, sim, "data")
    attached = conn.compute.create_volume_attachment(server, volume_id=volume.id)
    assert (attached.volume_id, attached.device) == (volume.id, "/dev/vdb")
    shown = conn.block_storage.get_volume(volume.id)
    assert shown.status == "in-use"
    assert [a["server_id"] for a in shown.attachments] == [server.id]
    assert [a.volume_id for a in conn.compute.volume_attachments(server)] == [volume.id]
    # In use: a second attach is refused.
    with pytest.raises(sdk_exc.BadRequestException):
        conn.compute.create_volume_attachment(server, volume_id=volume.id)
    conn.compute.delete_volume_attachment(server, volume.id)
    assert list(conn.compute.volume_attachments(server)) == []
    assert conn.block_storage.get_volume(volume.id).status == "available"
    with pytest.raises(sdk_exc.NotFoundException):
        conn.compute.get_volume_attachment(server, volume.id)


def test_boot_from_volume_attaches_the_root_volume(sim, conn):
    root = _volume(conn, sim, "root")
    server = _server(conn, sim, "bfv", block_device_mapping=[{
        "uuid": root.id, "source_type": "volume", "destination_type": "volume",
        "boot_index": 0, "delete_on_termination": False}])
    [attachment] = conn.compute.volume_attachments(server)
    assert (attachment.volume_id, attachment.device) == (root.id, "/dev/vda")
    assert not conn.compute.get_server(server.id).image.get("id")
    with pytest.raises(sdk_exc.BadRequestException, match="root device"):
        conn.compute.delete_volume_attachment(server, root.id)
    conn.compute.delete_server(server)
    sim.advance()
    assert conn.block_storage.get_volume(root.id).status == "available"
