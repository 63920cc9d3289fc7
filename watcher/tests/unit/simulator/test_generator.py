import pytest

from watcher.simulator.scenario import generator
from watcher.simulator.scenario.loader import load
from watcher.simulator.state import CloudState


def test_parse_spec():
    assert generator.parse_spec("hypervisors=10,servers=200,seed=3") == {
        "hypervisors": 10, "servers": 200, "seed": 3}
    with pytest.raises(ValueError, match="unknown key 'hosts'"):
        generator.parse_spec("hosts=3")
    with pytest.raises(ValueError, match="not key=value"):
        generator.parse_spec("servers")


def test_generated_cloud_is_valid_deterministic_and_skewed():
    doc = generator.generate(hypervisors=50, servers=1000, seed=4, baremetal=2)
    assert doc == generator.generate(hypervisors=50, servers=1000, seed=4, baremetal=2)
    assert doc != generator.generate(hypervisors=50, servers=1000, seed=5, baremetal=2)
    state = CloudState(load(doc))  # validation includes capacity and anti-affinity checks
    assert len(state.servers) == 1000
    loads = sorted(len(h.servers) for h in state.hypervisors.values())
    mean = sum(loads) / len(loads)
    assert loads[-1] > 2 * mean  # a few hot hosts
    assert loads[0] < mean / 2  # and some nearly idle ones
    assert len(state.baremetal_nodes) == 2
    assert state.volumes and state.pools


def test_generator_stops_when_cloud_is_full():
    doc = generator.generate(hypervisors=1, servers=1000, seed=1)
    assert 0 < len(doc["compute"]["servers"]) < 1000
    load(doc)
