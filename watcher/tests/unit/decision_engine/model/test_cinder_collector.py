"""Storage collector pieces that need no cloud: rows to elements, backends to types, catalog."""

import types

from keystoneauth1 import exceptions as ks_exc

from watcher.decision_engine.model.collector import cinder


def test_build_pool_reads_capabilities_and_tolerates_unknown_figures():
    pool = cinder.build_pool("h@lvm#p", {
        "total_capacity_gb": "infinite", "free_capacity_gb": 12.5, "allocated_capacity_gb": 7,
        "provisioned_capacity_gb": "8", "total_volumes": 3, "volume_backend_name": "LVM",
        "max_over_subscription_ratio": "20.0",
    })
    assert (pool.total_capacity_gb, pool.free_capacity_gb, pool.allocated_capacity_gb,
            pool.provisioned_capacity_gb, pool.total_volumes) == (0.0, 12.5, 7.0, 8.0, 3)
    assert (pool.max_over_subscription_ratio, pool.volume_backend_name) == (20.0, "LVM")
    assert cinder.build_pool("h@x#p", {}).max_over_subscription_ratio == 1.0


def test_build_volume_from_an_admin_row():
    volume = cinder.build_volume({
        "id": "v1", "size": 5, "status": "in-use", "name": None, "bootable": "true",
        "attachments": [{"server_id": "s1", "attachment_id": "a1", "device": "/dev/vdb"}],
        "os-vol-tenant-attr:tenant_id": "p1", "os-vol-host-attr:host": "h@lvm#p",
        "os-vol-mig-status-attr:migstat": "migrating", "volume_type": "gold",
        "metadata": {"k": "v"}, "multiattach": False, "created_at": "2026-01-01T00:00:00",
    }, has_snapshots=True)
    assert (volume.uuid, volume.name, volume.bootable, volume.project_id, volume.host,
            volume.migration_status, volume.has_snapshots) == (
        "v1", "", True, "p1", "h@lvm#p", "migrating", True)
    assert volume.attachments == [{"server_id": "s1", "attachment_id": "a1"}]


def test_backend_types_match_volume_backend_name():
    volume_types = {
        "gold": {"extra_specs": {"volume_backend_name": "lvm"}},
        "any": {"extra_specs": {}},
        "fast": {"extra_specs": {"volume_backend_name": "LVM_iSCSI"}},
    }
    assert cinder.backend_types({"lvm", "LVM_iSCSI"}, volume_types) == ["fast", "gold"]
    assert cinder.backend_types(set(), volume_types) == []


class _Session:
    def __init__(self, endpoints):
        self.endpoints = endpoints
        self.asked = []

    def get_endpoint(self, service_type, **where):
        self.asked.append((service_type, where))
        if service_type not in self.endpoints:
            raise ks_exc.EndpointNotFound()
        return self.endpoints[service_type]


def _collector(endpoints, options):
    session = _Session(endpoints)
    osc = types.SimpleNamespace(adapter_options=lambda group: options,
                                session=lambda group: session)
    return cinder.CinderClusterDataModelCollector(osc=osc), session


def test_block_storage_found_under_either_service_type():
    collector, session = _collector({"volumev3": "http://c/v3"},
                                    {"interface": ["internal"], "region_name": "R1"})
    assert collector.block_storage_available()
    assert session.asked == [
        ("block-storage", {"interface": "internal", "region_name": "R1"}),
        ("volumev3", {"interface": "internal", "region_name": "R1"}),
    ]
    collector, _ = _collector({}, {})
    assert not collector.block_storage_available()
    assert collector.execute() is None
    collector, session = _collector({}, {"endpoint_override": "http://c/v3"})
    assert collector.block_storage_available() and session.asked == []
