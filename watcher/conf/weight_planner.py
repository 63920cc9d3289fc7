"""[watcher_planners.weight] options of the weight planner plugin."""

from oslo_config import cfg

from watcher.conf import types as watcher_types

GROUP = cfg.OptGroup("watcher_planners.weight", title="Options of the weight planner")

DEFAULT_WEIGHTS = {
    "turn_host_to_acpi_s3_state": 10,
    "resize": 20,
    "migrate": 30,
    "stop": 35,
    "sleep": 40,
    "change_nova_service_state": 50,
    "volume_migrate": 60,
    "nop": 70,
    "change_node_power_state": 9,
}

DEFAULT_PARALLELIZATION = {
    "turn_host_to_acpi_s3_state": 2,
    "resize": 2,
    "stop": 2,
    "migrate": 2,
    "sleep": 1,
    "change_nova_service_state": 1,
    "nop": 1,
    "change_node_power_state": 2,
    "volume_migrate": 2,
}

OPTS = [
    cfg.Opt(
        "weights",
        type=watcher_types.UniqueValueDict(value_type=cfg.types.Integer(min=0)),
        default=DEFAULT_WEIGHTS,
        help="Weight of each action type: actions with a higher weight are scheduled first. "
        "Weights must be unique.",
    ),
    cfg.Opt(
        "parallelization",
        type=cfg.types.Dict(value_type=cfg.types.Integer(min=1)),
        default=DEFAULT_PARALLELIZATION,
        help="Number of actions of each type that may run in parallel.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
