"""[collector] options: which cluster data model collectors run and how they query APIs."""

from oslo_config import cfg

GROUP = cfg.OptGroup("collector", title="Defines the parameters of the module model collectors")

OPTS = [
    cfg.ListOpt(
        "collector_plugins",
        default=["compute", "storage"],
        help="Cluster data model collectors to run (watcher_cluster_data_model_collectors "
        "entry points). In-tree: compute (Nova), storage (Cinder), baremetal (Ironic or "
        "MAAS).",
    ),
    cfg.IntOpt(
        "api_query_max_retries",
        default=10,
        min=1,
        deprecated_name="api_call_retries",
        help="Attempts of a query to an external service before giving up.",
    ),
    cfg.IntOpt(
        "api_query_interval",
        default=1,
        min=0,
        deprecated_name="api_query_timeout",
        help="Seconds to wait before retrying a failed query to an external service.",
    ),
    cfg.IntOpt(
        "compute_resources_collector_timeout",
        default=600,
        min=30,
        help="Seconds allowed for one batch of compute resources to be collected from Nova "
        "(not the whole collection). Too small a value aborts the collection.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
