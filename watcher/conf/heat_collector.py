"""[watcher_cluster_data_model_collectors.orchestration] options of the Heat collector."""

from oslo_config import cfg

GROUP = cfg.OptGroup(
    "watcher_cluster_data_model_collectors.orchestration",
    title="Options of the orchestration (Heat) cluster data model collector",
)

OPTS = [
    cfg.IntOpt(
        "period",
        default=3600,
        min=1,
        help="Seconds between two full reads of Heat into the orchestration data model.",
    ),
    cfg.BoolOpt(
        "resource_metadata",
        default=True,
        help="Read the metadata of every stack resource. Heat has no bulk call for it: this "
        "costs one request per resource.",
    ),
    cfg.IntOpt(
        "event_details",
        default=0,
        min=0,
        help="Newest events of each stack whose details (resource properties) are read, one "
        "request per event. 0 reads none; event rows still carry their resource type.",
    ),
    cfg.IntOpt(
        "page_size",
        default=200,
        min=1,
        help="Items asked per page of the stack, event and software config listings.",
    ),
    cfg.IntOpt(
        "workers",
        default=4,
        min=1,
        help="Stacks read in parallel during a collection.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
