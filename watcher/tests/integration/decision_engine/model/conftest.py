"""The small scenario served by the simulator, and watcher.conf pointing at it."""

import pytest
from keystoneauth1 import loading as ks_loading
from oslo_config import fixture as cfg_fixture

from watcher.conf import CONF
from watcher.simulator.runner import Simulator

SMALL_SCENARIO = "watcher/simulator/scenarios/small.yaml"


def point_clients_at(
    conf: cfg_fixture.Config, sim: Simulator, group: str = "watcher_clients_auth"
) -> None:
    """``group`` (default [watcher_clients_auth]) logs in as the scenario's admin."""
    creds = sim.admin_credentials
    # keystoneauth registers a plugin's options once it knows auth_type; register them
    # through the fixture so they are gone after the test.
    conf.register_opts(ks_loading.get_auth_plugin_conf_options("password"), group=group)
    conf.config(group=group, auth_type="password", **creds)


@pytest.fixture
def sim():
    with Simulator.from_scenario(SMALL_SCENARIO) as simulator:
        yield simulator


@pytest.fixture
def conf():
    fixture = cfg_fixture.Config(CONF)
    fixture.setUp()
    CONF([], project="watcher", default_config_files=[])
    yield fixture
    fixture.cleanUp()


@pytest.fixture
def sim_conf(sim, conf):
    point_clients_at(conf, sim)
    return conf
