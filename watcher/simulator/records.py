"""The simulated cloud's resources: small slotted records, held and indexed by ``CloudState``.

Field names follow the upstream APIs' vocabulary so the apps render them with little
translation. Every mutable record carries ``rev``: the apps cache rendered JSON per record and
re-render only when ``rev`` moved.
"""

from dataclasses import dataclass, field


@dataclass(slots=True, eq=False)
class Domain:
    id: str
    name: str
    description: str = ""
    enabled: bool = True


@dataclass(slots=True, eq=False)
class Project:
    id: str
    name: str
    domain_id: str
    description: str = ""
    enabled: bool = True


@dataclass(slots=True, eq=False)
class Role:
    id: str
    name: str


@dataclass(slots=True, eq=False)
class User:
    id: str
    name: str
    domain_id: str
    password: str
    default_project_id: str | None
    # project id -> role names
    roles: dict[str, list[str]] = field(default_factory=dict)
    email: str = ""
    enabled: bool = True


@dataclass(slots=True, eq=False)
class Flavor:
    id: str
    name: str
    vcpus: int
    ram: int
    disk: int
    ephemeral: int = 0
    swap: int = 0
    rxtx_factor: float = 1.0
    is_public: bool = True
    description: str | None = None
    extra_specs: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class Hypervisor:
    id: str  # uuid: what microversion >= 2.53 and Placement show
    number: int  # integer id that older microversions show
    name: str  # hypervisor_hostname == compute host name in the simulator
    vcpus: int
    memory_mb: int
    disk_gb: int
    vcpu_ratio: float
    memory_ratio: float
    disk_ratio: float
    reserved_vcpus: int
    reserved_memory_mb: int
    reserved_disk_gb: int
    host_ip: str
    hypervisor_type: str = "QEMU"
    hypervisor_version: int = 8002000
    cpu_model: str = "Cascadelake-Server"
    availability_zone: str = "nova"
    traits: list[str] = field(default_factory=list)
    power_idle_watts: float = 100.0
    power_max_watts: float = 300.0
    vcpus_used: int = 0
    memory_mb_used: int = 0
    disk_gb_used: int = 0
    rp_generation: int = 1
    servers: set[str] = field(default_factory=set)
    rev: int = 0


@dataclass(slots=True, eq=False)
class Service:
    id: str  # uuid
    number: int
    binary: str
    host: str
    zone: str
    status: str = "enabled"
    state: str = "up"
    disabled_reason: str | None = None
    forced_down: bool = False
    updated_at: float = 0.0
    rev: int = 0


@dataclass(slots=True, eq=False)
class Aggregate:
    id: int
    uuid: str
    name: str
    availability_zone: str | None
    hosts: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    created_at: float = 0.0


@dataclass(slots=True, eq=False)
class ServerGroup:
    id: str
    name: str
    policy: str
    project_id: str
    user_id: str
    members: list[str] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Server:
    id: str
    name: str
    flavor_id: str
    host: str | None
    project_id: str
    user_id: str
    status: str = "ACTIVE"
    task_state: str | None = None
    power_state: int = 1
    created_at: float = 0.0
    updated_at: float = 0.0
    launched_at: float | None = None
    image_id: str = ""
    boot_from_volume: bool = False
    availability_zone: str = "nova"
    # The zone the boot request named (Nova 2.96's pinned_availability_zone).
    pinned_az: str | None = None
    group_id: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    address: str = ""
    locked: bool = False
    volumes: list[str] = field(default_factory=list)
    key_name: str | None = None
    network: str = "private"  # name of the network its address is on
    # set while a cold migration / resize waits for confirmation
    old_flavor_id: str | None = None
    old_host: str | None = None
    rev: int = 0


@dataclass(slots=True, eq=False)
class Migration:
    id: int
    uuid: str
    server_id: str
    migration_type: str  # live-migration | migration | resize
    source_compute: str
    dest_compute: str | None
    status: str
    old_flavor_id: str
    new_flavor_id: str
    project_id: str
    user_id: str
    created_at: float
    updated_at: float


@dataclass(slots=True, eq=False)
class VolumeType:
    id: str
    name: str
    description: str | None = None
    is_public: bool = True
    extra_specs: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class Pool:
    name: str  # host@backend#pool, as Cinder names pools
    host: str  # host@backend
    backend: str
    total_capacity_gb: float
    reserved_percentage: int = 0
    max_over_subscription_ratio: float = 20.0
    thin_provisioning: bool = True
    storage_protocol: str = "iSCSI"
    vendor_name: str = "Open Source"
    driver_version: str = "3.0.0"
    allocated_capacity_gb: float = 0.0
    volumes: set[str] = field(default_factory=set)


@dataclass(slots=True, eq=False)
class Attachment:
    id: str
    server_id: str
    device: str
    attached_at: float


@dataclass(slots=True, eq=False)
class Volume:
    id: str
    name: str
    size: int
    pool: str
    volume_type: str  # type name
    project_id: str
    user_id: str
    status: str = "available"
    availability_zone: str = "nova"
    bootable: bool = False
    multiattach: bool = False
    migration_status: str | None = None
    created_at: float = 0.0
    updated_at: float = 0.0
    metadata: dict[str, str] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    rev: int = 0


@dataclass(slots=True, eq=False)
class BaremetalNode:
    id: str  # Ironic uuid
    name: str
    provider: str  # ironic | maas
    system_id: str  # MAAS id (also set for Ironic nodes, unused there)
    hypervisor: str | None  # compute host this machine runs, if any
    power_state: str = "power on"  # Ironic vocabulary: power on | power off
    target_power_state: str | None = None
    provision_state: str = "active"
    maintenance: bool = False
    maintenance_reason: str | None = None
    driver: str = "ipmi"
    resource_class: str = "baremetal"
    properties: dict = field(default_factory=dict)
    updated_at: float = 0.0
    rev: int = 0


@dataclass(slots=True, eq=False)
class ActionEvent:
    """One step of an instance action (Nova's ``instance_actions_events`` row)."""
    event: str
    start_time: float
    host: str | None
    finish_time: float | None = None
    result: str | None = None  # Success | Error, once finished


@dataclass(slots=True, eq=False)
class InstanceAction:
    """What ``GET /servers/{id}/os-instance-actions`` lists: one per accepted request."""
    action: str
    server_id: str
    request_id: str
    user_id: str
    project_id: str
    start_time: float
    updated_at: float
    message: str | None = None
    events: list[ActionEvent] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Keypair:
    name: str
    user_id: str
    public_key: str
    fingerprint: str
    type: str = "ssh"
    created_at: float = 0.0


@dataclass(slots=True, eq=False)
class Image:
    id: str
    name: str
    owner: str
    status: str = "active"  # queued until data is uploaded
    visibility: str = "public"
    disk_format: str | None = "qcow2"
    container_format: str | None = "bare"
    size: int | None = None
    checksum: str | None = None
    min_disk: int = 0
    min_ram: int = 0
    created_at: float = 0.0
    updated_at: float = 0.0
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class Network:
    id: str
    name: str
    project_id: str
    shared: bool = False
    external: bool = False
    subnets: list[str] = field(default_factory=list)
    created_at: float = 0.0


@dataclass(slots=True, eq=False)
class Subnet:
    id: str
    name: str
    network_id: str
    project_id: str
    cidr: str
    gateway_ip: str | None
    created_at: float = 0.0
    next_host: int = 2  # offset of the next free address in ``cidr``


@dataclass(slots=True, eq=False)
class Port:
    id: str
    name: str
    network_id: str
    project_id: str
    mac_address: str
    fixed_ips: list[dict] = field(default_factory=list)  # [{"subnet_id", "ip_address"}]
    device_id: str = ""
    device_owner: str = ""
    host: str | None = None
    created_at: float = 0.0
