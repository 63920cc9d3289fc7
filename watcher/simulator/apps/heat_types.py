"""The resource types the simulated Heat knows (``/resource_types``): the common OpenStack
ones with a short schema each. Types a scenario's stacks use but that are not listed here
are still known, with an empty schema."""

# type -> (description, {property: (type, required, description)}, {attribute: description})
TYPES: dict[str, tuple[str, dict, dict]] = {
    "OS::Nova::Server": (
        "A resource for managing Nova instances.",
        {"flavor": ("string", True, "The ID or name of the flavor to boot onto."),
         "image": ("string", False, "The ID or name of the image to boot with."),
         "name": ("string", False, "Server name."),
         "networks": ("list", False, "An ordered list of nics to be added to this server."),
         "availability_zone": ("string", False, "Name of the availability zone."),
         "metadata": ("map", False, "Arbitrary key/value metadata to store for this server."),
         "scheduler_hints": ("map", False, "Arbitrary key-value pairs for the scheduler.")},
        {"first_address": "The first IP address of the server.",
         "addresses": "A dict of all network addresses with corresponding port_id.",
         "name": "Name of the server.", "instance_name": "AWS compatible instance name.",
         "show": "Detailed information about resource."}),
    "OS::Nova::ServerGroup": (
        "A resource for managing a Nova server group.",
        {"name": ("string", False, "Server Group name."),
         "policies": ("list", False, "A list of string policies to apply.")},
        {"show": "Detailed information about resource."}),
    "OS::Nova::Flavor": (
        "A resource for creating OpenStack virtual hardware templates.",
        {"ram": ("integer", True, "Memory in MB for the flavor."),
         "vcpus": ("integer", True, "Number of VCPUs for the flavor."),
         "disk": ("integer", False, "Size of local disk in GB.")},
        {"show": "Detailed information about resource."}),
    "OS::Cinder::Volume": (
        "A resource that implements Cinder volumes.",
        {"size": ("integer", False, "The size of the volume in GB."),
         "name": ("string", False, "A name used to distinguish the volume."),
         "volume_type": ("string", False, "If specified, the type of volume to use.")},
        {"size": "The size of the volume in GB.", "status": "The current status of the volume.",
         "attachments_list": "The list of attachments of the volume.",
         "show": "Detailed information about resource."}),
    "OS::Cinder::VolumeAttachment": (
        "Resource for associating volume to instance.",
        {"instance_uuid": ("string", True, "The ID of the server to which the volume "
                                           "attaches."),
         "volume_id": ("string", True, "The ID of the volume to be attached."),
         "mountpoint": ("string", False, "The location where the volume is exposed on the "
                                         "instance.")},
        {"show": "Detailed information about resource."}),
    "OS::Neutron::Net": (
        "A resource for managing Neutron net.",
        {"name": ("string", False, "A string specifying a symbolic name for the network.")},
        {"subnets": "Subnets of this network.", "show": "Detailed information about resource."}),
    "OS::Neutron::Port": (
        "A resource for managing Neutron ports.",
        {"network": ("string", True, "Network this port belongs to."),
         "fixed_ips": ("list", False, "Desired IPs for this port.")},
        {"fixed_ips": "Fixed IP addresses.", "mac_address": "MAC address of the port.",
         "show": "Detailed information about resource."}),
    "OS::Neutron::FloatingIP": (
        "A resource for managing Neutron floating ips.",
        {"floating_network": ("string", True, "Network to allocate floating IP from."),
         "port_id": ("string", False, "ID of an existing port to associate with this "
                                      "floating IP.")},
        {"floating_ip_address": "The allocated address of this IP.",
         "show": "Detailed information about resource."}),
    "OS::Heat::Stack": (
        "A resource representing a stack.",
        {"template": ("string", True, "Template that specifies the stack to be created."),
         "parameters": ("map", False, "Set of parameters passed to this stack.")},
        {"stack_name": "Name of the stack.", "outputs": "A dict of key-value pairs output "
                                                        "from the stack."}),
    "OS::Heat::ResourceGroup": (
        "Creates one or more identically configured nested resources.",
        {"count": ("integer", False, "The number of resources to create."),
         "resource_def": ("map", True, "Resource definition for the resources in the group.")},
        {"refs": "A list of resource IDs for the resources in the group.",
         "show": "Detailed information about resource."}),
    "OS::Heat::AutoScalingGroup": (
        "An autoscaling group that can scale arbitrary resources.",
        {"max_size": ("integer", True, "Maximum number of resources in the group."),
         "min_size": ("integer", True, "Minimum number of resources in the group."),
         "resource": ("map", True, "Resource definition for the resources in the group.")},
        {"current_size": "The current size of AutoscalingResourceGroup."}),
    "OS::Heat::SoftwareConfig": (
        "A resource for describing and storing software configuration.",
        {"config": ("string", False, "Configuration script or manifest."),
         "group": ("string", False, "Namespace to group this software config by.")},
        {"config": "The config value of the software config."}),
    "OS::Heat::SoftwareDeployment": (
        "This resource associates a server with some configuration.",
        {"config": ("string", False, "ID of software configuration resource to execute."),
         "server": ("string", True, "ID of resource to apply configuration to.")},
        {"deploy_stdout": "Captured stdout from the configuration execution.",
         "deploy_status_code": "Returned status code from the configuration execution."}),
    "OS::Heat::RandomString": (
        "A resource which generates a random string.",
        {"length": ("integer", False, "Length of the string to generate.")},
        {"value": "The random string generated by this resource."}),
}

_SUPPORTED = {"status": "SUPPORTED", "version": None, "message": None,
              "previous_status": None}


def description(name: str) -> str:
    return TYPES.get(name, ("No description available.", {}, {}))[0]


def schema(name: str) -> dict:
    """What ``GET /resource_types/{name}`` answers."""
    _, properties, attributes = TYPES.get(name, ("", {}, {}))
    return {
        "resource_type": name,
        "properties": {key: {"type": kind, "required": required, "description": text,
                             "update_allowed": False, "immutable": False,
                             "support_status": _SUPPORTED}
                       for key, (kind, required, text) in properties.items()},
        "attributes": {key: {"description": text, "type": "string"}
                       for key, text in attributes.items()},
        "support_status": _SUPPORTED,
    }
