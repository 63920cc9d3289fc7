"""Neutron (network v2.0), as much as booting servers needs: networks, subnets and ports
list/show/create/delete, filtered by query parameters the way Neutron filters."""

from watcher.simulator.wsgi import HTTPError, ServiceApp

_NOT_FOUND = {"networks": "NetworkNotFound", "subnets": "SubnetNotFound",
              "ports": "PortNotFound"}


class NeutronApp(ServiceApp):
    name = "network"
    prefix = "/networking"
    catalog = [("network", "neutron", "")]
    public_paths = (r"^/?$",)

    def __init__(self, sim) -> None:
        super().__init__(sim)
        self.tenant = self.state.tenant

    def routes(self) -> None:
        add = self.router.add
        add("GET", "/", self.versions)
        add("GET", "/v2.0", self.version)
        add("GET", "/v2.0/extensions", self.extensions)
        for kind in ("networks", "subnets", "ports"):
            add("GET", f"/v2.0/{kind}", lambda ctx, kind=kind: self.list(ctx, kind))
            add("GET", f"/v2.0/{kind}/{{item_id}}",
                lambda ctx, item_id, kind=kind: self.show(ctx, kind, item_id))
            add("DELETE", f"/v2.0/{kind}/{{item_id}}",
                lambda ctx, item_id, kind=kind: self.delete(ctx, kind, item_id))
        add("POST", "/v2.0/networks", self.create_network)
        add("POST", "/v2.0/subnets", self.create_subnet)
        add("POST", "/v2.0/ports", self.create_port)

    def error_body(self, status: int, message: str) -> dict:
        kind = {404: "HTTPNotFound", 409: "Conflict", 403: "Forbidden"}.get(status,
                                                                            "BadRequest")
        return {"NeutronError": {"type": kind, "message": message, "detail": ""}}

    def versions(self, ctx):
        return 200, {"versions": [{"id": "v2.0", "status": "CURRENT", "links": [
            {"rel": "self", "href": ctx.base_url + "/v2.0/"}]}]}

    def version(self, ctx):
        return 200, {"resources": [{"name": k[:-1], "collection": k, "links": [
            {"rel": "self", "href": f"{ctx.base_url}/v2.0/{k}"}]} for k in _NOT_FOUND]}

    def extensions(self, ctx):
        return 200, {"extensions": []}

    # -- views ---------------------------------------------------------------------------------

    def _common(self, record) -> dict:
        iso = self.state.clock.isotime
        return {"id": record.id, "name": record.name, "project_id": record.project_id,
                "tenant_id": record.project_id, "created_at": iso(record.created_at),
                "updated_at": iso(record.created_at), "description": "", "tags": [],
                "revision_number": 1}

    def _network_doc(self, network) -> dict:
        return {**self._common(network), "status": "ACTIVE", "admin_state_up": True,
                "subnets": list(network.subnets), "shared": network.shared,
                "router:external": network.external, "mtu": 1450,
                "availability_zones": ["nova"], "port_security_enabled": True,
                "ipv4_address_scope": None, "ipv6_address_scope": None,
                "provider:network_type": "geneve", "provider:physical_network": None,
                "provider:segmentation_id": 1, "is_default": False}

    def _subnet_doc(self, subnet) -> dict:
        return {**self._common(subnet), "network_id": subnet.network_id, "cidr": subnet.cidr,
                "ip_version": 4, "gateway_ip": subnet.gateway_ip, "enable_dhcp": True,
                "allocation_pools": [], "dns_nameservers": [], "host_routes": [],
                "ipv6_ra_mode": None, "ipv6_address_mode": None, "subnetpool_id": None,
                "service_types": [], "segment_id": None}

    def _port_doc(self, port) -> dict:
        return {**self._common(port), "network_id": port.network_id,
                "mac_address": port.mac_address, "fixed_ips": list(port.fixed_ips),
                "device_id": port.device_id, "device_owner": port.device_owner,
                "status": "ACTIVE" if port.device_id else "DOWN", "admin_state_up": True,
                "security_groups": [], "allowed_address_pairs": [],
                "binding:host_id": self._port_host(port), "binding:vnic_type": "normal",
                "port_security_enabled": True}

    def _port_host(self, port) -> str:
        server = self.state.servers.get(port.device_id)
        return (server.host or "") if server else ""

    def _records(self, kind: str) -> dict:
        return getattr(self.tenant, kind)

    def _view(self, kind: str, record) -> dict:
        return {"networks": self._network_doc, "subnets": self._subnet_doc,
                "ports": self._port_doc}[kind](record)

    # -- generic handlers ----------------------------------------------------------------------

    def _find(self, ctx, kind: str, item_id: str):
        record = self._records(kind).get(item_id)
        if record is None or not self.tenant.visible(record, ctx.project_id, ctx.is_admin):
            raise HTTPError(404, f"{kind[:-1].capitalize()} {item_id} could not be found.")
        return record

    def list(self, ctx, kind: str):
        wanted = {}
        for key, value in ctx.req.GET.items():
            if key in ("fields", "limit", "marker", "sort_key", "sort_dir"):
                continue
            wanted.setdefault("project_id" if key == "tenant_id" else key, set()).add(value)
        docs = []
        for record in self._records(kind).values():
            if not self.tenant.visible(record, ctx.project_id, ctx.is_admin):
                continue
            doc = self._view(kind, record)
            if all(_text(doc.get(k)) in values for k, values in wanted.items()):
                docs.append(doc)
        return 200, {kind: docs}

    def show(self, ctx, kind: str, item_id: str):
        return 200, {kind[:-1]: self._view(kind, self._find(ctx, kind, item_id))}

    def delete(self, ctx, kind: str, item_id: str):
        record = self._find(ctx, kind, item_id)
        with self.state.lock:
            if kind == "networks":
                if any(p.network_id == record.id for p in self.tenant.ports.values()):
                    raise HTTPError(409, f"Unable to complete operation on network "
                                         f"{record.id}. There are one or more ports still "
                                         "in use on the network.")
                for subnet_id in record.subnets:
                    del self.tenant.subnets[subnet_id]
            elif kind == "subnets":
                self.tenant.networks[record.network_id].subnets.remove(record.id)
            elif record.device_id and record.device_id in self.state.servers:
                raise HTTPError(409, f"Port {record.id} is attached to a server.")
            del self._records(kind)[record.id]
        return 204, None

    # -- create --------------------------------------------------------------------------------

    def _body(self, ctx, kind: str) -> dict:
        doc = ctx.json().get(kind)
        if not isinstance(doc, dict):
            raise HTTPError(400, f"Resource body required: {kind}")
        return doc

    def create_network(self, ctx):
        doc = self._body(ctx, "network")
        with self.state.lock:
            network = self.tenant.add_network(str(doc.get("name", "")), ctx.project_id,
                                              bool(doc.get("shared", False)),
                                              bool(doc.get("router:external", False)))
        return 201, {"network": self._network_doc(network)}

    def create_subnet(self, ctx):
        doc = self._body(ctx, "subnet")
        network = self._find(ctx, "networks", str(doc.get("network_id", "")))
        if not doc.get("cidr"):
            raise HTTPError(400, "Bad subnets request: a cidr must be specified.")
        with self.state.lock:
            subnet = self.tenant.add_subnet(str(doc.get("name", "")), network, doc["cidr"],
                                            doc.get("gateway_ip"))
        return 201, {"subnet": self._subnet_doc(subnet)}

    def create_port(self, ctx):
        doc = self._body(ctx, "port")
        network = self._find(ctx, "networks", str(doc.get("network_id", "")))
        with self.state.lock:
            try:
                port = self.tenant.add_port(network, ctx.project_id, str(doc.get("name", "")),
                                            str(doc.get("device_id", "")),
                                            str(doc.get("device_owner", "")))
            except ValueError as err:
                raise HTTPError(409, str(err)) from err
        return 201, {"port": self._port_doc(port)}


def _text(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else str(value)
