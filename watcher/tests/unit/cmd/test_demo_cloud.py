"""What the demo reports about a host: its allocations, overloads and the cloud's bound."""

from watcher.cmd import demo_report
from watcher.cmd.demo_cloud import HostUse, Snapshot


def host(name, cores=32, disk_allocated=0, servers=("s",), **allocated):
    # 32 cores: 128 vCPUs and 128 GB allocatable, 1000 GB of disk.
    return HostUse(name, "enabled", cores, 128.0, 131072.0, 1000.0,
                   disk_allocated=disk_allocated, servers=list(servers), **allocated)


def test_the_fullest_allocation_names_the_class_that_stops_packing():
    full_disk = host("a", vcpus_allocated=32, memory_allocated=65536, disk_allocated=980)
    assert full_disk.allocations() == {"vCPU": 0.25, "RAM": 0.5, "disk": 0.98}
    assert full_disk.fullest_allocation() == ("disk", 0.98)
    assert demo_report.allocation(full_disk) == "disk 98%"
    assert demo_report.allocation(host("empty", servers=())) == ""


def test_disk_claims_beyond_placement_overload_a_host():
    assert host("a", disk_allocated=1000).overload() == []
    assert host("a", disk_allocated=1020).overload() == [
        "1020 GB of disk of 1000 allocatable"]


def test_lower_bound_counts_disk():
    # Memory and vCPUs fit one host; 1500 GB of disk claims need two.
    snap = Snapshot({"a": host("a", vcpus_allocated=10, memory_allocated=1024,
                               disk_allocated=900),
                     "b": host("b", vcpus_allocated=10, memory_allocated=1024,
                               disk_allocated=600),
                     "c": host("c", servers=())}, {})
    assert snap.lower_bound() == 2
    assert [row for row in demo_report.Outcome("s", snap, snap, 0, {}, {}).summary()
            if row[0] == "fullest allocation"] == [("fullest allocation", "90%", "90%")]
