"""[watcher_strategies.<name>] options of the in-tree strategies that have any."""

from oslo_config import cfg

from watcher.conf import datasources

BASIC = cfg.OptGroup(
    "watcher_strategies.basic", title="Options of the basic consolidation strategy"
)
STORAGE_CAPACITY_BALANCE = cfg.OptGroup(
    "watcher_strategies.storage_capacity_balance",
    title="Options of the storage capacity balance strategy",
)

# Strategies whose only option is their own ``datasources`` list (upstream's base option).
METRIC_STRATEGIES = (
    "vm_workload_consolidation",
    "workload_stabilization",
    "workload_balance",
    "outlet_temperature",
    "uniform_airflow",
    "noisy_neighbor",
)


def _datasources_override() -> cfg.Opt:
    return cfg.ListOpt(
        "datasources",
        item_type=cfg.types.String(choices=datasources.KNOWN_DATASOURCES),
        help="Datasources this strategy queries, in order; unset means "
        "[watcher_datasources] datasources.",
    )


OPTS = {
    BASIC.name: [
        _datasources_override(),
        cfg.BoolOpt(
            "check_optimize_metadata",
            default=False,
            help="Only migrate instances whose metadata allows optimization.",
        ),
    ],
    STORAGE_CAPACITY_BALANCE.name: [
        cfg.ListOpt(
            "ex_pools",
            default=["local_vstorage"],
            help="Storage pools excluded from volume migrations.",
        ),
    ],
}
DATASOURCE_GROUPS = tuple(
    cfg.OptGroup(f"watcher_strategies.{name}", title=f"Options of the {name} strategy")
    for name in METRIC_STRATEGIES
)
OPTS.update({group.name: [_datasources_override()] for group in DATASOURCE_GROUPS})
GROUPS = (BASIC, STORAGE_CAPACITY_BALANCE, *DATASOURCE_GROUPS)


def register_opts(conf: cfg.ConfigOpts) -> None:
    for group in GROUPS:
        conf.register_group(group)
        conf.register_opts(OPTS[group.name], group=group)


def list_opts() -> list:
    return [(group, OPTS[group.name]) for group in GROUPS]
