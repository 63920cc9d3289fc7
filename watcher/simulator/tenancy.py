"""What a tenant brings to a server boot: images (Glance), networks, subnets and ports
(Neutron) and keypairs (Nova), held together because server create checks all of them.

Scenario clouds do not describe these: every cloud gets the ``cirros`` image its servers
were booted from, a shared ``private`` network (whose subnet holds the scenario servers'
addresses) and an external ``public`` one, as a devstack cloud has.
"""

import base64
import hashlib
import ipaddress
import uuid

from watcher.simulator.records import Image, Keypair, Network, Port, Server, Subnet

DEFAULT_IMAGE = "cirros-0.6.3-x86_64-disk"
# Scenario servers hold 10.16.0.0/12 (see CloudState); booted servers take addresses after it.
_FIRST_BOOTED_HOST = (1 << 21) + 1


class TenantResources:
    def __init__(self, state) -> None:
        self.state = state
        now = state.clock.start
        admin = state.project_id("admin")
        self.images: dict[str, Image] = {}
        image_ids = {s.image_id for s in state.servers.values() if not s.boot_from_volume}
        cirros = state.make_id("image", "cirros")
        for image_id in [cirros] + sorted(image_ids - {cirros}):
            name = DEFAULT_IMAGE if image_id == cirros else f"image-{image_id[:8]}"
            self.images[image_id] = Image(image_id, name, admin, size=21430272,
                                          checksum=hashlib.md5(name.encode()).hexdigest(),
                                          created_at=now, updated_at=now)
        self.keypairs: dict[tuple[str, str], Keypair] = {}  # (user id, name) -> keypair
        self.networks: dict[str, Network] = {}
        self.subnets: dict[str, Subnet] = {}
        self.ports: dict[str, Port] = {}
        private = self.add_network("private", admin, shared=True)
        subnet = self.add_subnet("private-subnet", private, "10.0.0.0/8")
        subnet.next_host = _FIRST_BOOTED_HOST
        public = self.add_network("public", admin, shared=True, external=True)
        self.add_subnet("public-subnet", public, "172.24.4.0/24")
        self.default_network = private

    # -- networks ------------------------------------------------------------------------------

    def add_network(self, name: str, project_id: str, shared: bool = False,
                    external: bool = False) -> Network:
        network = Network(self._new_id("network", name), name, project_id, shared, external,
                          created_at=self.state.clock.now())
        self.networks[network.id] = network
        return network

    def add_subnet(self, name: str, network: Network, cidr: str,
                   gateway_ip: str | None = None) -> Subnet:
        block = ipaddress.ip_network(cidr, strict=False)
        gateway = gateway_ip if gateway_ip is not None else str(block[1])
        subnet = Subnet(self._new_id("subnet", name), name, network.id, network.project_id,
                        str(block), gateway, created_at=self.state.clock.now())
        self.subnets[subnet.id] = subnet
        network.subnets.append(subnet.id)
        return subnet

    def add_port(self, network: Network, project_id: str, name: str = "",
                 device_id: str = "", device_owner: str = "") -> Port:
        if not network.subnets:
            raise ValueError(f"network {network.id} has no subnet")
        subnet = self.subnets[network.subnets[0]]
        block = ipaddress.ip_network(subnet.cidr)
        if subnet.next_host >= block.num_addresses - 1:
            raise ValueError(f"subnet {subnet.id} has no free address")
        address = str(block[subnet.next_host])
        subnet.next_host += 1
        port_id = str(uuid.uuid4())
        port = Port(port_id, name, network.id, project_id,
                    "fa:16:3e:" + ":".join(port_id[i:i + 2] for i in (0, 2, 4)),
                    [{"subnet_id": subnet.id, "ip_address": address}], device_id,
                    device_owner, created_at=self.state.clock.now())
        self.ports[port.id] = port
        return port

    def ports_of(self, server: Server) -> list[Port]:
        return [p for p in self.ports.values() if p.device_id == server.id]

    def release_ports(self, server: Server) -> None:
        """Ports Nova made for the server go with it; ports the user made are unbound."""
        for port in self.ports_of(server):
            if port.device_owner == "compute:nova" and not port.name:
                del self.ports[port.id]
            else:
                port.device_id, port.device_owner, port.host = "", "", None

    def visible(self, record, project_id: str | None, admin: bool) -> bool:
        """Owners and admins see everything; others see shared networks and their subnets."""
        if admin or record.project_id == project_id:
            return True
        network = record if isinstance(record, Network) else None
        if isinstance(record, Subnet):
            network = self.networks.get(record.network_id)
        return network is not None and network.shared

    def _new_id(self, kind: str, name: str) -> str:
        # Stable ids for what every cloud starts with, fresh ones for what users create.
        if not hasattr(self, "default_network"):
            return self.state.make_id(kind, name)
        return str(uuid.uuid4())

    # -- keypairs ------------------------------------------------------------------------------

    def add_keypair(self, user_id: str, name: str, public_key: str,
                    key_type: str = "ssh") -> Keypair:
        keypair = Keypair(name, user_id, public_key, fingerprint(public_key), key_type,
                          self.state.clock.now())
        self.keypairs[(user_id, name)] = keypair
        return keypair


def fingerprint(public_key: str) -> str:
    """The MD5 fingerprint Nova shows for an OpenSSH public key."""
    parts = public_key.split()
    if len(parts) < 2:
        raise ValueError("Keypair data is invalid: failed to generate fingerprint")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except ValueError as err:
        raise ValueError("Keypair data is invalid: failed to generate fingerprint") from err
    digest = hashlib.md5(blob).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))
