"""The ``heat`` scenario section: stacks with their resources, events and snapshots, and
software configs and deployments, as the simulated Heat API serves them.

::

    heat:
      stacks:
        - name: web
          project: demo                      # default admin
          status: CREATE_COMPLETE            # <ACTION>_<STATUS>
          parameters: {flavor: m1.small}
          outputs: [{output_key: url, output_value: "http://10.0.0.5"}]
          template: {heat_template_version: "2021-04-16", resources: {...}}
          resources:
            - name: server
              type: OS::Nova::Server
              server: web-1                  # a compute server: its uuid is the physical id
              attributes: {first_address: 10.0.0.5}
              metadata: {role: frontend}
              required_by: [floating_ip]
          events:                            # added after the generated create events
            - {resource: server, status: UPDATE_COMPLETE, reason: state changed}
          snapshots: [{name: before-upgrade}]
      software_configs:
        - {name: install, group: script, config: "#!/bin/sh\\necho hi"}
      software_deployments:
        - {server: web-1, config: install, status: COMPLETE}

Every stack gets the events Heat would have written while creating it (stack and resource
``CREATE_IN_PROGRESS`` then the resource's final status), one second apart, before the
scenario starts.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from watcher.simulator import state as state_mod
from watcher.simulator.scenario import checks, loader, schema

SECTION = "heat"
ACTIONS = ("INIT", "CREATE", "DELETE", "UPDATE", "ROLLBACK", "SUSPEND", "RESUME", "ADOPT",
           "SNAPSHOT", "CHECK", "RESTORE")
STATUSES = ("IN_PROGRESS", "FAILED", "COMPLETE")
_STATUS = {"type": "string", "pattern": f"^({'|'.join(ACTIONS)})_({'|'.join(STATUSES)})$"}
_NAME = {"type": "string", "minLength": 1, "maxLength": 255}
_OBJECT = {"type": "object"}
_OUTPUT = {"type": "object", "additionalProperties": False, "required": ["output_key"],
           "properties": {"output_key": _NAME, "output_value": {},
                          "description": {"type": "string"}}}

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "stacks": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "pattern": "^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$"},
                "id": {"type": "string", "pattern": "^[0-9a-fA-F-]{32,36}$"},
                "project": _NAME,
                "status": _STATUS,
                "status_reason": {"type": "string"},
                "description": {"type": "string"},
                "parameters": {"type": "object", "additionalProperties": {
                    "type": ["string", "number", "boolean"]}},
                "outputs": {"type": "array", "items": _OUTPUT},
                "template": _OBJECT,
                "tags": {"type": "array", "items": {"type": "string"}},
                "resources": {"type": "array", "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["name", "type"],
                    "properties": {
                        "name": _NAME,
                        "type": _NAME,
                        "server": _NAME,
                        "physical_id": {"type": "string"},
                        "status": _STATUS,
                        "status_reason": {"type": "string"},
                        "description": {"type": "string"},
                        "properties": _OBJECT,
                        "attributes": _OBJECT,
                        "metadata": _OBJECT,
                        "required_by": {"type": "array", "items": _NAME},
                    },
                }},
                "events": {"type": "array", "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["status"],
                    "properties": {"resource": _NAME, "status": _STATUS,
                                   "reason": {"type": "string"}},
                }},
                "snapshots": {"type": "array", "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["name"],
                    "properties": {"name": _NAME, "status": {"enum": list(STATUSES)},
                                   "status_reason": {"type": "string"}, "data": _OBJECT},
                }},
            },
        }},
        "software_configs": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name"],
            "properties": {"name": _NAME, "id": {"type": "string"}, "project": _NAME,
                           "group": _NAME, "config": {"type": "string"},
                           "inputs": {"type": "array", "items": _OBJECT},
                           "outputs": {"type": "array", "items": _OBJECT},
                           "options": _OBJECT},
        }},
        "software_deployments": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["server", "config"],
            "properties": {"server": _NAME, "config": _NAME, "id": {"type": "string"},
                           "action": {"enum": list(ACTIONS)},
                           "status": {"enum": list(STATUSES)},
                           "status_reason": {"type": "string"},
                           "input_values": _OBJECT, "output_values": _OBJECT},
        }},
    },
}


@dataclass
class HeatResource:
    name: str
    type: str
    physical_id: str
    status: str
    status_reason: str
    description: str
    properties: dict
    attributes: dict
    metadata: dict
    required_by: list[str]
    created_at: float
    updated_at: float


@dataclass
class HeatEvent:
    id: str
    resource_name: str
    physical_id: str
    resource_type: str
    status: str
    reason: str
    at: float
    properties: dict


@dataclass
class Snapshot:
    id: str
    name: str
    status: str
    status_reason: str
    data: dict
    created_at: float


@dataclass
class Stack:
    id: str
    name: str
    project_id: str
    status: str
    status_reason: str
    description: str
    parameters: dict
    outputs: list[dict]
    template: dict
    tags: list[str]
    created_at: float
    resources: dict[str, HeatResource] = field(default_factory=dict)
    events: list[HeatEvent] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)


@dataclass
class SoftwareConfig:
    id: str
    name: str
    project_id: str
    group: str
    config: str
    inputs: list
    outputs: list
    options: dict
    created_at: float


@dataclass
class SoftwareDeployment:
    id: str
    config_id: str
    server_id: str
    project_id: str
    action: str
    status: str
    status_reason: str
    input_values: dict
    output_values: dict
    created_at: float


@dataclass
class HeatData:
    stacks: dict[str, Stack] = field(default_factory=dict)
    configs: dict[str, SoftwareConfig] = field(default_factory=dict)
    deployments: dict[str, SoftwareDeployment] = field(default_factory=dict)


def heat_data(state) -> HeatData:
    """The scenario's Heat records (empty without a ``heat`` section)."""
    return state.extensions.get(SECTION) or HeatData()


def _load_stack(state, item: dict, created: float) -> Stack:
    stack_id = item.get("id") or state.make_id("stack", item["name"])
    status = item.get("status", "CREATE_COMPLETE")
    stack = Stack(stack_id, item["name"], state.project_id(item.get("project")), status,
                  item.get("status_reason", _stack_reason(status)),
                  item.get("description", ""), dict(item.get("parameters", {})),
                  [dict(o) for o in item.get("outputs", [])], item.get("template", {}),
                  list(item.get("tags", [])), created)
    events = stack.events

    def event(name: str, physical: str, rtype: str, event_status: str, reason: str,
              at: float, properties: dict) -> None:
        event_id = state.make_id("heat-event", f"{stack.id}:{len(events)}")
        events.append(HeatEvent(event_id, name, physical, rtype, event_status, reason, at,
                                properties))

    event(stack.name, stack.id, "OS::Heat::Stack", "CREATE_IN_PROGRESS",
          "Stack CREATE started", created, {})
    for index, res in enumerate(item.get("resources", [])):
        at = created + index + 1
        if "physical_id" in res:
            physical = res["physical_id"]
        elif "server" in res:
            physical = state.servers_by_name[res["server"]].id
        else:
            physical = state.make_id("heat-resource", f"{stack.id}:{res['name']}")
        res_status = res.get("status", "CREATE_COMPLETE")
        resource = HeatResource(res["name"], res["type"], physical, res_status,
                                res.get("status_reason", "state changed"),
                                res.get("description", ""), res.get("properties", {}),
                                res.get("attributes", {}), res.get("metadata", {}),
                                list(res.get("required_by", [])), at, at + 1)
        stack.resources[resource.name] = resource
        event(resource.name, "", resource.type, "CREATE_IN_PROGRESS", "state changed", at,
              resource.properties)
        # A resource that is now in another action was created first.
        created_status = res_status if res_status.startswith("CREATE_") else "CREATE_COMPLETE"
        event(resource.name, physical, resource.type, created_status, resource.status_reason,
              at + 1, resource.properties)
        if created_status != res_status:
            event(resource.name, physical, resource.type, res_status, resource.status_reason,
                  at + 1, resource.properties)
    end = created + len(stack.resources) + 2
    event(stack.name, stack.id, "OS::Heat::Stack", status, stack.status_reason, end, {})
    for index, extra in enumerate(item.get("events", [])):
        name = extra.get("resource", stack.name)
        resource = stack.resources.get(name)
        if resource is None:
            event(name, stack.id, "OS::Heat::Stack", extra["status"],
                  extra.get("reason", "state changed"), end + index + 1, {})
        else:
            event(name, resource.physical_id, resource.type, extra["status"],
                  extra.get("reason", "state changed"), end + index + 1, resource.properties)
    for index, snap in enumerate(item.get("snapshots", [])):
        stack.snapshots.append(Snapshot(
            state.make_id("heat-snapshot", f"{stack.id}:{snap['name']}"), snap["name"],
            snap.get("status", "COMPLETE"), snap.get("status_reason", ""),
            snap.get("data", {"status": "COMPLETE", "name": stack.name, "id": stack.id}),
            end + 10 + index))
    return stack


def _stack_reason(status: str) -> str:
    action, _, outcome = status.partition("_")
    return {"COMPLETE": f"Stack {action} completed successfully",
            "IN_PROGRESS": f"Stack {action} started"}.get(outcome, f"Stack {action} failed")


def _duplicates(items: list, path: tuple, what: str) -> Iterator[tuple]:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if item["name"] in seen:
            yield path + (index, "name"), (f"duplicate {what} name '{item['name']}' (first at "
                                           f"index {seen[item['name']]})")
        seen.setdefault(item["name"], index)


def _load(state, section: dict, scenario) -> None:
    start = state.clock.start
    data = HeatData()
    stacks = section.get("stacks", [])
    for index, item in enumerate(stacks):
        # Stacks were created an hour apart, oldest first, before the scenario began.
        stack = _load_stack(state, item, start - 3600.0 * (len(stacks) - index))
        data.stacks[stack.id] = stack
    configs_by_name: dict[str, SoftwareConfig] = {}
    for index, item in enumerate(section.get("software_configs", [])):
        config = SoftwareConfig(item.get("id") or state.make_id("software-config", item["name"]),
                                item["name"], state.project_id(item.get("project")),
                                item.get("group", "Heat::Ungrouped"), item.get("config", ""),
                                list(item.get("inputs", [])), list(item.get("outputs", [])),
                                dict(item.get("options", {})), start - 600.0 + index)
        data.configs[config.id] = config
        configs_by_name[config.name] = config
    for index, item in enumerate(section.get("software_deployments", [])):
        server = state.servers_by_name[item["server"]]
        config = configs_by_name[item["config"]]
        deployment = SoftwareDeployment(
            item.get("id") or state.make_id("software-deployment", f"{server.id}:{index}"),
            config.id, server.id, server.project_id, item.get("action", "CREATE"),
            item.get("status", "COMPLETE"), item.get("status_reason", "Outputs received"),
            dict(item.get("input_values", {})), dict(item.get("output_values", {})),
            start - 300.0 + index)
        data.deployments[deployment.id] = deployment
    state.extensions[SECTION] = data


@loader.register_checker
def check_heat(doc: dict, scenario) -> Iterator[tuple]:
    section = doc.get(SECTION, {})
    servers = {s["name"] for s in doc.get("compute", {}).get("servers", [])}
    projects = checks.project_names(doc)
    stacks = section.get("stacks", [])
    seen: dict[tuple, int] = {}
    for index, stack in enumerate(stacks):
        path = (SECTION, "stacks", index)
        project = stack.get("project", "admin")
        if project not in projects:
            yield path + ("project",), f"unknown project '{project}'"
        if (project, stack["name"]) in seen:
            yield path + ("name",), (f"duplicate stack name '{stack['name']}' in project "
                                     f"'{project}' (first at index {seen[project, stack['name']]})")
        seen.setdefault((project, stack["name"]), index)
        resources = stack.get("resources", [])
        yield from _duplicates(resources, path + ("resources",), "resource")
        names = {r["name"] for r in resources}
        for r_index, resource in enumerate(resources):
            r_path = path + ("resources", r_index)
            if "server" in resource and resource["server"] not in servers:
                yield r_path + ("server",), f"unknown server '{resource['server']}'"
            for d_index, other in enumerate(resource.get("required_by", [])):
                if other not in names:
                    yield r_path + ("required_by", d_index), f"unknown resource '{other}'"
        for e_index, event in enumerate(stack.get("events", [])):
            if event.get("resource", stack["name"]) not in names | {stack["name"]}:
                yield path + ("events", e_index, "resource"), (
                    f"unknown resource '{event['resource']}'")
        yield from _duplicates(stack.get("snapshots", []), path + ("snapshots",),
                                  "snapshot")
    configs = section.get("software_configs", [])
    yield from _duplicates(configs, (SECTION, "software_configs"), "software config")
    for index, config in enumerate(configs):
        if config.get("project", "admin") not in projects:
            yield (SECTION, "software_configs", index, "project"), (
                f"unknown project '{config['project']}'")
    config_names = {c["name"] for c in configs}
    for index, deployment in enumerate(section.get("software_deployments", [])):
        path = (SECTION, "software_deployments", index)
        if deployment["server"] not in servers:
            yield path + ("server",), f"unknown server '{deployment['server']}'"
        if deployment["config"] not in config_names:
            yield path + ("config",), f"unknown software config '{deployment['config']}'"


schema.register_section(SECTION, SCHEMA)
state_mod.register_section_loader(SECTION, _load)
