"""Clouds built from a PlanetLab-format day: flavors, spread, and the metrics served."""

import numpy as np
import pytest

from watcher.simulator.scenario import loader, planetlab
from watcher.simulator.state import CloudState


@pytest.fixture
def day(tmp_path):
    """Eight rows; row r reads r + step % 7 percent (step 144: r + 4), row 7 is idle."""
    path = tmp_path / "day.csv"
    lines = ["# name,v0..v287"]
    for row in range(7):
        lines.append(",".join([f"vm{row}"] + [str(row + step % 7) for step in range(288)]))
    lines.append(",".join(["idle"] + ["0"] * 288))
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_one_server_per_row_replaying_its_row_with_now_at_noon(day):
    cloud = planetlab.build(day, "cpu-bound", hosts=2)
    assert len(cloud.vm_names) == 8 and cloud.host_names == ["compute-0000", "compute-0001"]
    state = CloudState(loader.load(cloud.scenario))
    state.clock.advance(planetlab.NOON_SECONDS)
    for index, name in enumerate(cloud.vm_names):
        server = state.servers_by_name[name]
        assert state.metrics.server_value(server.id, "cpu_util") == cloud.util[index, 144]
        assert state.metrics.server_value(server.id, "memory_util") == 75.0
        assert server.host == cloud.host_names[cloud.placement[index]]
    assert cloud.util[:7, 144].tolist() == [r + 4 for r in range(7)]
    # A host's CPU is its servers' cores over its 32 physical ones.
    for host, name in enumerate(cloud.host_names):
        on_host = cloud.placement == host
        expected = (cloud.util[on_host, 144] * cloud.flavors[on_host, 0]).sum() / 32
        assert state.metrics.host_value(name, "cpu_util") == pytest.approx(expected)


def test_flavors_come_from_the_fixed_mix_and_the_build_is_deterministic(day):
    first = planetlab.build(day, "ram-bound", hosts=3, seed=7)
    again = planetlab.build(day, "ram-bound", hosts=3, seed=7)
    assert np.array_equal(first.flavors, again.flavors)
    assert np.array_equal(first.placement, again.placement)
    mix = {f[1:4] for f in planetlab.FLAVORS}
    assert {tuple(int(v) for v in row) for row in first.flavors} <= mix
    flavors = {s["flavor"] for s in first.scenario["compute"]["servers"]}
    assert flavors <= {f[0] for f in planetlab.FLAVORS}


def test_servers_are_spread_evenly_and_more_servers_reuse_rows(day):
    cloud = planetlab.build(day, "cpu-bound", vms=20)
    assert len(cloud.host_names) == 4  # ceil(20 / 5)
    assert cloud.vm_rows.tolist() == [i % 8 for i in range(20)]
    allocated = np.zeros((4, 3))
    np.add.at(allocated, cloud.placement, cloud.flavors)
    # Least-loaded first: every host gets a share; none is more than half full.
    assert (allocated[:, 0] > 0).all()
    assert (allocated / cloud.shape.allocatable() <= 0.5).all()


def test_a_cloud_that_would_start_more_than_half_full_is_refused(day):
    with pytest.raises(ValueError, match="use more hosts"):
        planetlab.build(day, "ram-bound", vms=200, hosts=2)


def test_shapes_count_allocatable_capacity_as_placement_does():
    ram = planetlab.SHAPES["ram-bound"].allocatable()
    cpu = planetlab.SHAPES["cpu-bound"].allocatable()
    assert ram.tolist() == [128.0, 131072.0 - 512, 2048.0]
    assert cpu.tolist() == [512.0, 524288.0 - 512, 8192.0]
