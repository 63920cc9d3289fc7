import pytest
from novaclient import client as nova_client

from watcher.simulator.runner import Simulator
from watcher.tests.integration.simulator.conftest import password_session, scenario

pytestmark = pytest.mark.integration


def test_power_off_takes_time_and_drops_the_host():
    doc = scenario(baremetal={"nodes": [{"name": "bm3", "hypervisor": "cmp3"}]},
                   dynamics={"power_off": 300, "power_on": 600})
    with Simulator.from_scenario(doc) as sim:
        nova = nova_client.Client("2.56", session=password_session(sim))
        node = sim.state.baremetal_nodes[sim.state.make_id("baremetal", "bm3")]
        assert sim.state.metrics.host_value("cmp3", "power") > 0
        sim.operations.set_power(node, on=False)
        assert node.target_power_state == "power off"
        sim.advance(299)
        assert node.power_state == "power on"
        sim.advance(2)
        assert (node.power_state, node.target_power_state) == ("power off", None)
        assert sim.state.metrics.host_value("cmp3", "power") == 0.0
        assert sim.state.metrics.host_value("cmp3", "outlet_temp") == \
            sim.state.metrics.host_value("cmp3", "inlet_temp")
        states = {s.host: s.state for s in nova.services.list(binary="nova-compute")}
        assert states["cmp3"] == "down"
        events = [e for _, e, _ in sim.notifications.sent]
        assert "service.update" in events
        sim.operations.set_power(node, on=True)
        sim.advance()
        assert node.power_state == "power on"
        assert {s.host: s.state for s in nova.services.list(binary="nova-compute")}["cmp3"] \
            == "up"
