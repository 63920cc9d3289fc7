"""[grafana_translators] options of the Grafana query translators."""

from oslo_config import cfg

GROUP = cfg.OptGroup(
    "grafana_translators", title="Configuration Options for Grafana translators"
)

OPTS = [
    cfg.Opt(
        "retention_periods",
        type=cfg.types.Dict(value_type=cfg.types.Integer(min=1)),
        default={"one_week": 604800, "one_month": 2592000, "five_years": 31556952},
        help="InfluxDB retention policies and the longest time, in seconds, each keeps. "
        "Example: one_day:86400",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
