"""The orchestration collector against the simulated Heat, through openstacksdk: every table
matches the scenario, the number of requests follows the documented formula, and a stack
deleted or failing mid-collection costs only that stack."""

from __future__ import annotations

import openstack
import pytest
from stevedore import driver

from watcher.common import clients
from watcher.conf import CONF, heat_collector
from watcher.decision_engine.model.collector import manager as collector_manager
from watcher.decision_engine.orchestration import tables
from watcher.decision_engine.orchestration.collector import OrchestrationCollector
from watcher.decision_engine.orchestration.model import OrchestrationModel
from watcher.decision_engine.orchestration.reader import HeatReader
from watcher.simulator import heat_scenario
from watcher.tests.fixtures.cloud import point_clients_at
from watcher.tests.integration.decision_engine.orchestration.conftest import SCENARIO, start

pytestmark = pytest.mark.integration

GROUP = heat_collector.GROUP.name


@pytest.fixture(scope="module")
def sim():
    with start() as running:
        yield running


def _collector(conf, sim, **options) -> OrchestrationCollector:
    point_clients_at(conf, sim)
    conf.config(group=GROUP, **options)
    return OrchestrationCollector(CONF[GROUP], clients.OpenStackClients(CONF))


def _collect(conf, sim, **options) -> tuple[OrchestrationModel, int]:
    """A fresh model and the number of Heat requests it took."""
    collector = _collector(conf, sim, **options)
    before = sim.requests["orchestration"]
    collector.synchronize()
    assert collector.last_error is None
    return collector.cluster_data_model, sim.requests["orchestration"] - before


def test_entry_point_loads_the_collector():
    loaded = driver.DriverManager("watcher_cluster_data_model_collectors", "orchestration")
    assert loaded.driver is OrchestrationCollector
    assert {o.dest for o in OrchestrationCollector.get_config_opts()} >= {
        "period", "resource_metadata", "event_details"}
    collector = collector_manager.CollectorManager(
        ["orchestration"], osc=clients.OpenStackClients(CONF)).get_cluster_model_collector(
        "orchestration")
    assert isinstance(collector, OrchestrationCollector) and collector.period == 3600


def test_every_table_matches_the_scenario(sim, conf):
    model, _ = _collect(conf, sim, event_details=2, page_size=2)
    heat = heat_scenario.heat_data(sim.state)
    isotime = sim.state.clock.isotime
    assert model.incomplete == () and model.data_model_type == "orchestration"

    assert set(model.stacks) == set(heat.stacks)
    for expected in heat.stacks.values():
        stack = model.stacks[expected.id]
        assert (stack.name, stack.project_id, stack.status, stack.status_reason) == (
            expected.name, expected.project_id, expected.status, expected.status_reason)
        assert stack.created_at == isotime(expected.created_at)
        assert stack.parameters == {k: str(v) for k, v in expected.parameters.items()}
        assert stack.outputs == {o["output_key"]: o["output_value"] for o in expected.outputs}
        assert stack.tags == tuple(expected.tags) and stack.parent_id is None

        resources = model.resources_of_stack(stack)
        assert [(r.name, r.physical_id, r.type, r.status, r.required_by) for r in resources] == [
            (r.name, r.physical_id, r.type, r.status, tuple(r.required_by))
            for r in expected.resources.values()]
        for resource in expected.resources.values():
            key = (stack.id, resource.name)
            assert model.resource_data[key].attributes == resource.attributes
            assert model.resource_metadata[key].metadata == resource.metadata

        events = model.events_of_stack(stack)
        assert [(e.id, e.resource_name, e.physical_id, e.resource_type, e.status,
                 e.status_reason, e.event_time) for e in events] == [
            (e.id, e.resource_name, e.physical_id, e.resource_type, e.status, e.reason,
             isotime(e.at)) for e in expected.events]
        for event in expected.events[-2:]:
            detail = model.event_details[event.id]
            assert (detail.stack_id, detail.resource_type, detail.resource_properties) == (
                stack.id, event.resource_type, event.properties)

        assert [(x.id, x.name, x.status, x.data) for x in model.snapshots_of_stack(stack)] == [
            (x.id, x.name, x.status, x.data) for x in expected.snapshots]

    assert len(model.event_details) == 2 * len(heat.stacks)
    assert {r.type for r in model.resources} <= set(model.resource_types)
    assert model.resource_types["OS::Nova::Server"].description

    assert set(model.software_configs) == set(heat.configs)
    for expected in heat.configs.values():
        config = model.software_configs[expected.id]
        assert (config.name, config.group, config.config, list(config.inputs),
                list(config.outputs), config.options) == (
            expected.name, expected.group, expected.config, expected.inputs,
            expected.outputs, expected.options)
    assert set(model.software_deployments) == set(heat.deployments)
    for expected in heat.deployments.values():
        deployment = model.software_deployments[expected.id]
        assert (deployment.server_id, deployment.config_id, deployment.action,
                deployment.status, deployment.input_values, deployment.output_values) == (
            expected.server_id, expected.config_id, expected.action, expected.status,
            expected.input_values, expected.output_values)


def test_strategy_queries_on_the_collected_model(sim, conf):
    model, _ = _collect(conf, sim)
    servers = sim.state.servers_by_name
    web = model.find_stacks("web")[0]
    assert model.stack_of_server(servers["web-1"].id) == web
    assert model.stack_of_server(servers["web-2"].id) == web
    assert model.stack_of_server(servers["db-1"].id).name == "db"
    assert model.stack_of_server(servers["lonely"].id) is None
    assert [d.config_id for d in model.deployments_of_server(servers["web-1"].id)] == [
        c.id for c in sorted(model.software_configs.values(), key=lambda c: c.name)]
    assert [d.status for d in model.deployments_of_server(servers["db-1"].id)] == ["FAILED"]
    assert [s.name for s in model.stacks_by_status("FAILED")] == ["batch"]
    assert [s.name for s in model.stacks_by_status("UPDATE_IN_PROGRESS")] == ["net"]
    rows = model.to_list()
    assert {r["resource_physical_id"] for r in rows} >= {servers["web-1"].id,
                                                         servers["db-1"].id}
    assert [r["stack_name"] for r in rows if r["resource_name"] is None] == ["batch"]


def test_a_new_collection_is_swapped_in_and_audit_copies_keep_theirs(sim, conf):
    collector = _collector(conf, sim)
    assert collector.get_latest_cluster_data_model() is None
    collector.synchronize()
    first = collector.cluster_data_model
    audit_copy = collector.get_latest_cluster_data_model()
    collector.synchronize()
    assert collector.cluster_data_model is not first
    assert audit_copy.stacks is first.stacks and audit_copy.stale is False
    assert collector.cluster_data_model.stacks == first.stacks
    scoped = collector.get_scoped_model([{"compute": [{"host_aggregates": [{"id": "*"}]}]}])
    assert scoped.stacks == first.stacks and scoped is not collector.cluster_data_model


def _expected_requests(sim, page: int, event_details: int, metadata: bool) -> int:
    heat = heat_scenario.heat_data(sim.state)
    stacks = len(heat.stacks)
    configs = len(heat.configs)
    count = -(-stacks // page)  # stack pages: Heat links the next page while there is one
    count += 1 + (configs // page + 1) + 1 + configs  # types, config pages, deployments, shows
    for stack in heat.stacks.values():
        events = len(stack.events)
        count += 3 + (events // page + 1)  # show, resources, snapshots, event pages
        count += len(stack.resources) if metadata else 0
        count += min(event_details, events)
    return count


@pytest.mark.parametrize(("page", "event_details", "metadata"), [
    (200, 0, False), (2, 0, True), (3, 2, True)])
def test_requests_follow_the_documented_formula(sim, conf, page, event_details, metadata):
    _, used = _collect(conf, sim, page_size=page, event_details=event_details,
                       resource_metadata=metadata)
    assert used == _expected_requests(sim, page, event_details, metadata)
    if (page, event_details, metadata) == (200, 0, False):
        # Without per-resource and per-event reads: 4 bulk calls and one config show each,
        # then a fixed number of calls per stack.
        assert used == 4 + 2 + 4 * len(heat_scenario.heat_data(sim.state).stacks)


class _DeletingAfterListing:
    """The orchestration proxy, except that the first stack listing deletes a stack in the
    simulated cloud right after Heat answered it."""

    def __init__(self, proxy, heat: heat_scenario.HeatData, stack_id: str) -> None:
        self._proxy, self._heat, self._stack_id = proxy, heat, stack_id

    def get(self, url, **kwargs):
        response = self._proxy.get(url, **kwargs)
        if url == "/stacks" and self._stack_id in self._heat.stacks:
            del self._heat.stacks[self._stack_id]
        return response


def test_a_stack_deleted_during_collection_does_not_fail_the_rest():
    with start() as sim:
        conn = openstack.connect(**sim.clouds_yaml_entry)
        heat = heat_scenario.heat_data(sim.state)
        web = next(s for s in heat.stacks.values() if s.name == "web")
        proxy = _DeletingAfterListing(conn.orchestration, heat, web.id)
        model = OrchestrationModel.from_dump(HeatReader(proxy, workers=2).read())
    assert {s.name for s in model.stacks.values()} == {"batch", "db", "net"}
    assert model.incomplete == ()
    assert all(r.stack_id != web.id for r in model.resources)
    assert all(e.stack_id != web.id for e in model.stack_events)
    assert model.stack_of_server(sim.state.servers_by_name["web-1"].id) is None
    assert model.stack_of_server(sim.state.servers_by_name["db-1"].id).name == "db"
    assert len(model.software_deployments) == 3


def test_heat_failing_on_one_stack_or_once_on_a_listing(conf):
    failures = """
failures:
  - {type: api_error, service: orchestration, method: GET, path: "/stacks/batch/[^/]+/snapshots$",
     status: 500}
  - {type: api_error, service: orchestration, method: GET, path: "/stacks$", status: 503,
     count: 1}
"""
    with start(SCENARIO + failures) as sim:
        conf.config(group="collector", api_query_max_retries=2, api_query_interval=0)
        model, _ = _collect(conf, sim)
        batch = next(s for s in heat_scenario.heat_data(sim.state).stacks.values()
                     if s.name == "batch")
    # The failed listing was tried again; the failing stack alone is missing, and named.
    assert {s.name for s in model.stacks.values()} == {"web", "db", "net"}
    assert model.incomplete == (f"stack:{batch.id}",)
    assert isinstance(model.stacks_by_status("COMPLETE")[0], tables.Stack)
