"""[watcher_planners.workload_stabilization] options of that planner plugin."""

from oslo_config import cfg

GROUP = cfg.OptGroup(
    "watcher_planners.workload_stabilization",
    title="Options of the workload_stabilization planner",
)

DEFAULT_WEIGHTS = {
    "turn_host_to_acpi_s3_state": 0,
    "resize": 1,
    "migrate": 2,
    "sleep": 3,
    "change_nova_service_state": 4,
    "nop": 5,
}

OPTS = [
    cfg.Opt(
        "weights",
        type=cfg.types.Dict(value_type=cfg.types.Integer(min=0)),
        default=DEFAULT_WEIGHTS,
        help="Weight of each action type: actions with a higher weight are scheduled first.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
