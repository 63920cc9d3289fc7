"""MAAS API 2.0: version, describe, users, machines and the power operations upstream
Watcher's MAAS helper uses, answered the way python-libmaas expects.

Machines are the scenario's ``baremetal`` nodes whose provider is ``maas``. Watcher matches
a machine to its Nova hypervisor by ``fqdn == hypervisor_hostname``, so a machine that runs
a compute host takes that host's name as its FQDN. Requests are authenticated the way MAAS
does it for API keys: an OAuth 1.0 PLAINTEXT signature in the ``Authorization`` header.
"""

import json
import re
import secrets
from collections.abc import Callable
from urllib.parse import unquote

import webob

from watcher.simulator.apps import maas_describe, maas_scenario
from watcher.simulator.records import BaremetalNode
from watcher.simulator.wsgi import HTTPError, ServiceApp

API = maas_describe.API
VERSION = {
    "version": "3.5.4",
    "subversion": "3.5.4-16349-g.1b0ea6a0d",
    "capabilities": ["networks-management", "static-ipaddresses", "ipv6-deployment-ubuntu",
                     "devices-management", "storage-deployment-ubuntu",
                     "network-deployment-ubuntu", "bridging-interface-ubuntu",
                     "bridging-automatic-ubuntu", "authenticate-api"],
}
# Ironic provision states -> MAAS node status (number, name).
_STATUS = {
    "active": (6, "Deployed"), "available": (4, "Ready"), "manageable": (4, "Ready"),
    "enroll": (0, "New"), "deploying": (9, "Deploying"), "wait call-back": (9, "Deploying"),
    "deploy failed": (11, "Failed deployment"), "error": (11, "Failed deployment"),
    "cleaning": (16, "Disk erasing"), "inspecting": (1, "Commissioning"),
}
_OAUTH_PARAM = re.compile(r'(\w+)="([^"]*)"')


class _Caller:
    """The MAAS user an API key belongs to (what ``ctx.token`` holds in this app)."""

    __slots__ = ("username", "roles", "project_id")

    def __init__(self, username: str) -> None:
        self.username = username
        # Every simulated key belongs to a superuser.
        self.roles = ["admin"]
        self.project_id = None


class MaasApp(ServiceApp):
    name = "maas"
    prefix = "/MAAS"
    public_paths = (r"^/?$", rf"^{API}/version/?$", rf"^{API}/describe/?$")

    def __init__(self, sim) -> None:
        super().__init__(sim)
        self.settings = maas_scenario.settings(sim.state)
        # Machines are enrolled once, from the scenario; system ids never change.
        self._by_system_id = {n.system_id: n for n in sim.state.baremetal_nodes.values()
                              if n.provider == "maas"}

    @property
    def client_config(self) -> dict:
        """What Watcher's ``[maas_client]`` group needs to reach this MAAS."""
        return {"url": self.sim.service_url(self.name), "api_key": self.settings.api_key}

    def routes(self) -> None:
        add = self.router.add
        add("GET", f"{API}/version/", self.version)
        add("GET", f"{API}/describe/", self.describe)
        add("GET", f"{API}/users/", self.users)
        add("GET", f"{API}/users/{{username}}/", self.show_user)
        add("GET", f"{API}/machines/", self.list_machines)
        add("GET", f"{API}/machines/{{system_id}}/", self.machine_get)
        add("POST", f"{API}/machines/{{system_id}}/", self.machine_post)

    # -- errors are plain text in MAAS ---------------------------------------------------------

    def error_body(self, status: int, message: str) -> dict:
        return {"message": message}

    def __call__(self, environ: dict, start_response: Callable):
        captured: dict = {}

        def capture(status: str, headers: list, exc_info=None) -> None:
            captured.update(status=status, headers=headers)

        data = b"".join(super().__call__(environ, capture))
        status, headers = captured["status"], captured["headers"]
        code = int(status.split()[0])
        if code >= 400:
            document = json.loads(data)
            # The framework renders every 401 as keystonemiddleware would; MAAS has no such
            # layer in front of it, so only the message is kept.
            data = (document["error"] if code == 401 else document)["message"].encode()
            headers = [(k, v) for k, v in headers if k not in ("Content-Type",
                                                              "Content-Length")]
            headers += [("Content-Type", "text/plain; charset=utf-8"),
                        ("Content-Length", str(len(data)))]
        start_response(status, headers)
        return [data]

    # -- OAuth 1.0 PLAINTEXT -------------------------------------------------------------------

    def _authenticate(self, req: webob.Request, path: str):
        header = req.headers.get("Authorization", "")
        if not header.startswith("OAuth "):
            if any(p.match(path) for p in self._public):
                return None
            raise HTTPError(401, "Authorization Required",
                            {"WWW-Authenticate": 'OAuth realm="OAuth"'})
        params = {k: unquote(v) for k, v in _OAUTH_PARAM.findall(header)}
        expected = self.settings
        if params.get("oauth_signature_method") != "PLAINTEXT":
            raise HTTPError(401, "Authorization Error: 'Unsupported signature method: "
                                 f"{params.get('oauth_signature_method')}'")
        if not secrets.compare_digest(params.get("oauth_consumer_key", ""),
                                      expected.consumer_key):
            raise HTTPError(401, "Authorization Error: Invalid consumer.")
        if not secrets.compare_digest(params.get("oauth_token", ""), expected.token_key):
            raise HTTPError(401, "Authorization Error: 'Invalid access token: "
                                 f"{params.get('oauth_token', '')}'")
        # PLAINTEXT: the signature is "<consumer secret>&<token secret>"; MAAS consumers
        # have an empty secret.
        if not secrets.compare_digest(params.get("oauth_signature", ""),
                                      "&" + expected.token_secret):
            raise HTTPError(401, "Authorization Error: Invalid signature.")
        return _Caller(expected.user)

    # -- anonymous documents -------------------------------------------------------------------

    def version(self, ctx):
        return 200, VERSION

    def describe(self, ctx):
        return 200, maas_describe.describe(ctx.base_url)

    # -- users ---------------------------------------------------------------------------------

    def _user_doc(self, ctx) -> dict:
        name = ctx.token.username
        return {"is_superuser": True, "username": name, "email": f"{name}@example.com",
                "is_local": True, "resource_uri": f"{self._root(ctx)}/users/{name}/"}

    def users(self, ctx):
        op = ctx.query("op")
        if op == "whoami":
            return 200, self._user_doc(ctx)
        self._no_op(ctx, op)
        return 200, [self._user_doc(ctx)]

    def show_user(self, ctx, username):
        self._no_op(ctx, ctx.query("op"))
        if username != ctx.token.username:
            raise HTTPError(404, "No User matches the given query.")
        return 200, self._user_doc(ctx)

    # -- machines ------------------------------------------------------------------------------

    @staticmethod
    def _root(ctx) -> str:
        return ctx.req.script_name + API

    @staticmethod
    def _no_op(ctx, op: str | None) -> None:
        if op is not None:
            raise HTTPError(400, f"Unrecognised signature: method={ctx.req.method} op={op}")

    def _machines(self) -> list[BaremetalNode]:
        return list(self._by_system_id.values())

    def _machine(self, system_id: str) -> BaremetalNode:
        node = self._by_system_id.get(system_id)
        if node is None:
            raise HTTPError(404, "No Machine matches the given query.")
        return node

    def _names(self, node: BaremetalNode) -> tuple[str, str, str]:
        """(hostname, domain, fqdn) of a machine."""
        if node.hypervisor and "." in node.hypervisor:
            hostname, domain = node.hypervisor.split(".", 1)
            return hostname, domain, node.hypervisor
        if node.hypervisor:
            # A dotless Nova host name: the FQDN must still equal it for Watcher's match.
            return node.hypervisor, self.settings.domain, node.hypervisor
        return node.name, self.settings.domain, f"{node.name}.{self.settings.domain}"

    def _machine_doc(self, ctx, node: BaremetalNode) -> dict:
        root = self._root(ctx)
        hostname, domain, fqdn = self._names(node)
        hypervisor = self.state.hypervisors_by_name.get(node.hypervisor or "")
        status, status_name = _STATUS.get(node.provision_state, (4, "Ready"))
        if node.maintenance:
            status, status_name = 8, "Broken"
        cpus = node.properties.get("cpus", hypervisor.vcpus if hypervisor else 8)
        memory = node.properties.get("memory_mb", hypervisor.memory_mb if hypervisor else 16384)
        disk_gb = node.properties.get("local_gb", hypervisor.disk_gb if hypervisor else 500)
        addresses = [hypervisor.host_ip] if hypervisor else []
        zone = {"id": 1, "name": "default", "description": "",
                "resource_uri": f"{root}/zones/default/"}
        return {
            "system_id": node.system_id, "hostname": hostname, "fqdn": fqdn,
            "domain": {"authoritative": True, "ttl": None, "resource_record_count": 0,
                       "name": domain, "id": 0, "is_default": True,
                       "resource_uri": f"{root}/domains/0/"},
            "description": "", "hardware_uuid": node.id, "node_type": 0,
            "node_type_name": "Machine", "status": status, "status_name": status_name,
            "status_message": node.maintenance_reason or "", "status_action": "",
            "power_state": "on" if node.power_state == "power on" else "off",
            "power_type": node.driver if node.driver in ("ipmi", "redfish") else "manual",
            "architecture": "amd64/generic", "cpu_count": cpus, "cpu_speed": 2400,
            "memory": memory, "storage": float(disk_gb * 1000), "osystem": "ubuntu",
            "distro_series": "jammy", "hwe_kernel": None, "min_hwe_kernel": "",
            "netboot": status != 6, "locked": False, "disable_ipv4": False,
            "owner": ctx.token.username if status == 6 else None, "owner_data": {},
            "ip_addresses": addresses, "tag_names": [], "zone": zone,
            "pool": {"id": 0, "name": "default", "description": "Default pool",
                     "resource_uri": f"{root}/resourcepool/0/"},
            "interface_set": [], "boot_interface": None, "boot_disk": None,
            "blockdevice_set": [], "physicalblockdevice_set": [],
            "virtualblockdevice_set": [], "special_filesystems": [], "raids": [],
            "volume_groups": [], "bcaches": [], "cache_sets": [], "address_ttl": None,
            "resource_uri": f"{root}/machines/{node.system_id}/",
        }

    def list_machines(self, ctx):
        self._no_op(ctx, ctx.query("op"))
        machines = self._machines()
        hostnames = set(ctx.req.GET.getall("hostname"))
        if hostnames:
            machines = [m for m in machines if self._names(m)[0] in hostnames]
        ids = set(ctx.req.GET.getall("id"))
        if ids:
            machines = [m for m in machines if m.system_id in ids]
        domains = set(ctx.req.GET.getall("domain"))
        if domains:
            machines = [m for m in machines if self._names(m)[1] in domains]
        return 200, [self._machine_doc(ctx, m) for m in machines]

    def machine_get(self, ctx, system_id):
        node = self._machine(system_id)
        op = ctx.query("op")
        if op == "query_power_state":
            # The BMC reports where the machine is now, not where a command will take it.
            return 200, {"state": "on" if node.power_state == "power on" else "off"}
        self._no_op(ctx, op)
        return 200, self._machine_doc(ctx, node)

    def machine_post(self, ctx, system_id):
        node = self._machine(system_id)
        op = ctx.query("op")
        if op not in ("power_on", "power_off"):
            raise HTTPError(400, f"Unrecognised signature: method=POST op={op}")
        if op == "power_off":
            stop_mode = ctx.req.POST.get("stop_mode", "hard")
            if stop_mode not in ("hard", "soft"):
                raise HTTPError(400, f"stop_mode: Select a valid choice. {stop_mode} is not "
                                     "one of the available choices.")
        # MAAS answers with the machine as it is when the command is sent; the power
        # state follows once the BMC has done it.
        doc = self._machine_doc(ctx, node)
        self.sim.operations.set_power(node, op == "power_on")
        return 200, doc
