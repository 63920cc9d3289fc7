"""Heat (orchestration API v1): stacks, their resources, events, snapshots, templates and
outputs, resource types, software configs and deployments, read from the scenario's ``heat``
section (``heat_scenario``). Stacks are addressed as ``/stacks/{name}/{id}``; a name or id
alone answers 302 to that address, as Heat does."""

import re
from urllib.parse import quote, urlencode

from watcher.simulator import heat_scenario
from watcher.simulator.apps import heat_types
from watcher.simulator.heat_scenario import HeatEvent, HeatResource, Stack
from watcher.simulator.wsgi import HTTPError, ServiceApp

_TRUE = ("1", "true", "yes", "on")
_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed", 409: "Conflict"}
_EXPLANATIONS = {
    400: "The server could not comply with the request since it is either malformed or "
         "otherwise incorrect.",
    401: "This server could not verify that you are authorized to access the document you "
         "requested. Either you supplied the wrong credentials (e.g., bad password), or your "
         "browser does not understand how to supply the credentials required.",
    403: "Access was denied to this resource.",
    404: "The resource could not be found.",
    405: "The method specified is not allowed for this resource.",
}
_ERROR_TYPES = {400: "HTTPBadRequest", 401: "HTTPUnauthorized", 403: "Forbidden",
                404: "EntityNotFound", 405: "HTTPMethodNotAllowed"}
_STACK_SORT_KEYS = {"stack_name": "name", "name": "name", "stack_status": "status",
                    "status": "status", "creation_time": "created_at",
                    "created_at": "created_at", "updated_time": "created_at",
                    "updated_at": "created_at"}
_SUBRESOURCES = ("resources", "events", "snapshots", "template", "outputs")


class HeatApp(ServiceApp):
    name = "orchestration"
    prefix = "/heat-api"
    catalog = [("orchestration", "heat", "/v1/$(project_id)s")]
    public_paths = (r"^/?$",)

    def routes(self) -> None:
        add = self.router.add
        add("GET", "/", self.versions)
        base = "/v1/{tenant_id}"
        stack = base + "/stacks/{stack_name}/{stack_id}"
        add("GET", base + "/stacks", self.list_stacks)
        add("GET", base + "/stacks/{stack_name}", self.redirect_stack)
        for sub in _SUBRESOURCES:
            add("GET", base + "/stacks/{stack_name}/" + sub,
                lambda ctx, tenant_id, stack_name, sub=sub: self.redirect_stack(
                    ctx, tenant_id, stack_name, sub))
        add("GET", stack, self.show_stack)
        add("GET", stack + "/template", self.stack_template)
        add("GET", stack + "/outputs", self.list_outputs)
        add("GET", stack + "/outputs/{output_key}", self.show_output)
        add("GET", stack + "/snapshots", self.list_snapshots)
        add("GET", stack + "/snapshots/{snapshot_id}", self.show_snapshot)
        add("GET", stack + "/resources", self.list_resources)
        add("GET", stack + "/resources/{resource_name}", self.show_resource)
        add("GET", stack + "/resources/{resource_name}/metadata", self.resource_metadata)
        add("GET", stack + "/resources/{resource_name}/events", self.resource_events)
        add("GET", stack + "/resources/{resource_name}/events/{event_id}", self.show_event)
        add("GET", stack + "/events", self.stack_events)
        add("GET", base + "/resource_types", self.list_resource_types)
        add("GET", base + "/resource_types/{type_name}", self.show_resource_type)
        add("GET", base + "/software_configs", self.list_configs)
        add("GET", base + "/software_configs/{config_id}", self.show_config)
        add("GET", base + "/software_deployments", self.list_deployments)
        add("GET", base + "/software_deployments/{deployment_id}", self.show_deployment)

    def error_body(self, status: int, message: str) -> dict:
        kind = _ERROR_TYPES.get(status, "HTTPError")
        if message.startswith("The Resource Type"):
            kind = "ResourceTypeNotFound"
        return {"explanation": _EXPLANATIONS.get(status, message), "code": status,
                "error": {"message": message, "traceback": None, "type": kind},
                "title": _TITLES.get(status, "Error")}

    def versions(self, ctx):
        return 300, {"versions": [{"id": "v1.0", "status": "CURRENT", "links": [
            {"href": ctx.base_url + "/v1/", "rel": "self"}]}]}

    @property
    def data(self) -> heat_scenario.HeatData:
        return heat_scenario.heat_data(self.state)

    def _time(self, at: float | None) -> str | None:
        return None if at is None else self.state.clock.isotime(at)

    # -- stacks --------------------------------------------------------------------------------

    def _visible(self, ctx, everyone: bool = False) -> list[Stack]:
        stacks = self.data.stacks.values()
        if everyone and ctx.is_admin:
            return list(stacks)
        return [s for s in stacks if s.project_id == ctx.token.project_id]

    def _stack(self, ctx, name_or_id: str, stack_id: str | None = None) -> Stack:
        # Ids are global; names are only unique within a project, so they resolve there.
        for stack in self._visible(ctx, everyone=True):
            if stack_id is not None:
                found = stack.id == stack_id and stack.name == name_or_id
            else:
                found = stack.id == name_or_id or (
                    stack.name == name_or_id and stack.project_id == ctx.token.project_id)
            if found:
                return stack
        shown = name_or_id if stack_id is None else stack_id
        raise HTTPError(404, f"The Stack ({shown}) could not be found.")

    def _stack_url(self, ctx, stack: Stack) -> str:
        return (f"{ctx.base_url}/v1/{stack.project_id}/stacks/{quote(stack.name)}/"
                f"{stack.id}")

    def _stack_summary(self, ctx, stack: Stack) -> dict:
        action, _, status = stack.status.partition("_")
        return {
            "id": stack.id, "stack_name": stack.name, "description": stack.description,
            "creation_time": self._time(stack.created_at), "updated_time": None,
            "deletion_time": None, "stack_status": stack.status,
            "stack_status_reason": stack.status_reason, "stack_owner": None, "parent": None,
            "stack_user_project_id": stack.project_id, "project": stack.project_id,
            "tags": stack.tags or None,
            "links": [{"href": self._stack_url(ctx, stack), "rel": "self"}],
        }

    def list_stacks(self, ctx, tenant_id: str):
        everyone = (ctx.query("global_tenant") or "").lower() in _TRUE
        stacks = self._visible(ctx, everyone)
        params = ctx.req.GET
        for name, pick in (("id", lambda s: [s.id]), ("name", lambda s: [s.name]),
                           ("status", lambda s: [s.status, s.status.partition("_")[2]]),
                           ("action", lambda s: [s.status.partition("_")[0]]),
                           ("tenant", lambda s: [s.project_id])):
            wanted = params.getall(name)
            if wanted:
                stacks = [s for s in stacks if set(pick(s)) & set(wanted)]
        stacks = self._filter_tags(ctx, stacks)
        key = _STACK_SORT_KEYS.get(ctx.query("sort_keys") or "created_at")
        if key is None:
            raise HTTPError(400, f"Invalid sort key: {ctx.query('sort_keys')}")
        direction = (ctx.query("sort_dir") or "desc").lower()
        if direction not in ("asc", "desc"):
            raise HTTPError(400, f"Invalid sort direction: {direction}")
        stacks.sort(key=lambda s: (getattr(s, key), s.id), reverse=direction == "desc")
        page, links = self._paginate(ctx, stacks)
        body = {"stacks": [self._stack_summary(ctx, s) for s in page]}
        if links:
            body["links"] = links
        return 200, body

    def _filter_tags(self, ctx, stacks: list[Stack]) -> list[Stack]:
        def tag_set(name: str) -> set[str]:
            raw = ctx.query(name)
            return set(raw.split(",")) if raw else set()

        every, some = tag_set("tags"), tag_set("tags_any")
        none_of, not_all = tag_set("not_tags_any"), tag_set("not_tags")
        out = []
        for stack in stacks:
            tags = set(stack.tags)
            if (every and not every <= tags) or (some and not some & tags) or (
                    none_of and none_of & tags) or (not_all and not_all <= tags):
                continue
            out.append(stack)
        return out

    def _paginate(self, ctx, items: list) -> tuple[list, list]:
        marker, limit = ctx.query("marker"), ctx.int_query("limit")
        if marker:
            ids = [item.id for item in items]
            if marker not in ids:
                raise HTTPError(404, f"The Stack ({marker}) could not be found.")
            items = items[ids.index(marker) + 1:]
        if limit is None or len(items) <= limit:
            return items, []
        page = items[:limit]
        query = [(k, v) for k, v in ctx.req.GET.items() if k != "marker"]
        query.append(("marker", page[-1].id))
        return page, [{"href": f"{ctx.req.path_url}?{urlencode(query)}", "rel": "next"}]

    def redirect_stack(self, ctx, tenant_id: str, stack_name: str, sub: str | None = None):
        stack = self._stack(ctx, stack_name)
        location = self._stack_url(ctx, stack) + (f"/{sub}" if sub else "")
        if ctx.req.query_string:
            location += "?" + ctx.req.query_string
        return 302, {"location": location}, {"Location": location}

    def show_stack(self, ctx, tenant_id: str, stack_name: str, stack_id: str):
        stack = self._stack(ctx, stack_name, stack_id)
        doc = self._stack_summary(ctx, stack)
        parameters = {"OS::stack_id": stack.id, "OS::stack_name": stack.name,
                      "OS::project_id": stack.project_id}
        parameters.update({k: str(v) for k, v in stack.parameters.items()})
        doc.update({"parameters": parameters, "outputs": self._outputs(stack),
                    "capabilities": [], "notification_topics": [], "disable_rollback": True,
                    "timeout_mins": None, "template_description": stack.description})
        return 200, {"stack": doc}

    @staticmethod
    def _outputs(stack: Stack) -> list[dict]:
        return [{"output_key": o["output_key"], "output_value": o.get("output_value"),
                 "description": o.get("description", "No description given")}
                for o in stack.outputs]

    def stack_template(self, ctx, tenant_id: str, stack_name: str, stack_id: str):
        return 200, self._stack(ctx, stack_name, stack_id).template

    def list_outputs(self, ctx, tenant_id: str, stack_name: str, stack_id: str):
        stack = self._stack(ctx, stack_name, stack_id)
        return 200, {"outputs": [{"output_key": o["output_key"],
                                  "description": o["description"]}
                                 for o in self._outputs(stack)]}

    def show_output(self, ctx, tenant_id: str, stack_name: str, stack_id: str,
                    output_key: str):
        stack = self._stack(ctx, stack_name, stack_id)
        for output in self._outputs(stack):
            if output["output_key"] == output_key:
                return 200, {"output": output}
        raise HTTPError(404, f"Specified output key {output_key} not found.")

    # -- snapshots -----------------------------------------------------------------------------

    def _snapshot_doc(self, snapshot) -> dict:
        return {"id": snapshot.id, "name": snapshot.name, "status": snapshot.status,
                "status_reason": snapshot.status_reason, "data": snapshot.data,
                "creation_time": self._time(snapshot.created_at)}

    def list_snapshots(self, ctx, tenant_id: str, stack_name: str, stack_id: str):
        stack = self._stack(ctx, stack_name, stack_id)
        return 200, {"snapshots": [self._snapshot_doc(s) for s in stack.snapshots]}

    def show_snapshot(self, ctx, tenant_id: str, stack_name: str, stack_id: str,
                      snapshot_id: str):
        stack = self._stack(ctx, stack_name, stack_id)
        for snapshot in stack.snapshots:
            if snapshot.id == snapshot_id:
                return 200, {"snapshot": self._snapshot_doc(snapshot)}
        raise HTTPError(404, f"The Snapshot ({snapshot_id}) could not be found.")

    # -- resources -----------------------------------------------------------------------------

    def _resource(self, stack: Stack, name: str) -> HeatResource:
        resource = stack.resources.get(name)
        if resource is None:
            raise HTTPError(404, f"The Resource ({name}) could not be found.")
        return resource

    def _resource_doc(self, ctx, stack: Stack, resource: HeatResource) -> dict:
        stack_url = self._stack_url(ctx, stack)
        return {
            "resource_name": resource.name, "logical_resource_id": resource.name,
            "physical_resource_id": resource.physical_id, "resource_type": resource.type,
            "resource_status": resource.status,
            "resource_status_reason": resource.status_reason,
            "creation_time": self._time(resource.created_at),
            "updated_time": self._time(resource.updated_at),
            "required_by": list(resource.required_by),
            "links": [{"href": f"{stack_url}/resources/{quote(resource.name)}", "rel": "self"},
                      {"href": stack_url, "rel": "stack"}],
        }

    def list_resources(self, ctx, tenant_id: str, stack_name: str, stack_id: str):
        stack = self._stack(ctx, stack_name, stack_id)
        detail = (ctx.query("with_detail") or "").lower() in _TRUE
        params = ctx.req.GET
        out = []
        for resource in stack.resources.values():
            action, _, status = resource.status.partition("_")
            fields = {"type": {resource.type}, "name": {resource.name},
                      "id": {resource.physical_id},
                      "status": {status, resource.status}, "action": {action}}
            if any(params.getall(k) and not set(params.getall(k)) & v
                   for k, v in fields.items()):
                continue
            doc = self._resource_doc(ctx, stack, resource)
            if detail:
                doc.update({"attributes": resource.attributes,
                            "description": resource.description})
            out.append(doc)
        return 200, {"resources": out}

    def show_resource(self, ctx, tenant_id: str, stack_name: str, stack_id: str,
                      resource_name: str):
        stack = self._stack(ctx, stack_name, stack_id)
        resource = self._resource(stack, resource_name)
        doc = self._resource_doc(ctx, stack, resource)
        doc.update({"attributes": resource.attributes, "description": resource.description})
        return 200, {"resource": doc}

    def resource_metadata(self, ctx, tenant_id: str, stack_name: str, stack_id: str,
                          resource_name: str):
        stack = self._stack(ctx, stack_name, stack_id)
        return 200, {"metadata": self._resource(stack, resource_name).metadata}

    # -- events --------------------------------------------------------------------------------

    def _event_doc(self, ctx, stack: Stack, event: HeatEvent, detail: bool) -> dict:
        stack_url = self._stack_url(ctx, stack)
        resource_url = f"{stack_url}/resources/{quote(event.resource_name)}"
        doc = {"id": event.id, "event_time": self._time(event.at),
               "resource_name": event.resource_name,
               "logical_resource_id": event.resource_name,
               "physical_resource_id": event.physical_id,
               "resource_status": event.status, "resource_status_reason": event.reason,
               "links": [{"href": f"{resource_url}/events/{event.id}", "rel": "self"},
                         {"href": resource_url, "rel": "resource"},
                         {"href": stack_url, "rel": "stack"}]}
        if detail:
            doc.update({"resource_type": event.resource_type,
                        "resource_properties": event.properties})
        return doc

    def _events(self, ctx, stack: Stack, resource_name: str | None):
        params = ctx.req.GET
        events = []
        for event in stack.events:
            action, _, status = event.status.partition("_")
            fields = {"resource_action": {action}, "resource_status": {status, event.status},
                      "resource_name": {event.resource_name},
                      "resource_type": {event.resource_type}}
            if resource_name is not None and event.resource_name != resource_name:
                continue
            if any(params.getall(k) and not set(params.getall(k)) & v
                   for k, v in fields.items()):
                continue
            events.append(event)
        direction = (ctx.query("sort_dir") or "asc").lower()
        events.sort(key=lambda e: e.at, reverse=direction == "desc")
        marker, limit = ctx.query("marker"), ctx.int_query("limit")
        if marker:
            ids = [e.id for e in events]
            if marker not in ids:
                raise HTTPError(404, f"The Event ({marker}) could not be found.")
            events = events[ids.index(marker) + 1:]
        if limit is not None:
            events = events[:limit]
        return 200, {"events": [self._event_doc(ctx, stack, e, False) for e in events]}

    def stack_events(self, ctx, tenant_id: str, stack_name: str, stack_id: str):
        return self._events(ctx, self._stack(ctx, stack_name, stack_id), None)

    def resource_events(self, ctx, tenant_id: str, stack_name: str, stack_id: str,
                        resource_name: str):
        stack = self._stack(ctx, stack_name, stack_id)
        if resource_name != stack.name:
            self._resource(stack, resource_name)
        return self._events(ctx, stack, resource_name)

    def show_event(self, ctx, tenant_id: str, stack_name: str, stack_id: str,
                   resource_name: str, event_id: str):
        stack = self._stack(ctx, stack_name, stack_id)
        for event in stack.events:
            if event.id == event_id and event.resource_name == resource_name:
                return 200, {"event": self._event_doc(ctx, stack, event, True)}
        raise HTTPError(404, f"The Event ({event_id}) could not be found.")

    # -- resource types ------------------------------------------------------------------------

    def _type_names(self) -> list[str]:
        used = {r.type for s in self.data.stacks.values() for r in s.resources.values()}
        return sorted(set(heat_types.TYPES) | used)

    def list_resource_types(self, ctx, tenant_id: str):
        names = self._type_names()
        pattern = ctx.query("name")
        if pattern:
            try:
                names = [n for n in names if re.search(pattern, n)]
            except re.error as err:
                raise HTTPError(400, f"Invalid name filter: {err}") from err
        support = ctx.query("support_status")
        if support:
            names = [n for n in names if support.upper() == "SUPPORTED"]
        if (ctx.query("with_description") or "").lower() in _TRUE:
            return 200, {"resource_types": [
                {"resource_type": n, "description": heat_types.description(n)} for n in names]}
        return 200, {"resource_types": names}

    def show_resource_type(self, ctx, tenant_id: str, type_name: str):
        if type_name not in self._type_names():
            raise HTTPError(404, f"The Resource Type ({type_name}) could not be found.")
        return 200, heat_types.schema(type_name)

    # -- software configs and deployments ------------------------------------------------------

    def _config_doc(self, config, detail: bool) -> dict:
        doc = {"id": config.id, "name": config.name, "group": config.group,
               "creation_time": self._time(config.created_at)}
        if detail:
            doc.update({"config": config.config, "inputs": config.inputs,
                        "outputs": config.outputs, "options": config.options})
        return doc

    def _mine(self, ctx, items):
        return [i for i in items if ctx.is_admin or i.project_id == ctx.token.project_id]

    def list_configs(self, ctx, tenant_id: str):
        configs = sorted(self._mine(ctx, self.data.configs.values()),
                         key=lambda c: (c.created_at, c.id))
        page = self._paginate_simple(ctx, configs, "Software Config")
        return 200, {"software_configs": [self._config_doc(c, False) for c in page]}

    def show_config(self, ctx, tenant_id: str, config_id: str):
        for config in self._mine(ctx, self.data.configs.values()):
            if config.id == config_id:
                return 200, {"software_config": self._config_doc(config, True)}
        raise HTTPError(404, f"The Software Config ({config_id}) could not be found.")

    def _paginate_simple(self, ctx, items: list, what: str) -> list:
        marker, limit = ctx.query("marker"), ctx.int_query("limit")
        if marker:
            ids = [i.id for i in items]
            if marker not in ids:
                raise HTTPError(404, f"The {what} ({marker}) could not be found.")
            items = items[ids.index(marker) + 1:]
        return items if limit is None else items[:limit]

    def _deployment_doc(self, deployment) -> dict:
        return {"id": deployment.id, "config_id": deployment.config_id,
                "server_id": deployment.server_id, "action": deployment.action,
                "status": deployment.status, "status_reason": deployment.status_reason,
                "input_values": deployment.input_values,
                "output_values": deployment.output_values,
                "creation_time": self._time(deployment.created_at), "updated_time": None}

    def list_deployments(self, ctx, tenant_id: str):
        deployments = self._mine(ctx, self.data.deployments.values())
        server_id = ctx.query("server_id")
        if server_id:
            deployments = [d for d in deployments if d.server_id == server_id]
        return 200, {"software_deployments": [self._deployment_doc(d) for d in deployments]}

    def show_deployment(self, ctx, tenant_id: str, deployment_id: str):
        for deployment in self._mine(ctx, self.data.deployments.values()):
            if deployment.id == deployment_id:
                return 200, {"software_deployment": self._deployment_doc(deployment)}
        raise HTTPError(404, f"The Software Deployment ({deployment_id}) could not be found.")
