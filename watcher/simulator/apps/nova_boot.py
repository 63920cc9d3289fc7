"""Nova's tenant-side lifecycle calls: server create and delete, keypairs and server group
create/delete, checked the way nova-api checks them (flavor, image, networks, keypair,
zone and group must exist) before the boot is handed to the simulated scheduler."""

import secrets
import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from watcher.simulator.apps.nova_volumes import ROOT_DEVICE
from watcher.simulator.records import Flavor, Server, ServerGroup
from watcher.simulator.wsgi import HTTPError

_GROUP_POLICIES = ("affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity")


class NovaBoot:
    def __init__(self, app) -> None:
        self.app = app
        self.state = app.state
        self.tenant = app.state.tenant
        self.ops = app.ops

    def routes(self, add) -> None:
        add("POST", "/v2.1/servers", self.create_server)
        add("DELETE", "/v2.1/servers/{server_id}", self.delete_server)
        add("GET", "/v2.1/os-keypairs", self.list_keypairs)
        add("POST", "/v2.1/os-keypairs", self.create_keypair)
        add("GET", "/v2.1/os-keypairs/{name}", self.show_keypair)
        add("DELETE", "/v2.1/os-keypairs/{name}", self.delete_keypair)
        add("POST", "/v2.1/flavors", self.create_flavor)
        add("DELETE", "/v2.1/flavors/{flavor_id}", self.delete_flavor)
        add("POST", "/v2.1/os-server-groups", self.create_server_group)
        add("DELETE", "/v2.1/os-server-groups/{group_id}", self.delete_server_group)

    # -- servers -------------------------------------------------------------------------------

    def create_server(self, ctx):
        body = ctx.json()
        doc = body.get("server")
        if not isinstance(doc, dict):
            raise HTTPError(400, "Invalid input for field/attribute server.")
        name = doc.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 255:
            raise HTTPError(400, "Invalid input for field/attribute name.")
        flavor = self.state.flavors.get(str(doc.get("flavorRef", "")).rsplit("/", 1)[-1])
        if flavor is None or flavor.id in self.state.deleted_flavors:
            raise HTTPError(400, f"Flavor {doc.get('flavorRef')} could not be found.")
        root = next((b for b in doc.get("block_device_mapping_v2") or []
                     if str(b.get("boot_index", "")) == "0"), {})
        boot_volume = root.get("destination_type") == "volume"
        image_ref = doc.get("imageRef") or (root.get("uuid") if root.get("source_type") ==
                                            "image" and not boot_volume else None)
        image_id = self._image(image_ref, boot_volume)
        root_volume = self._root_volume(ctx, root) if boot_volume else None
        networks = self._networks(ctx, doc.get("networks"))
        key_name = doc.get("key_name")
        if key_name is not None and (ctx.user_id, key_name) not in self.tenant.keypairs:
            raise HTTPError(400, "Invalid key_name provided.")
        zone, forced_host = self._zone(ctx, doc.get("availability_zone"))
        requested_host = doc.get("host") or doc.get("hypervisor_hostname")
        if requested_host and ctx.at_least("2.74"):
            # 2.74: an admin names the host; the boot still needs room there.
            ctx.require_admin()
            if requested_host not in self.state.hypervisors_by_name:
                raise HTTPError(400, f"Compute host {requested_host} could not be found.")
            forced_host = requested_host
        hints = body.get("os:scheduler_hints") or body.get("OS-SCH-HNT:scheduler_hints") or {}
        group_id = hints.get("group")
        if group_id is not None and group_id not in self.state.server_groups:
            raise HTTPError(400, f"Invalid input for field/attribute group. Value: {group_id}.")
        count = int(doc.get("min_count", 1))
        if count < 1 or count > int(doc.get("max_count", count)):
            raise HTTPError(400, "min_count must be <= max_count")
        created = []
        for index in range(count):
            server = self._boot_one(ctx, name if count == 1 else f"{name}-{index + 1}",
                                    flavor.id, image_id, boot_volume, key_name, group_id,
                                    networks, doc.get("metadata") or {})
            server.pinned_az = zone
            if root_volume is not None:
                with self.state.lock:
                    self.app.volumes.attach_volume(server, root_volume, ROOT_DEVICE)
            created.append(server)
            action = self.state.actions.begin(server, "create", ctx.request_id, ctx.user_id,
                                              ctx.project_id)
            self.ops.boot(server, zone, forced_host, action)
        first = created[0]
        return 202, {"server": {
            "id": first.id, "OS-DCF:diskConfig": "MANUAL",
            "security_groups": [{"name": "default"}], "adminPass": secrets.token_urlsafe(9),
            "links": [{"rel": "self", "href": f"{ctx.base_url}/v2.1/servers/{first.id}"},
                      {"rel": "bookmark", "href": f"{ctx.base_url}/servers/{first.id}"}]}}

    def _boot_one(self, ctx, name, flavor_id, image_id, boot_volume, key_name, group_id,
                  networks, metadata) -> Server:
        now = self.state.clock.now()
        server = Server(str(uuid.uuid4()), name, flavor_id, None, ctx.project_id, ctx.user_id,
                        status="BUILD", task_state="scheduling", power_state=0,
                        created_at=now, updated_at=now, image_id=image_id or "",
                        boot_from_volume=boot_volume,
                        metadata={str(k): str(v) for k, v in metadata.items()},
                        key_name=key_name, group_id=group_id)
        with self.state.lock:
            network, port = networks[0] if networks else (None, None)
            if network is not None:
                if port is None:
                    port = self.tenant.add_port(network, ctx.project_id)
                port.device_id, port.device_owner = server.id, "compute:nova"
                server.address = port.fixed_ips[0]["ip_address"]
                server.network = network.name
            self.state.add_server(server)
        return server

    def _root_volume(self, ctx, root: dict):
        """The existing volume a server boots from (``source_type: volume``); None when Nova
        would create it from an image."""
        if root.get("source_type") != "volume":
            return None
        volume = self.state.volumes.get(str(root.get("uuid")))
        if volume is None or not (ctx.is_admin or volume.project_id == ctx.project_id):
            raise HTTPError(400, f"Block Device Mapping is Invalid: failed to get volume "
                                 f"{root.get('uuid')}.")
        if volume.status != "available":
            raise HTTPError(400, f"Block Device Mapping is Invalid: volume {volume.id} is "
                                 f"{volume.status}, not available.")
        return volume

    def _image(self, ref, boot_volume: bool) -> str | None:
        if not ref:
            if boot_volume:
                return None
            raise HTTPError(400, "Missing imageRef attribute")
        image = self.tenant.images.get(str(ref).rsplit("/", 1)[-1])
        if image is None:
            raise HTTPError(400, f"Image {ref} could not be found.")
        if image.status != "active":
            raise HTTPError(400, f"Image {ref} is not active.")
        return image.id

    def _networks(self, ctx, requested) -> list:
        """[(network, port or None)]: 'auto' and a missing list use the shared network."""
        if requested == "none":
            return []
        if requested is None or requested == "auto":
            return [(self.tenant.default_network, None)]
        if not isinstance(requested, list):
            raise HTTPError(400, "Invalid input for field/attribute networks.")
        chosen = []
        for item in requested:
            if item.get("port"):
                port = self.tenant.ports.get(item["port"])
                if port is None:
                    raise HTTPError(400, f"Port {item['port']} could not be found.")
                if port.device_id:
                    raise HTTPError(409, f"Port {port.id} is still in use.")
                chosen.append((self.tenant.networks[port.network_id], port))
                continue
            network = self.tenant.networks.get(item.get("uuid", ""))
            if network is None or not self.tenant.visible(network, ctx.project_id,
                                                          ctx.is_admin):
                raise HTTPError(400, f"Network {item.get('uuid')} could not be found.")
            chosen.append((network, None))
        return chosen

    def _zone(self, ctx, requested) -> tuple[str | None, str | None]:
        if not requested:
            return None, None
        zone, _, host = str(requested).partition(":")
        if host:
            ctx.require_admin()
            if host not in self.state.hypervisors_by_name:
                raise HTTPError(400, f"No valid host was found. Compute host {host} could "
                                     "not be found.")
        if zone and zone not in self.state.availability_zones:
            raise HTTPError(400, f"The requested availability zone is not available: {zone}")
        return zone or None, host or None

    def delete_server(self, ctx, server_id):
        server = self.app._server(ctx, server_id)
        if server.locked and not ctx.is_admin:
            raise HTTPError(409, f"Instance {server.id} is locked")
        action = self.state.actions.begin(server, "delete", ctx.request_id, ctx.user_id,
                                          ctx.project_id)
        self.ops.delete(server, action)
        return 204, None

    # -- keypairs ------------------------------------------------------------------------------

    def _keypair_doc(self, keypair, ctx, detail: bool) -> dict:
        doc = {"name": keypair.name, "public_key": keypair.public_key,
               "fingerprint": keypair.fingerprint}
        if ctx.at_least("2.2"):
            doc["type"] = keypair.type
        if detail:
            doc.update({"user_id": keypair.user_id, "id": abs(hash(keypair.name)) % 10**6,
                        "created_at": self.state.clock.isotime(keypair.created_at, micro=True),
                        "deleted": False, "deleted_at": None, "updated_at": None})
        return doc

    def _owner(self, ctx) -> str:
        wanted = ctx.query("user_id")
        if wanted and wanted != ctx.user_id:
            ctx.require_admin()
            return wanted
        return ctx.user_id

    def list_keypairs(self, ctx):
        owner = self._owner(ctx)
        return 200, {"keypairs": [{"keypair": self._keypair_doc(k, ctx, False)}
                                  for (user, _), k in sorted(self.tenant.keypairs.items())
                                  if user == owner]}

    def create_keypair(self, ctx):
        doc = ctx.json().get("keypair")
        if not isinstance(doc, dict) or not isinstance(doc.get("name"), str) \
                or not doc["name"].strip() or len(doc["name"]) > 255:
            raise HTTPError(400, "Invalid input for field/attribute name.")
        owner = ctx.user_id
        if doc.get("user_id") and ctx.at_least("2.10"):
            ctx.require_admin()
            owner = doc["user_id"]
        if (owner, doc["name"]) in self.tenant.keypairs:
            raise HTTPError(409, f"Key pair '{doc['name']}' already exists.")
        private_key = None
        public_key = doc.get("public_key")
        if public_key is None:
            if ctx.at_least("2.92"):
                raise HTTPError(400, "Invalid input for field/attribute keypair. "
                                     "'public_key' is a required property")
            private_key, public_key = _generate_key()
        try:
            keypair = self.tenant.add_keypair(owner, doc["name"], public_key,
                                              doc.get("type", "ssh"))
        except ValueError as err:
            raise HTTPError(400, str(err)) from err
        out = self._keypair_doc(keypair, ctx, False)
        out["user_id"] = owner
        if private_key is not None:
            out["private_key"] = private_key
        return (201 if ctx.at_least("2.2") else 200), {"keypair": out}

    def _keypair(self, ctx, name: str):
        keypair = self.tenant.keypairs.get((self._owner(ctx), name))
        if keypair is None:
            raise HTTPError(404, f"Keypair {name} not found for user {self._owner(ctx)}")
        return keypair

    def show_keypair(self, ctx, name):
        return 200, {"keypair": self._keypair_doc(self._keypair(ctx, name), ctx, True)}

    def delete_keypair(self, ctx, name):
        keypair = self._keypair(ctx, name)
        del self.tenant.keypairs[(keypair.user_id, keypair.name)]
        return (204 if ctx.at_least("2.2") else 202), None

    # -- flavors -------------------------------------------------------------------------------

    def create_flavor(self, ctx):
        ctx.require_admin()
        doc = ctx.json().get("flavor")
        if not isinstance(doc, dict) or not doc.get("name"):
            raise HTTPError(400, "Invalid input for field/attribute flavor.")
        try:
            vcpus, ram, disk = int(doc["vcpus"]), int(doc["ram"]), int(doc.get("disk", 0))
            ephemeral = int(doc.get("OS-FLV-EXT-DATA:ephemeral", 0))
            swap = int(doc.get("swap") or 0)
        except (KeyError, TypeError, ValueError) as err:
            raise HTTPError(400, f"Invalid input for field/attribute flavor: {err}") from err
        if vcpus < 1 or ram < 1 or min(disk, ephemeral, swap) < 0:
            raise HTTPError(400, "Invalid input for field/attribute flavor.")
        flavor_id = str(doc.get("id") or uuid.uuid4())
        with self.state.lock:
            live = [f for f in self.state.flavors.values()
                    if f.id not in self.state.deleted_flavors]
            if any(f.id == flavor_id for f in self.state.flavors.values()) \
                    or any(f.name == doc["name"] for f in live):
                raise HTTPError(409, f"Flavor with name {doc['name']} already exists.")
            flavor = Flavor(flavor_id, doc["name"], vcpus, ram, disk, ephemeral, swap,
                            float(doc.get("rxtx_factor", 1.0)),
                            bool(doc.get("os-flavor-access:is_public", True)),
                            doc.get("description"))
            self.state.flavors[flavor.id] = flavor
        return 200, {"flavor": self.app.views.flavor(flavor, ctx.base_url, ctx.version)}

    def delete_flavor(self, ctx, flavor_id):
        ctx.require_admin()
        flavor = self.app._flavor(flavor_id)
        # Servers keep the flavor they were built with (Nova embeds a copy): the record
        # stays for them, the API no longer shows it.
        self.state.deleted_flavors.add(flavor.id)
        return 202, None

    # -- server groups -------------------------------------------------------------------------

    def create_server_group(self, ctx):
        doc = ctx.json().get("server_group")
        if not isinstance(doc, dict) or not doc.get("name"):
            raise HTTPError(400, "Invalid input for field/attribute server_group.")
        if ctx.at_least("2.64"):
            policy = doc.get("policy")
        else:
            policies = doc.get("policies") or []
            policy = policies[0] if len(policies) == 1 else None
        if policy not in _GROUP_POLICIES:
            raise HTTPError(400, f"Invalid input for field/attribute policy. Value: {policy}.")
        group = ServerGroup(str(uuid.uuid4()), doc["name"], policy, ctx.project_id,
                            ctx.user_id)
        with self.state.lock:
            self.state.server_groups[group.id] = group
        return 200, {"server_group": self.app.views.server_group(group, ctx.version)}

    def delete_server_group(self, ctx, group_id):
        group = self.state.server_groups.get(group_id)
        if group is None or not (ctx.is_admin or group.project_id == ctx.project_id):
            raise HTTPError(404, f"Instance group {group_id} could not be found.")
        with self.state.lock:
            for member in group.members:
                self.state.servers[member].group_id = None
            del self.state.server_groups[group_id]
        return 204, None


def _generate_key() -> tuple[str, str]:
    """A fresh key pair for a keypair created without a public key (Nova < 2.92)."""
    key = ed25519.Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.OpenSSH,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                           serialization.PublicFormat.OpenSSH).decode()
    return private, public + " Generated-by-Nova"
