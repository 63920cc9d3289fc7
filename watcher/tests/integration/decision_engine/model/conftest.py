"""The small scenario served by the simulator, and watcher.conf pointing at it."""

import pytest

from watcher.simulator.runner import Simulator
from watcher.tests.fixtures.cloud import point_clients_at

SMALL_SCENARIO = "watcher/simulator/scenarios/small.yaml"


@pytest.fixture
def sim():
    with Simulator.from_scenario(SMALL_SCENARIO) as simulator:
        yield simulator


@pytest.fixture
def sim_conf(sim, conf):
    point_clients_at(conf, sim)
    return conf
