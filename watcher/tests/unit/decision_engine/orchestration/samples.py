"""Heat API v1 documents of a small cloud: a ``web`` stack whose ResourceGroup owns a nested
stack holding a server, a failed ``batch`` stack, one software config deployed on a server.

Shapes follow Heat's responses (list entries lack parameters and outputs; resources listed
``with_detail`` carry attributes; events of the list lack type and properties)."""

PROJECT = "3d9c2c8e6a344a22b4bd7c1c7a2f1b10"
WEB = "0b1c5e4e-6a0f-4d8e-9b53-1f7b3c2f9a01"
NESTED = "7f3d2c1b-8e9a-4b6c-a5d4-3e2f1a0b9c02"
BATCH = "c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e03"
SERVER = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a804"
OTHER_SERVER = "9a8b7c6d-5e4f-4a3b-b2c1-d0e9f8a7b605"
CONFIG = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c06"
DEPLOYMENT = "6b5a4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c07"


def _links(stack_name, stack_id):
    return [{"href": f"http://heat/v1/{PROJECT}/stacks/{stack_name}/{stack_id}",
             "rel": "self"}]


def stack_summary(stack_id, name, status, *, parent=None, tags=None):
    return {"id": stack_id, "stack_name": name, "description": f"{name} tier",
            "creation_time": "2026-01-01T00:00:00Z", "updated_time": None,
            "deletion_time": None, "stack_status": status,
            "stack_status_reason": "Stack CREATE completed successfully",
            "stack_owner": None, "parent": parent, "stack_user_project_id": PROJECT,
            "project": PROJECT, "tags": tags, "links": _links(name, stack_id)}


def stack_detail(summary, parameters, outputs):
    detail = dict(summary)
    detail["parameters"] = {"OS::stack_id": summary["id"],
                            "OS::stack_name": summary["stack_name"],
                            "OS::project_id": PROJECT, **parameters}
    detail["outputs"] = outputs
    detail.update({"capabilities": [], "notification_topics": [], "disable_rollback": True,
                   "timeout_mins": None})
    return detail


def resource(name, rtype, physical_id, *, status="CREATE_COMPLETE", required_by=(),
             attributes=None):
    doc = {"resource_name": name, "logical_resource_id": name,
           "physical_resource_id": physical_id, "resource_type": rtype,
           "resource_status": status, "resource_status_reason": "state changed",
           "creation_time": "2026-01-01T00:00:01Z", "updated_time": "2026-01-01T00:00:02Z",
           "required_by": list(required_by), "links": []}
    if attributes is not None:
        doc.update({"attributes": attributes, "description": ""})
    return doc


def event(event_id, resource_name, physical_id, status, at):
    return {"id": event_id, "event_time": at, "resource_name": resource_name,
            "logical_resource_id": resource_name, "physical_resource_id": physical_id,
            "resource_status": status, "resource_status_reason": "state changed",
            "links": []}


WEB_SUMMARY = stack_summary(WEB, "web", "CREATE_COMPLETE", tags=["prod"])
NESTED_SUMMARY = stack_summary(NESTED, "web-group-abc", "CREATE_COMPLETE", parent=WEB)
BATCH_SUMMARY = stack_summary(BATCH, "batch", "CREATE_FAILED")

WEB_DETAIL = stack_detail(WEB_SUMMARY, {"flavor": "m1.small"},
                          [{"output_key": "url", "output_value": "http://10.0.0.5",
                            "description": "Site"}])
NESTED_DETAIL = stack_detail(NESTED_SUMMARY, {}, [])
BATCH_DETAIL = stack_detail(BATCH_SUMMARY, {}, [])

WEB_RESOURCES = [
    resource("group", "OS::Heat::ResourceGroup", NESTED, attributes={"refs": [SERVER]}),
    resource("port", "OS::Neutron::Port", "port-1", status="UPDATE_COMPLETE",
             required_by=["group"], attributes={"fixed_ips": [{"ip_address": "10.0.0.5"}]}),
]
NESTED_RESOURCES = [
    resource("0", "OS::Nova::Server", SERVER, attributes={"first_address": "10.0.0.5"}),
]
WEB_EVENTS = [
    event("e1", "web", WEB, "CREATE_IN_PROGRESS", "2026-01-01T00:00:00Z"),
    event("e2", "port", "", "CREATE_IN_PROGRESS", "2026-01-01T00:00:01Z"),
    event("e3", "port", "port-1", "CREATE_COMPLETE", "2026-01-01T00:00:02Z"),
    event("e4", "old-volume", "vol-1", "DELETE_COMPLETE", "2026-01-01T00:00:03Z"),
    event("e5", "web", WEB, "CREATE_COMPLETE", "2026-01-01T00:00:04Z"),
]
WEB_EVENT_DETAIL = dict(WEB_EVENTS[3], resource_type="OS::Cinder::Volume",
                        resource_properties={"size": 10})
WEB_SNAPSHOTS = [{"id": "s1", "name": "before-upgrade", "status": "COMPLETE",
                  "status_reason": "Stack SNAPSHOT completed successfully",
                  "creation_time": "2026-01-01T01:00:00Z",
                  "data": {"status": "COMPLETE", "id": WEB}}]

RESOURCE_TYPES = [{"resource_type": "OS::Nova::Server", "description": "A Nova server."},
                  {"resource_type": "OS::Heat::ResourceGroup", "description": None}]

CONFIG_DETAIL = {"id": CONFIG, "name": "install", "group": "script",
                 "creation_time": "2026-01-01T00:10:00Z", "config": "#!/bin/sh\necho hi",
                 "inputs": [{"name": "foo", "type": "String"}],
                 "outputs": [{"name": "result"}], "options": {"timeout": 30}}
DEPLOYMENT_DOC = {"id": DEPLOYMENT, "config_id": CONFIG, "server_id": SERVER,
                  "action": "CREATE", "status": "COMPLETE",
                  "status_reason": "Outputs received", "input_values": {"foo": "bar"},
                  "output_values": {"deploy_status_code": 0},
                  "creation_time": "2026-01-01T00:20:00Z", "updated_time": None}
