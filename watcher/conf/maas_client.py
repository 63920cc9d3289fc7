"""[maas_client] options of the (deprecated upstream) MAAS bare metal integration."""

from oslo_config import cfg

GROUP = cfg.OptGroup("maas_client", title="Configuration Options for MaaS")

OPTS = [
    cfg.URIOpt(
        "url",
        schemes=["http", "https"],
        help="MAAS API URL, for example http://1.2.3.4:5240/MAAS",
    ),
    cfg.StrOpt(
        "api_key",
        secret=True,
        help="MAAS API key, as 'consumer_key:token_key:token_secret'.",
    ),
    cfg.IntOpt(
        "timeout",
        default=60,
        min=1,
        help="Seconds allowed for one MAAS client operation.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
