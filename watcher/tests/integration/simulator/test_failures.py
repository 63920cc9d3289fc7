"""One test per failure-injection rule, each driven through a real client."""

import pytest
from cinderclient import client as cinder_client
from cinderclient import exceptions as cinder_exc
from keystoneauth1 import exceptions as ks_exc
from novaclient import client as nova_client

from watcher.simulator.runner import Simulator
from watcher.tests.integration.simulator.conftest import password_session, scenario

pytestmark = pytest.mark.integration


def _run(rules: list[dict]) -> Simulator:
    return Simulator.from_scenario(scenario(failures=rules))


def _host(nova, server_id: str) -> str:
    return getattr(nova.servers.get(server_id), "OS-EXT-SRV-ATTR:host")


def test_refuse_live_migration():
    with _run([{"type": "refuse_live_migration", "host": "cmp3"}]) as sim:
        nova = nova_client.Client("2.56", session=password_session(sim))
        vm3 = sim.state.servers_by_name["vm3"].id
        demo1 = sim.state.servers_by_name["demo1"].id
        nova.servers.live_migrate(vm3, "cmp3", "auto")  # into the refusing host
        nova.servers.live_migrate(demo1, "cmp2", "auto")  # out of it
        sim.advance()
        assert (_host(nova, vm3), _host(nova, demo1)) == ("cmp1", "cmp3")
        assert {m.status for m in nova.migrations.list()} == {"error"}
        nova.servers.live_migrate(vm3, "cmp2", "auto")  # other hosts are fine
        sim.advance()
        assert _host(nova, vm3) == "cmp2"


def test_failure_rate_only_hits_listed_operations():
    rules = [{"type": "failure_rate", "rate": 1.0, "seed": 4,
              "operations": ["live_migration", "volume_migration"]}]
    with _run(rules) as sim:
        nova = nova_client.Client("2.56", session=password_session(sim))
        cinder = cinder_client.Client("3.50", session=password_session(sim))
        vm3 = sim.state.servers_by_name["vm3"].id
        nova.servers.live_migrate(vm3, "cmp2", "auto")
        data2 = next(v.id for v in sim.state.volumes.values() if v.name == "data2")
        cinder.volumes.migrate_volume(data2, "stor2@ceph#pool2", False, False)
        sim.advance()
        assert _host(nova, vm3) == "cmp1"
        volume = cinder.volumes.get(data2)
        assert getattr(volume, "os-vol-mig-status-attr:migstat") == "error"
        assert getattr(volume, "os-vol-host-attr:host") == "stor1@lvm#pool1"
        nova.servers.stop(vm3)  # not a listed operation
        sim.advance()
        assert nova.servers.get(vm3).status == "SHUTOFF"


def test_failure_rate_is_seeded():
    def outcomes(seed: int) -> list[str]:
        rules = [{"type": "failure_rate", "rate": 0.5, "seed": seed, "operations": ["stop"]}]
        with _run(rules) as sim:
            nova = nova_client.Client("2.56", session=password_session(sim))
            results = []
            for _ in range(12):
                server = sim.state.servers_by_name["vm1"].id
                nova.servers.stop(server)
                sim.advance()
                status = nova.servers.get(server).status
                results.append(status)
                if status == "SHUTOFF":
                    sim.operations.start(sim.state.servers_by_name["vm1"])
                    sim.advance()
            return results

    first = outcomes(11)
    assert first == outcomes(11)
    assert {"ACTIVE", "SHUTOFF"} == set(first)


def test_api_timeout():
    rules = [{"type": "api_timeout", "service": "compute", "method": "GET",
              "path": "^/v2.1/servers/detail$", "delay": 1.0, "count": 1}]
    with _run(rules) as sim:
        session = password_session(sim)
        compute = {"service_type": "compute"}
        session.get_endpoint(**compute)
        with pytest.raises(ks_exc.ConnectTimeout):
            session.get("/servers/detail", endpoint_filter=compute, timeout=0.3)
        assert session.get("/servers/detail", endpoint_filter=compute, timeout=5).ok
        assert session.get("/flavors", endpoint_filter=compute, timeout=0.3).ok


def test_api_error():
    rules = [{"type": "api_error", "service": "block-storage", "path": "/volumes",
              "status": 503, "count": 1}]
    with _run(rules) as sim:
        cinder = cinder_client.Client("3.50", session=password_session(sim))
        with pytest.raises(cinder_exc.ClientException) as caught:
            cinder.volumes.list()
        assert caught.value.code == 503
        assert len(cinder.volumes.list(search_opts={"all_tenants": 1})) == 3


def test_host_down():
    with _run([{"type": "host_down", "host": "cmp2", "at": 600}]) as sim:
        nova = nova_client.Client("2.56", session=password_session(sim))
        state = {s.host: s.state for s in nova.services.list(binary="nova-compute")}
        assert state["cmp2"] == "up"
        sim.advance(601)
        state = {s.host: s.state for s in nova.services.list(binary="nova-compute")}
        assert state == {"cmp1": "up", "cmp2": "down", "cmp3": "up"}
        vm2 = sim.state.servers_by_name["vm2"].id
        assert nova_client.Client("2.16", session=password_session(sim)).servers.get(
            vm2).host_status == "DOWN"
