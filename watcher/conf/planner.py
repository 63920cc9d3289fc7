"""[watcher_planner] option: the default planner plugin."""

from oslo_config import cfg

GROUP = cfg.OptGroup("watcher_planner", title="Defines the parameters of the planner")

OPTS = [
    cfg.StrOpt(
        "planner",
        default="weight",
        required=True,
        help="Planner plugin (watcher_planners entry point) used to schedule actions.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
