"""Ironic (bare metal API v1): version documents, nodes (list, detail, show, states) and the
power action Watcher's ``change_node_power_state`` uses.

Nodes are the scenario's ``baremetal`` nodes whose provider is ``ironic``. A node that runs a
compute host carries that hypervisor's id in ``extra["compute_node_id"]``, which is how
upstream Watcher's Ironic helper finds the Nova side of a machine.
"""

import json
import re
from urllib.parse import urlencode

import webob

from watcher.simulator.records import BaremetalNode
from watcher.simulator.state import CONTROLLER
from watcher.simulator.wsgi import (
    HTTPError,
    Microversions,
    ServiceApp,
    format_version,
    parse_version,
)

MIN_VERSION = "1.1"
MAX_VERSION = "1.96"
MAX_LIMIT = 1000
_HEADER = "X-OpenStack-Ironic-API-Version"
_MIN_HEADER = "X-OpenStack-Ironic-API-Minimum-Version"
_MAX_HEADER = "X-OpenStack-Ironic-API-Maximum-Version"
_UUID = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")
_TRUE = ("1", "true", "yes", "on", "y", "t")
_FALSE = ("0", "false", "no", "off", "n", "f")

# What GET /v1/nodes shows without ?detail or ?fields.
DEFAULT_FIELDS = ("instance_uuid", "maintenance", "power_state", "provision_state", "uuid",
                  "name")
# Node fields and the microversion that introduced them; older requests do not see them.
FIELD_VERSIONS = {
    "driver_internal_info": "1.3", "name": "1.5", "inspection_started_at": "1.6",
    "inspection_finished_at": "1.6", "clean_step": "1.7", "raid_config": "1.12",
    "target_raid_config": "1.12", "network_interface": "1.20", "resource_class": "1.21",
    "boot_interface": "1.31", "console_interface": "1.31", "deploy_interface": "1.31",
    "inspect_interface": "1.31", "management_interface": "1.31", "power_interface": "1.31",
    "raid_interface": "1.31", "vendor_interface": "1.31", "storage_interface": "1.33",
    "traits": "1.37", "rescue_interface": "1.38", "bios_interface": "1.40", "fault": "1.42",
    "deploy_step": "1.44", "conductor_group": "1.46", "automated_clean": "1.47",
    "protected": "1.48", "protected_reason": "1.48", "conductor": "1.49", "owner": "1.50",
    "description": "1.51", "allocation_uuid": "1.52", "retired": "1.61",
    "retired_reason": "1.61", "lessee": "1.65", "network_data": "1.66", "boot_mode": "1.75",
    "secure_boot": "1.75", "shard": "1.82", "parent_node": "1.83",
    "firmware_interface": "1.86", "service_step": "1.87", "disable_power_off": "1.95",
}
_SORT_KEYS = {"uuid", "name", "created_at", "updated_at", "provision_state", "power_state",
              "driver", "resource_class", "maintenance", "provision_updated_at", "id"}
POWER_TARGETS = {"power on": True, "power off": False, "rebooting": True,
                 "soft power off": False, "soft rebooting": True}
_SOFT_TARGETS = ("soft power off", "soft rebooting")
# Hardware-type interfaces: what `baremetal node show` reports for the common drivers.
_DRIVER_INTERFACES = {
    "ipmi": {"power": "ipmitool", "management": "ipmitool", "vendor": "ipmitool",
             "console": "no-console", "bios": "no-bios", "firmware": "no-firmware"},
    "redfish": {"power": "redfish", "management": "redfish", "vendor": "redfish",
                "console": "no-console", "bios": "redfish", "firmware": "redfish"},
}
_GENERIC_INTERFACES = {"boot": "ipxe", "deploy": "direct", "inspect": "agent",
                       "network": "flat", "raid": "no-raid", "rescue": "no-rescue",
                       "storage": "noop"}


class IronicMicroversions(Microversions):
    """Ironic's own header set: the version in use plus the supported range, on every
    response (including a 406), which is what python-ironicclient negotiates from."""

    def __init__(self) -> None:
        super().__init__("baremetal", MIN_VERSION, MAX_VERSION, legacy_header=_HEADER)

    def negotiate(self, req: webob.Request) -> tuple[int, int]:
        wanted = req.headers.get(_HEADER)
        if not wanted:
            return self.minimum
        if wanted.strip().lower() == "latest":
            return self.maximum
        try:
            version = parse_version(wanted)
        except ValueError as err:
            raise HTTPError(400, f"Invalid value for {_HEADER} header: {wanted}",
                            self._range_headers()) from err
        if version[0] != 1:
            raise HTTPError(406, f"Mutually exclusive versions requested. Version {wanted} "
                                 "requested but not supported by this service. The supported "
                                 f"version range is: [{MIN_VERSION}, {MAX_VERSION}].",
                            self._range_headers())
        if not self.minimum <= version <= self.maximum:
            raise HTTPError(406, f"Version {wanted} was requested but the minor version is "
                                 "not supported by this service. The supported version range "
                                 f"is: [{MIN_VERSION}, {MAX_VERSION}].", self._range_headers())
        return version

    def headers(self, version: tuple[int, int]) -> list[tuple[str, str]]:
        return [*self._range_headers().items(), (_HEADER, format_version(version)),
                ("Vary", _HEADER)]

    @staticmethod
    def _range_headers() -> dict:
        return {_MIN_HEADER: MIN_VERSION, _MAX_HEADER: MAX_VERSION}


def _link(href: str, rel: str) -> dict:
    return {"href": href, "rel": rel}


def _flag(name: str, raw: str | None) -> bool | None:
    if raw is None:
        return None
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise HTTPError(400, f"Invalid value for {name}: '{raw}'. It must be a boolean.")


class IronicApp(ServiceApp):
    name = "baremetal"
    prefix = "/baremetal"
    catalog = [("baremetal", "ironic", "")]
    microversions = IronicMicroversions()
    public_paths = (r"^/?$", r"^/v1/?$")
    # Ironic's [api]max_limit: the largest page a list returns, whatever the client asks.
    max_limit = MAX_LIMIT

    def __init__(self, sim) -> None:
        super().__init__(sim)
        # Nodes are enrolled once, from the scenario; names and uuids never change.
        self._nodes_by_name = {n.name: n for n in sim.state.baremetal_nodes.values()
                               if n.provider == "ironic"}

    def routes(self) -> None:
        add = self.router.add
        add("GET", "/", self.root)
        add("GET", "/v1", self.v1)
        add("GET", "/v1/nodes", self.list_nodes)
        # Before /v1/nodes/{node_ident}: "detail" is a reserved word, not a node name.
        add("GET", "/v1/nodes/detail", self.list_nodes_detail)
        add("GET", "/v1/nodes/{node_ident}", self.show_node)
        add("GET", "/v1/nodes/{node_ident}/states", self.node_states)
        add("PUT", "/v1/nodes/{node_ident}/states/power", self.set_power_state)

    def error_body(self, status: int, message: str) -> dict:
        fault = {"faultcode": "Server" if status >= 500 else "Client",
                 "faultstring": message, "debuginfo": None}
        return {"error_message": json.dumps(fault)}

    # -- version documents ---------------------------------------------------------------------

    def _version(self, root: str) -> dict:
        return {"id": "v1", "links": [_link(f"{root}/v1/", "self")], "status": "CURRENT",
                "min_version": MIN_VERSION, "version": MAX_VERSION}

    def root(self, ctx):
        version = self._version(ctx.base_url)
        return 200, {"name": "OpenStack Ironic API",
                     "description": "Ironic is an OpenStack project which enables the "
                                    "provision and management of baremetal machines.",
                     "default_version": version, "versions": [version]}

    def v1(self, ctx):
        root = ctx.base_url
        doc = {
            "id": "v1",
            "links": [_link(f"{root}/v1/", "self"),
                      {"href": "https://docs.openstack.org//ironic/latest/contributor/"
                               "webapi.html", "rel": "describedby", "type": "text/html"}],
            "media_types": {"base": "application/json",
                            "type": "application/vnd.openstack.ironic.v1+json"},
            "version": self._version(root),
        }
        for resource in ("chassis", "nodes", "ports", "drivers"):
            doc[resource] = [_link(f"{root}/v1/{resource}/", "self"),
                             _link(f"{root}/{resource}/", "bookmark")]
        return 200, doc

    # -- nodes ---------------------------------------------------------------------------------

    def _nodes(self) -> list[BaremetalNode]:
        return list(self._nodes_by_name.values())

    @staticmethod
    def _authorize(ctx, rule: str) -> None:
        # Ironic's default policies give nodes to the admin (system or project scoped).
        if not ctx.is_admin:
            raise HTTPError(403, f"{rule} is disallowed by policy")

    def _node(self, ctx, ident: str, rule: str = "baremetal:node:get") -> BaremetalNode:
        self._authorize(ctx, rule)
        node = self.state.baremetal_nodes.get(ident)
        if node is None and not _UUID.match(ident):
            if not ctx.at_least("1.5"):
                raise HTTPError(400, f"Expected a UUID but received {ident}.")
            node = self._nodes_by_name.get(ident)
        if node is None or node.provider != "ironic":
            raise HTTPError(404, f"Node {ident} could not be found.")
        return node

    def _time(self, stamp: float) -> str:
        return self.state.clock.datetime(stamp).isoformat()

    def _interfaces(self, node: BaremetalNode) -> dict:
        specific = _DRIVER_INTERFACES.get(node.driver, {
            "power": node.driver, "management": node.driver, "vendor": "no-vendor",
            "console": "no-console", "bios": "no-bios", "firmware": "no-firmware"})
        return {f"{kind}_interface": name
                for kind, name in {**_GENERIC_INTERFACES, **specific}.items()}

    def _node_doc(self, ctx, node: BaremetalNode) -> dict:
        root = ctx.base_url
        hypervisor = self.state.hypervisors_by_name.get(node.hypervisor or "")
        busy = node.target_power_state is not None
        properties = {"cpu_arch": "x86_64"}
        extra: dict = {}
        driver_info: dict = {}
        if hypervisor is not None:
            properties.update(cpus=hypervisor.vcpus, memory_mb=hypervisor.memory_mb,
                              local_gb=hypervisor.disk_gb)
            extra["compute_node_id"] = hypervisor.id
            if node.driver in ("ipmi", "redfish"):
                key = "ipmi_address" if node.driver == "ipmi" else "redfish_address"
                driver_info = {key: hypervisor.host_ip, f"{node.driver}_username": "admin",
                               f"{node.driver}_password": "******"}
        properties.update(node.properties)
        created = self._time(self.state.clock.start)
        doc = {
            "uuid": node.id, "name": node.name, "instance_uuid": None,
            "power_state": node.power_state, "target_power_state": node.target_power_state,
            "provision_state": node.provision_state, "target_provision_state": None,
            "maintenance": node.maintenance, "maintenance_reason": node.maintenance_reason,
            "fault": None,
            "console_enabled": False, "last_error": None,
            "reservation": CONTROLLER if busy else None, "driver": node.driver,
            "driver_info": driver_info, "driver_internal_info": {}, "properties": properties,
            "instance_info": {}, "extra": extra, "chassis_uuid": None,
            "created_at": created, "updated_at": self._time(node.updated_at),
            "provision_updated_at": created, "inspection_started_at": None,
            "inspection_finished_at": None, "clean_step": {}, "deploy_step": {},
            "service_step": {}, "raid_config": {}, "target_raid_config": {},
            "resource_class": node.resource_class, "traits": [], "conductor_group": "",
            "automated_clean": None, "protected": False, "protected_reason": None,
            "conductor": CONTROLLER, "owner": None, "lessee": None, "description": None,
            "allocation_uuid": None, "retired": False, "retired_reason": None,
            "network_data": {}, "boot_mode": "uefi", "secure_boot": None, "shard": None,
            "parent_node": None, "disable_power_off": False,
            **self._interfaces(node),
        }
        for field, since in FIELD_VERSIONS.items():
            if not ctx.at_least(since):
                doc.pop(field, None)
        node_url, bookmark = f"{root}/v1/nodes/{node.id}", f"{root}/nodes/{node.id}"
        doc["links"] = [_link(node_url, "self"), _link(bookmark, "bookmark")]
        doc["ports"] = [_link(node_url + "/ports", "self"), _link(bookmark + "/ports",
                                                                   "bookmark")]
        if ctx.at_least("1.14"):
            doc["states"] = [_link(node_url + "/states", "self"),
                             _link(bookmark + "/states", "bookmark")]
        if ctx.at_least("1.24"):
            doc["portgroups"] = [_link(node_url + "/portgroups", "self"),
                                 _link(bookmark + "/portgroups", "bookmark")]
        if ctx.at_least("1.32"):
            doc["volume"] = [_link(node_url + "/volume", "self"),
                             _link(bookmark + "/volume", "bookmark")]
        return doc

    def _fields(self, ctx) -> list[str] | None:
        raw = ctx.query("fields")
        if raw is None:
            return None
        if not ctx.at_least("1.8"):
            raise HTTPError(406, "Request not acceptable.")
        fields = [f.strip() for f in raw.split(",") if f.strip()]
        known = {"uuid", "name", "instance_uuid", "power_state", "target_power_state",
                 "provision_state", "target_provision_state", "maintenance",
                 "maintenance_reason", "console_enabled", "last_error", "reservation",
                 "driver", "driver_info", "driver_internal_info", "properties",
                 "instance_info", "extra", "chassis_uuid", "created_at", "updated_at",
                 "provision_updated_at", "inspection_started_at", "inspection_finished_at",
                 "links", "ports", "states", "portgroups", "volume"}
        known |= {f for f, since in FIELD_VERSIONS.items() if ctx.at_least(since)}
        invalid = [f for f in fields if f not in known]
        if invalid:
            raise HTTPError(400, f"Field(s) \"{', '.join(invalid)}\" are not valid")
        return fields

    @staticmethod
    def _only(doc: dict, fields) -> dict:
        # Ironic keeps the links of a resource whatever fields were asked for.
        return {k: v for k, v in doc.items() if k in fields or k == "links"}

    def show_node(self, ctx, node_ident):
        fields = self._fields(ctx)
        doc = self._node_doc(ctx, self._node(ctx, node_ident))
        return 200, doc if fields is None else self._only(doc, fields)

    def list_nodes(self, ctx):
        return self._list(ctx, detail=_flag("detail", ctx.query("detail")) or False,
                          path="/v1/nodes", detail_query=ctx.query("detail") is not None)

    def list_nodes_detail(self, ctx):
        return self._list(ctx, detail=True, path="/v1/nodes/detail", detail_query=False)

    def _list(self, ctx, detail: bool, path: str, detail_query: bool):
        self._authorize(ctx, "baremetal:node:list")
        if detail_query and not ctx.at_least("1.43"):
            raise HTTPError(400, f"Invalid query parameter ?detail={ctx.query('detail')} "
                                 "received.")
        fields = self._fields(ctx)
        if fields is not None and detail:
            raise HTTPError(400, "Can not specify ?detail=True and fields in the same "
                                 "request.")
        nodes = self._filter(ctx, self._nodes())
        nodes = self._sort(ctx, nodes)
        limit = ctx.int_query("limit")
        limit = self.max_limit if not limit else min(limit, self.max_limit)
        marker = ctx.query("marker")
        if marker is not None:
            position = next((i for i, n in enumerate(nodes) if n.id == marker), None)
            if position is None:
                raise HTTPError(404, f"Node {marker} could not be found.")
            nodes = nodes[position + 1:]
        page = nodes[:limit]
        shown = fields if fields is not None else (None if detail else DEFAULT_FIELDS)
        docs = []
        for node in page:
            doc = self._node_doc(ctx, node)
            docs.append(doc if shown is None else self._only(doc, shown))
        body: dict = {"nodes": docs}
        if page and len(page) == limit:
            # Ironic's next link: the same query with the limit and the last uuid as marker.
            args = [(k, v) for k, v in ctx.req.GET.items() if k not in ("limit", "marker")]
            args += [("limit", str(limit)), ("marker", page[-1].id)]
            body["next"] = f"{ctx.base_url}{path}?{urlencode(args)}"
        return 200, body

    def _filter(self, ctx, nodes: list[BaremetalNode]) -> list[BaremetalNode]:
        maintenance = _flag("maintenance", ctx.query("maintenance"))
        if maintenance is not None:
            nodes = [n for n in nodes if n.maintenance == maintenance]
        associated = _flag("associated", ctx.query("associated"))
        if associated is True:
            # No Nova instance is deployed on these machines: they are the compute hosts.
            nodes = []
        filters = (("provision_state", "1.9"), ("driver", "1.16"),
                   ("resource_class", "1.21"))
        for name, since in filters:
            wanted = ctx.query(name)
            if wanted is None:
                continue
            if not ctx.at_least(since):
                raise HTTPError(406, "Request not acceptable.")
            nodes = [n for n in nodes if getattr(n, name) == wanted]
        return nodes

    def _sort(self, ctx, nodes: list[BaremetalNode]) -> list[BaremetalNode]:
        key = ctx.query("sort_key", "id")
        direction = ctx.query("sort_dir", "asc")
        if key not in _SORT_KEYS:
            raise HTTPError(400, f"The sort_key value {key} is an invalid field for sorting")
        if direction not in ("asc", "desc"):
            raise HTTPError(400, f"Invalid sort direction: {direction}. Acceptable values are "
                                 "'asc' or 'desc'")
        if key in ("id", "created_at", "provision_updated_at"):
            # Every node was enrolled when the scenario started: creation order it is.
            ordered = list(nodes)
        else:
            attribute = "id" if key == "uuid" else key
            ordered = sorted(nodes, key=lambda n: getattr(n, attribute))
        return ordered[::-1] if direction == "desc" else ordered

    # -- states --------------------------------------------------------------------------------

    def node_states(self, ctx, node_ident):
        node = self._node(ctx, node_ident)
        doc = {
            "console_enabled": False, "last_error": None, "power_state": node.power_state,
            "provision_state": node.provision_state,
            "provision_updated_at": self._time(self.state.clock.start),
            "target_power_state": node.target_power_state, "target_provision_state": None,
        }
        if ctx.at_least("1.12"):
            doc.update(raid_config={}, target_raid_config={})
        if ctx.at_least("1.75"):
            doc.update(boot_mode="uefi", secure_boot=None)
        return 200, doc

    def set_power_state(self, ctx, node_ident):
        node = self._node(ctx, node_ident, "baremetal:node:set_power_state")
        body = ctx.json()
        target = body.get("target")
        timeout = body.get("timeout")
        if (target in _SOFT_TARGETS or timeout is not None) and not ctx.at_least("1.27"):
            raise HTTPError(406, "Request not acceptable.")
        if timeout is not None and (not isinstance(timeout, int) or timeout <= 0):
            raise HTTPError(400, f"Invalid timeout value {timeout}. The timeout value must be "
                                 "a positive integer.")
        if target not in POWER_TARGETS:
            raise HTTPError(400, f"The requested action \"{target}\" can not be performed on "
                                 f"node \"{node.id}\" while it is in state "
                                 f"\"{node.power_state}\".")
        with self.state.lock:
            if node.target_power_state is not None:
                raise HTTPError(409, f"Node {node.id} is locked by host {CONTROLLER}, please "
                                     "retry after the current operation is completed.")
            self.sim.operations.set_power(node, POWER_TARGETS[target])
        url = f"{ctx.base_url}/v1/nodes/{node.id}/states"
        return 202, None, {"Location": url}
