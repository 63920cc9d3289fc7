"""Heat API documents -> typed table rows.

Each ``*_row`` function takes the JSON object one Heat call returns (already unwrapped from
its envelope, e.g. the value of ``"stack"``) and returns one row. The functions are pure so
the table shapes can be checked on sample documents without a cloud.

Timestamps stay the ISO 8601 strings Heat sends: rows go to JSON (the data model API) more
often than they are compared, and ISO strings in UTC sort correctly as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

# Parameters Heat adds to every stack; they repeat the stack row's own columns.
_PSEUDO_PARAMETERS = ("OS::stack_id", "OS::stack_name", "OS::project_id")
STACK_RESOURCE_TYPE = "OS::Heat::Stack"


class Stack(NamedTuple):
    id: str
    name: str
    project_id: str | None
    status: str
    status_reason: str
    description: str
    created_at: str | None
    updated_at: str | None
    parameters: dict[str, Any]
    outputs: dict[str, Any]
    tags: tuple[str, ...]
    parent_id: str | None

    @property
    def action(self) -> str:
        return self.status.partition("_")[0]


class StackSnapshot(NamedTuple):
    id: str
    stack_id: str
    name: str | None
    status: str
    status_reason: str
    created_at: str | None
    data: dict[str, Any] | None


class Resource(NamedTuple):
    stack_id: str
    name: str
    physical_id: str
    type: str
    status: str
    status_reason: str
    description: str
    created_at: str | None
    updated_at: str | None
    required_by: tuple[str, ...]


class ResourceData(NamedTuple):
    """A resource's attributes ("show resource data")."""

    stack_id: str
    resource_name: str
    attributes: dict[str, Any]


class ResourceMetadata(NamedTuple):
    stack_id: str
    resource_name: str
    metadata: dict[str, Any]


class ResourceType(NamedTuple):
    name: str
    description: str | None


class StackEvent(NamedTuple):
    id: str
    stack_id: str
    resource_name: str
    physical_id: str
    resource_type: str | None
    status: str
    status_reason: str
    event_time: str | None


class EventDetail(NamedTuple):
    event_id: str
    stack_id: str
    resource_name: str
    resource_type: str | None
    resource_properties: dict[str, Any]


class SoftwareConfig(NamedTuple):
    id: str
    name: str
    group: str
    created_at: str | None
    config: str
    inputs: tuple[dict, ...]
    outputs: tuple[dict, ...]
    options: dict[str, Any]


class SoftwareDeployment(NamedTuple):
    id: str
    server_id: str
    config_id: str
    action: str
    status: str
    status_reason: str
    created_at: str | None
    updated_at: str | None
    input_values: dict[str, Any]
    output_values: dict[str, Any]


def stack_row(summary: dict, detail: dict | None = None) -> Stack:
    """A stack from its list entry, completed by ``show stack`` when given (parameters and
    outputs are only in the detail)."""
    doc = {**summary, **(detail or {})}
    parameters = {k: v for k, v in (doc.get("parameters") or {}).items()
                  if k not in _PSEUDO_PARAMETERS}
    outputs = {o["output_key"]: o.get("output_value") for o in doc.get("outputs") or ()}
    return Stack(
        id=doc["id"],
        name=doc["stack_name"],
        project_id=doc.get("project") or doc.get("stack_user_project_id"),
        status=doc["stack_status"],
        status_reason=doc.get("stack_status_reason") or "",
        description=doc.get("description") or "",
        created_at=doc.get("creation_time"),
        updated_at=doc.get("updated_time"),
        parameters=parameters,
        outputs=outputs,
        tags=tuple(doc.get("tags") or ()),
        parent_id=doc.get("parent"),
    )


def snapshot_row(stack_id: str, doc: dict) -> StackSnapshot:
    return StackSnapshot(
        id=doc["id"],
        stack_id=stack_id,
        name=doc.get("name"),
        status=doc.get("status") or "",
        status_reason=doc.get("status_reason") or "",
        created_at=doc.get("creation_time"),
        data=doc.get("data"),
    )


def resource_row(stack_id: str, doc: dict) -> Resource:
    return Resource(
        stack_id=stack_id,
        name=doc.get("logical_resource_id") or doc["resource_name"],
        physical_id=doc.get("physical_resource_id") or "",
        type=doc["resource_type"],
        status=doc["resource_status"],
        status_reason=doc.get("resource_status_reason") or "",
        description=doc.get("description") or "",
        created_at=doc.get("creation_time"),
        updated_at=doc.get("updated_time"),
        required_by=tuple(doc.get("required_by") or ()),
    )


def resource_data_row(stack_id: str, doc: dict) -> ResourceData | None:
    """The attributes of a resource document from ``with_detail`` listing or ``show``; None
    when the document carries none (a plain listing)."""
    if "attributes" not in doc:
        return None
    name = doc.get("logical_resource_id") or doc["resource_name"]
    return ResourceData(stack_id, name, dict(doc["attributes"] or {}))


def resource_type_rows(doc: Iterable) -> list[ResourceType]:
    """``resource_types`` is a list of names, or of ``{resource_type, description}`` when
    asked ``with_description``."""
    rows = []
    for item in doc:
        if isinstance(item, str):
            rows.append(ResourceType(item, None))
        else:
            rows.append(ResourceType(item["resource_type"], item.get("description")))
    return rows


def event_row(stack_id: str, doc: dict, resource_type: str | None) -> StackEvent:
    """An event of the stack's event list; the list has no resource type, so the caller
    passes the one it knows (from the resources table or the event's detail)."""
    return StackEvent(
        id=doc["id"],
        stack_id=stack_id,
        resource_name=doc.get("resource_name") or doc.get("logical_resource_id") or "",
        physical_id=doc.get("physical_resource_id") or "",
        resource_type=doc.get("resource_type") or resource_type,
        status=doc["resource_status"],
        status_reason=doc.get("resource_status_reason") or "",
        event_time=doc.get("event_time"),
    )


def event_detail_row(stack_id: str, doc: dict) -> EventDetail:
    return EventDetail(
        event_id=doc["id"],
        stack_id=stack_id,
        resource_name=doc.get("resource_name") or doc.get("logical_resource_id") or "",
        resource_type=doc.get("resource_type"),
        resource_properties=dict(doc.get("resource_properties") or {}),
    )


def software_config_row(doc: dict) -> SoftwareConfig:
    return SoftwareConfig(
        id=doc["id"],
        name=doc.get("name") or "",
        group=doc.get("group") or "",
        created_at=doc.get("creation_time"),
        config=doc.get("config") or "",
        inputs=tuple(doc.get("inputs") or ()),
        outputs=tuple(doc.get("outputs") or ()),
        options=dict(doc.get("options") or {}),
    )


def software_deployment_row(doc: dict) -> SoftwareDeployment:
    return SoftwareDeployment(
        id=doc["id"],
        server_id=doc["server_id"],
        config_id=doc["config_id"],
        action=doc.get("action") or "",
        status=doc.get("status") or "",
        status_reason=doc.get("status_reason") or "",
        created_at=doc.get("creation_time"),
        updated_at=doc.get("updated_time"),
        input_values=dict(doc.get("input_values") or {}),
        output_values=dict(doc.get("output_values") or {}),
    )


def stack_event_type(stack: Stack, resource_types: dict[str, str], event: dict) -> str | None:
    """The resource type of an event of the list, which leaves it out: the stack's own
    events carry the stack's id as physical id; other events name a resource of the stack
    (None when that resource is gone since)."""
    if event.get("physical_resource_id") == stack.id:
        return STACK_RESOURCE_TYPE
    name = event.get("resource_name") or event.get("logical_resource_id")
    if name == stack.name and name not in resource_types:
        return STACK_RESOURCE_TYPE
    return resource_types.get(name)
