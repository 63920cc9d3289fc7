"""[watcher_datasources] options: which metric backends strategies read, in order."""

from oslo_config import cfg

from watcher.conf import types as watcher_types

GROUP = cfg.OptGroup(
    "watcher_datasources", title="Configuration Options for watcher datasources"
)

KNOWN_DATASOURCES = ("gnocchi", "grafana", "prometheus", "aetos")

OPTS = [
    cfg.Opt(
        "datasources",
        type=watcher_types.DatasourceList(
            item_type=cfg.types.String(choices=KNOWN_DATASOURCES), bounds=False
        ),
        default=["gnocchi", "grafana", "aetos"],
        help="Datasources to query for metrics, in order: a strategy uses the first one that "
        "provides all the metrics it needs. Strategies may override this list in their own "
        "group. prometheus and aetos cannot be enabled together.",
    ),
    cfg.IntOpt(
        "query_max_retries",
        default=10,
        min=1,
        mutable=True,
        deprecated_group="gnocchi_client",
        help="Attempts of a datasource query before giving up.",
    ),
    cfg.IntOpt(
        "query_interval",
        default=1,
        min=0,
        mutable=True,
        deprecated_opts=[
            cfg.DeprecatedOpt("query_timeout", group="watcher_datasources"),
            cfg.DeprecatedOpt("query_timeout", group="gnocchi_client"),
        ],
        help="Seconds to wait before retrying a failed datasource query.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
