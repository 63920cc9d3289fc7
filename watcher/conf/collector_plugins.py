"""[watcher_cluster_data_model_collectors.<name>] options of the in-tree collectors."""

from oslo_config import cfg

COLLECTORS = ("compute", "storage", "baremetal")

GROUPS = [
    cfg.OptGroup(
        f"watcher_cluster_data_model_collectors.{name}",
        title=f"Options of the {name} cluster data model collector",
    )
    for name in COLLECTORS
]


def _opts() -> list:
    # Each group needs its own Opt instances: oslo.config keeps per-opt state.
    return [
        cfg.IntOpt(
            "period",
            default=3600,
            min=1,
            help="Seconds between two full rebuilds of this cluster data model; notifications "
            "keep it up to date in between.",
        ),
    ]


OPTS = {group.name: _opts() for group in GROUPS}


def register_opts(conf: cfg.ConfigOpts) -> None:
    for group in GROUPS:
        conf.register_group(group)
        conf.register_opts(OPTS[group.name], group=group)


def list_opts() -> list:
    return [(group, OPTS[group.name]) for group in GROUPS]
