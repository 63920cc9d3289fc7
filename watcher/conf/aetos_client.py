"""[aetos_client] options of the aetos datasource (Prometheus behind Keystone)."""

from oslo_config import cfg

GROUP = cfg.OptGroup(
    "aetos_client",
    title="Configuration Options for Aetos",
    help="See the aetos datasource documentation for how these options are used.",
)

OPTS = [
    cfg.StrOpt(
        "interface",
        default="public",
        choices=["public", "internal", "admin", "publicURL", "internalURL", "adminURL"],
        help="Type of metric-storage endpoint taken from the catalog.",
    ),
    cfg.StrOpt(
        "region_name",
        help="Region in the Identity service catalog used to reach aetos.",
    ),
    cfg.StrOpt(
        "fqdn_label",
        default="fqdn",
        help="Prometheus label holding the FQDN of the exporter's host.",
    ),
    cfg.StrOpt(
        "instance_uuid_label",
        default="resource",
        help="Prometheus label holding the UUID of an OpenStack instance.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
