"""Heat documents -> rows, one function per table."""

from watcher.decision_engine.orchestration import tables
from watcher.tests.unit.decision_engine.orchestration import samples


def test_stack_row_from_summary_and_detail():
    row = tables.stack_row(samples.WEB_SUMMARY, samples.WEB_DETAIL)
    assert row == tables.Stack(
        id=samples.WEB, name="web", project_id=samples.PROJECT, status="CREATE_COMPLETE",
        status_reason="Stack CREATE completed successfully", description="web tier",
        created_at="2026-01-01T00:00:00Z", updated_at=None,
        parameters={"flavor": "m1.small"}, outputs={"url": "http://10.0.0.5"},
        tags=("prod",), parent_id=None)
    assert row.action == "CREATE"


def test_stack_row_from_summary_alone_and_older_heat():
    summary = dict(samples.NESTED_SUMMARY)
    # Heat before Newton has no "project" key; the stack user project stands in.
    del summary["project"]
    summary["stack_user_project_id"] = "p2"
    row = tables.stack_row(summary)
    assert (row.parameters, row.outputs, row.tags) == ({}, {}, ())
    assert row.parent_id == samples.WEB and row.project_id == "p2"


def test_resource_rows_and_data():
    group, port = samples.WEB_RESOURCES
    row = tables.resource_row(samples.WEB, port)
    assert row == tables.Resource(
        stack_id=samples.WEB, name="port", physical_id="port-1", type="OS::Neutron::Port",
        status="UPDATE_COMPLETE", status_reason="state changed", description="",
        created_at="2026-01-01T00:00:01Z", updated_at="2026-01-01T00:00:02Z",
        required_by=("group",))
    data = tables.resource_data_row(samples.WEB, group)
    assert data == tables.ResourceData(samples.WEB, "group", {"refs": [samples.SERVER]})
    plain = samples.resource("x", "OS::Heat::None", None)
    assert tables.resource_data_row(samples.WEB, plain) is None
    assert tables.resource_row(samples.WEB, plain).physical_id == ""


def test_resource_types_with_and_without_description():
    assert tables.resource_type_rows(samples.RESOURCE_TYPES) == [
        tables.ResourceType("OS::Nova::Server", "A Nova server."),
        tables.ResourceType("OS::Heat::ResourceGroup", None)]
    assert tables.resource_type_rows(["OS::Heat::None"]) == [
        tables.ResourceType("OS::Heat::None", None)]


def test_event_type_from_stack_resources_or_unknown():
    stack = tables.stack_row(samples.WEB_SUMMARY, samples.WEB_DETAIL)
    types = {"port": "OS::Neutron::Port", "group": "OS::Heat::ResourceGroup"}
    stack_event, port_start, _, gone, _ = samples.WEB_EVENTS
    assert tables.stack_event_type(stack, types, stack_event) == tables.STACK_RESOURCE_TYPE
    # A resource's first event has no physical id yet: the name finds the type.
    assert tables.stack_event_type(stack, types, port_start) == "OS::Neutron::Port"
    assert tables.stack_event_type(stack, types, gone) is None
    row = tables.event_row(samples.WEB, port_start, "OS::Neutron::Port")
    assert row == tables.StackEvent("e2", samples.WEB, "port", "", "OS::Neutron::Port",
                                    "CREATE_IN_PROGRESS", "state changed",
                                    "2026-01-01T00:00:01Z")


def test_event_detail_row_carries_type_and_properties():
    row = tables.event_detail_row(samples.WEB, samples.WEB_EVENT_DETAIL)
    assert row == tables.EventDetail("e4", samples.WEB, "old-volume", "OS::Cinder::Volume",
                                     {"size": 10})
    # The detail's own type wins over whatever the caller guessed.
    event = tables.event_row(samples.WEB, samples.WEB_EVENT_DETAIL, None)
    assert event.resource_type == "OS::Cinder::Volume"


def test_snapshot_config_and_deployment_rows():
    snapshot = tables.snapshot_row(samples.WEB, samples.WEB_SNAPSHOTS[0])
    assert (snapshot.id, snapshot.stack_id, snapshot.name, snapshot.status) == (
        "s1", samples.WEB, "before-upgrade", "COMPLETE")
    assert snapshot.data == {"status": "COMPLETE", "id": samples.WEB}
    config = tables.software_config_row(samples.CONFIG_DETAIL)
    assert config == tables.SoftwareConfig(
        samples.CONFIG, "install", "script", "2026-01-01T00:10:00Z", "#!/bin/sh\necho hi",
        ({"name": "foo", "type": "String"},), ({"name": "result"},), {"timeout": 30})
    deployment = tables.software_deployment_row(samples.DEPLOYMENT_DOC)
    assert deployment == tables.SoftwareDeployment(
        samples.DEPLOYMENT, samples.SERVER, samples.CONFIG, "CREATE", "COMPLETE",
        "Outputs received", "2026-01-01T00:20:00Z", None, {"foo": "bar"},
        {"deploy_status_code": 0})
