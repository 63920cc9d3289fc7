"""OrchestrationModel built from sample dumps: tables, indexes, queries, rows."""

import pytest

from watcher.decision_engine.orchestration import tables
from watcher.decision_engine.orchestration.dump import HeatDump, StackDump
from watcher.decision_engine.orchestration.model import TABLES, OrchestrationModel
from watcher.tests.unit.decision_engine.orchestration import samples as s


def _dump() -> HeatDump:
    return HeatDump(
        stacks=[
            StackDump(s.WEB_SUMMARY, s.WEB_DETAIL, s.WEB_RESOURCES,
                      metadata={"group": {"scaling": "manual"}}, events=s.WEB_EVENTS,
                      event_details=[s.WEB_EVENT_DETAIL], snapshots=s.WEB_SNAPSHOTS),
            StackDump(s.NESTED_SUMMARY, s.NESTED_DETAIL, s.NESTED_RESOURCES,
                      metadata={"0": {}}),
            StackDump(s.BATCH_SUMMARY, s.BATCH_DETAIL),
        ],
        resource_types=s.RESOURCE_TYPES,
        software_configs=[s.CONFIG_DETAIL],
        software_deployments=[s.DEPLOYMENT_DOC],
        incomplete=["stack:gone"],
    )


@pytest.fixture
def model() -> OrchestrationModel:
    return OrchestrationModel.from_dump(_dump())


def test_tables_hold_every_document(model):
    assert list(model.stacks) == [s.WEB, s.NESTED, s.BATCH]
    assert [(r.stack_id, r.name) for r in model.resources] == [
        (s.WEB, "group"), (s.WEB, "port"), (s.NESTED, "0")]
    assert model.resource_data[s.NESTED, "0"].attributes == {"first_address": "10.0.0.5"}
    assert model.resource_metadata[s.WEB, "group"].metadata == {"scaling": "manual"}
    assert set(model.resource_types) == {"OS::Nova::Server", "OS::Heat::ResourceGroup"}
    assert [e.id for e in model.stack_events] == ["e1", "e2", "e3", "e4", "e5"]
    assert list(model.event_details) == ["e4"]
    assert model.software_configs[s.CONFIG].config == "#!/bin/sh\necho hi"
    assert model.software_deployments[s.DEPLOYMENT].server_id == s.SERVER
    assert [x.id for x in model.stack_snapshots] == ["s1"]
    assert model.incomplete == ("stack:gone",)


def test_event_types_come_from_resources_details_and_the_stack(model):
    types = {e.id: e.resource_type for e in model.stack_events}
    assert types == {"e1": tables.STACK_RESOURCE_TYPE, "e2": "OS::Neutron::Port",
                     "e3": "OS::Neutron::Port", "e4": "OS::Cinder::Volume",
                     "e5": tables.STACK_RESOURCE_TYPE}


def test_server_lookups(model):
    owner = model.stack_of_server(s.SERVER)
    # The nested stack holds the server; its root is the stack the user made.
    assert owner.id == s.NESTED
    assert model.root_stack(owner).id == s.WEB
    assert model.root_stack(s.WEB).id == s.WEB
    assert model.child_stacks(s.WEB) == (model.stacks[s.NESTED],)
    assert model.stack_of_server(s.OTHER_SERVER) is None
    assert [d.id for d in model.deployments_of_server(s.SERVER)] == [s.DEPLOYMENT]
    assert model.deployments_of_server(s.OTHER_SERVER) == ()
    assert model.deployments_of_config(s.CONFIG)[0].server_id == s.SERVER
    # The group's physical id is the nested stack, not a server.
    assert [r.name for r in model.resources_by_physical_id(s.NESTED)] == ["group"]


def test_stack_of_server_prefers_a_server_resource():
    dump = _dump()
    # A port whose physical id collides with the server's must not win.
    dump.stacks[2].resources = [s.resource("odd", "OS::Neutron::Port", s.SERVER)]
    model = OrchestrationModel.from_dump(dump)
    assert model.stack_of_server(s.SERVER).id == s.NESTED


def test_stack_queries(model):
    web = model.stacks[s.WEB]
    assert [r.name for r in model.resources_of_stack(web)] == ["group", "port"]
    assert model.resources_of_stack(s.WEB) == model.resources_of_stack(web)
    assert model.resources_of_stack(s.BATCH) == ()
    assert [x.id for x in model.stacks_by_status("FAILED")] == [s.BATCH]
    assert [x.id for x in model.stacks_by_status("CREATE_FAILED", "COMPLETE")] == [
        s.WEB, s.NESTED, s.BATCH]
    assert model.stacks_by_status("UPDATE_FAILED") == []
    assert [x.name for x in model.snapshots_of_stack(web)] == ["before-upgrade"]
    assert len(model.events_of_stack(s.WEB)) == 5 and model.events_of_stack(s.BATCH) == ()
    assert [x.id for x in model.find_stacks("batch")] == [s.BATCH]
    assert model.get_stack("nope") is None


def test_root_stack_survives_a_parent_cycle():
    a = s.stack_summary("a", "a", "CREATE_COMPLETE", parent="b")
    b = s.stack_summary("b", "b", "CREATE_COMPLETE", parent="a")
    model = OrchestrationModel.from_dump(HeatDump(stacks=[StackDump(a, {}), StackDump(b, {})]))
    assert model.root_stack("a").id in {"a", "b"}


def test_rows_for_the_data_model_api(model):
    rows = model.to_list()
    assert len(rows) == 4
    assert rows[0] == {"stack_id": s.WEB, "stack_name": "web", "stack_project_id": s.PROJECT,
                       "stack_status": "CREATE_COMPLETE", "stack_parent_id": None,
                       "resource_name": "group", "resource_physical_id": s.NESTED,
                       "resource_type": "OS::Heat::ResourceGroup",
                       "resource_status": "CREATE_COMPLETE"}
    assert rows[3]["stack_id"] == s.BATCH and rows[3]["resource_name"] is None
    for name in TABLES:
        assert all(isinstance(row, dict) for row in model.table(name))
    assert model.table("software_deployments")[0]["output_values"] == {
        "deploy_status_code": 0}
    assert len(model.table("stack_events")) == 5
    with pytest.raises(KeyError):
        model.table("servers")


def test_copy_has_its_own_stale_flag(model):
    copy = model.copy()
    model.stale = True
    assert copy.stale is False
    assert copy.stacks is model.stacks
    assert copy.stack_of_server(s.SERVER).id == s.NESTED
