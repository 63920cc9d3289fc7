"""JSON schema of a simulator scenario.

The document is split into top-level sections. Each section's schema lives in ``SECTIONS``;
an API app that needs its own part of the scenario (Heat stacks, MAAS machines...) calls
``register_section`` at import time and, if it needs cross-reference checks, registers a
checker with ``watcher.simulator.scenario.loader.register_checker``.
"""

import copy

_NAME = {"type": "string", "minLength": 1, "maxLength": 255}
_UUID = {"type": "string", "pattern": "^[0-9a-fA-F-]{32,36}$"}
_COUNT = {"type": "integer", "minimum": 0}
_POSITIVE = {"type": "number", "exclusiveMinimum": 0}
_STRING_MAP = {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}}

# Nova's defaults since Stein (initial_*_allocation_ratio, reserved_host_memory_mb).
HYPERVISOR_DEFAULTS = {"vcpu_ratio": 4.0, "memory_ratio": 1.0, "disk_ratio": 1.0,
                       "reserved_vcpus": 0, "reserved_memory_mb": 512, "reserved_disk_gb": 0}

SERIES = {
    "description": "A metric series: constant, seeded random walk, or a CSV trace",
    "oneOf": [
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["constant"],
            "properties": {"constant": {"type": "number"}},
        },
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["random_walk"],
            "properties": {
                "random_walk": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["mean"],
                    "properties": {
                        "mean": {"type": "number"},
                        "stddev": {"type": "number", "minimum": 0},
                        "reversion": {"type": "number", "minimum": 0, "maximum": 1},
                        "min": {"type": "number"},
                        "max": {"type": "number"},
                        "step": _POSITIVE,
                        "seed": {"type": "integer"},
                        "mean_spread": {"type": "number", "minimum": 0},
                    },
                }
            },
        },
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["trace"],
            "properties": {
                "trace": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["file", "row"],
                    "properties": {
                        "file": _NAME,
                        "row": {"type": ["string", "integer"]},
                        "step": _POSITIVE,
                        "scale": {"type": "number"},
                    },
                }
            },
        },
    ],
}

_METRIC_SET = {"type": "object", "additionalProperties": SERIES}

IDENTITY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "domains": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name"],
            "properties": {"name": _NAME, "id": _NAME, "description": {"type": "string"}},
        }},
        "projects": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name"],
            "properties": {"name": _NAME, "id": _NAME, "domain": _NAME,
                           "description": {"type": "string"}},
        }},
        "users": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["name", "password", "project", "roles"],
            "properties": {
                "name": _NAME, "id": _NAME, "domain": _NAME, "password": {"type": "string"},
                "project": _NAME, "email": {"type": "string"},
                "roles": {"type": "array", "items": _NAME, "minItems": 1},
            },
        }},
    },
}

HYPERVISOR = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "vcpus", "memory_mb", "disk_gb"],
    "properties": {
        "name": _NAME,
        "id": _UUID,
        "vcpus": {"type": "integer", "minimum": 1},
        "memory_mb": {"type": "integer", "minimum": 1},
        "disk_gb": {"type": "integer", "minimum": 1},
        "allocation_ratios": {"type": "object", "additionalProperties": False, "properties": {
            "vcpu": _POSITIVE, "memory": _POSITIVE, "disk": _POSITIVE}},
        "reserved": {"type": "object", "additionalProperties": False, "properties": {
            "vcpus": _COUNT, "memory_mb": _COUNT, "disk_gb": _COUNT}},
        "status": {"enum": ["enabled", "disabled"]},
        "disabled_reason": {"type": ["string", "null"]},
        "state": {"enum": ["up", "down"]},
        "host_ip": {"type": "string"},
        "hypervisor_type": {"type": "string"},
        "cpu_model": {"type": "string"},
        "traits": {"type": "array", "items": _NAME},
        "power": {"type": "object", "additionalProperties": False, "properties": {
            "idle_watts": {"type": "number", "minimum": 0},
            "max_watts": {"type": "number", "minimum": 0}}},
    },
}

SERVER_STATUSES = ["ACTIVE", "SHUTOFF", "PAUSED", "SUSPENDED", "ERROR", "SHELVED_OFFLOADED",
                   "VERIFY_RESIZE", "BUILD"]

COMPUTE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "availability_zones": {"type": "array", "items": _NAME},
        "aggregates": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name"],
            "properties": {"name": _NAME, "availability_zone": {"type": ["string", "null"]},
                           "hosts": {"type": "array", "items": _NAME},
                           "metadata": _STRING_MAP},
        }},
        "hypervisors": {"type": "array", "items": HYPERVISOR},
        "flavors": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["name", "vcpus", "ram", "disk"],
            "properties": {
                "name": _NAME, "id": _NAME, "vcpus": {"type": "integer", "minimum": 1},
                "ram": {"type": "integer", "minimum": 1}, "disk": _COUNT,
                "ephemeral": _COUNT, "swap": _COUNT, "is_public": {"type": "boolean"},
                "description": {"type": ["string", "null"]}, "extra_specs": _STRING_MAP,
            },
        }},
        "server_groups": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name", "policy"],
            "properties": {"name": _NAME, "id": _UUID, "project": _NAME,
                           "policy": {"enum": ["affinity", "anti-affinity", "soft-affinity",
                                               "soft-anti-affinity"]}},
        }},
        "servers": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name", "flavor"],
            "properties": {
                "name": _NAME, "id": _UUID, "flavor": _NAME, "host": {"type": ["string", "null"]},
                "status": {"enum": SERVER_STATUSES}, "project": _NAME, "user": _NAME,
                "server_group": _NAME, "metadata": _STRING_MAP,
                "boot_from_volume": {"type": "boolean"}, "image": _NAME,
                "locked": {"type": "boolean"},
            },
        }},
    },
}

STORAGE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "backends": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["name", "host", "pools"],
            "properties": {
                "name": _NAME, "host": _NAME, "availability_zone": _NAME,
                "storage_protocol": {"type": "string"}, "vendor_name": {"type": "string"},
                "state": {"enum": ["up", "down"]}, "status": {"enum": ["enabled", "disabled"]},
                "pools": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["name", "total_capacity_gb"],
                    "properties": {
                        "name": _NAME, "total_capacity_gb": _POSITIVE,
                        "reserved_percentage": {"type": "integer", "minimum": 0, "maximum": 100},
                        "max_over_subscription_ratio": _POSITIVE,
                        "thin_provisioning": {"type": "boolean"},
                    },
                }},
            },
        }},
        "volume_types": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name"],
            "properties": {"name": _NAME, "id": _UUID, "backend": _NAME,
                           "description": {"type": ["string", "null"]},
                           "extra_specs": _STRING_MAP},
        }},
        "volumes": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["name", "size", "pool"],
            "properties": {
                "name": _NAME, "id": _UUID, "size": {"type": "integer", "minimum": 1},
                "pool": _NAME, "type": _NAME, "project": _NAME, "bootable": {"type": "boolean"},
                "multiattach": {"type": "boolean"},
                "status": {"enum": ["available", "in-use", "error", "creating"]},
                "attachments": {"type": "array", "items": {
                    "type": "object", "additionalProperties": False, "required": ["server"],
                    "properties": {"server": _NAME, "device": {"type": "string"}},
                }},
                "metadata": _STRING_MAP,
            },
        }},
    },
}

BAREMETAL = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "nodes": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name"],
            "properties": {
                "name": _NAME, "id": _UUID, "system_id": _NAME,
                "provider": {"enum": ["ironic", "maas"]},
                "hypervisor": {"type": ["string", "null"]},
                "power_state": {"enum": ["on", "off"]},
                "provision_state": {"type": "string"},
                "maintenance": {"type": "boolean"},
                "driver": {"type": "string"},
                "properties": {"type": "object"},
            },
        }},
    },
}

METRICS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "defaults": {"type": "object", "additionalProperties": False, "properties": {
            "host": _METRIC_SET, "server": _METRIC_SET}},
        "hosts": {"type": "object", "additionalProperties": _METRIC_SET},
        "servers": {"type": "object", "additionalProperties": _METRIC_SET},
    },
}

DYNAMICS = {
    "description": "Simulated seconds each operation takes",
    "type": "object",
    "additionalProperties": False,
    "properties": {name: {"type": "number", "minimum": 0} for name in (
        "live_migration", "cold_migration", "resize", "stop", "start", "volume_migration",
        "retype", "power_on", "power_off", "service_update", "boot", "delete",
        "volume_create")},
}

FAILURE_TYPES = ["refuse_live_migration", "failure_rate", "api_timeout", "api_error",
                 "host_down"]

FAILURES = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["type"],
        "properties": {
            "type": {"enum": FAILURE_TYPES},
            "host": _NAME,
            "operations": {"type": "array", "items": {"enum": [
                "live_migration", "cold_migration", "resize", "stop", "start",
                "volume_migration", "retype", "power_on", "power_off"]}},
            "rate": {"type": "number", "minimum": 0, "maximum": 1},
            "seed": {"type": "integer"},
            "service": _NAME,
            "method": {"type": "string"},
            "path": {"type": "string"},
            "delay": {"type": "number", "minimum": 0},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "count": {"type": "integer", "minimum": 1},
            "at": {"type": "number", "minimum": 0},
        },
    },
}

SECTIONS: dict[str, dict] = {
    "name": _NAME,
    "description": {"type": "string"},
    "seed": {"type": "integer"},
    "region": _NAME,
    "clock": {"type": "object", "additionalProperties": False, "properties": {
        "start": {"type": ["string", "number"]}, "speed": _POSITIVE}},
    "identity": IDENTITY,
    "compute": COMPUTE,
    "storage": STORAGE,
    "baremetal": BAREMETAL,
    "metrics": METRICS,
    "dynamics": DYNAMICS,
    "failures": FAILURES,
}


def register_section(name: str, schema: dict) -> None:
    """Add (or replace) a top-level scenario section, e.g. ``heat`` for the Heat app."""
    SECTIONS[name] = schema


def scenario_schema() -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "additionalProperties": False,
        "properties": copy.deepcopy(SECTIONS),
    }
