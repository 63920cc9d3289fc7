"""[ironic_client] options of the (experimental) Ironic integration."""

from oslo_config import cfg

GROUP = cfg.OptGroup("ironic_client", title="Configuration Options for Ironic")

OPTS = [
    cfg.StrOpt("api_version", default="1", help="Version of the Ironic API to use."),
    cfg.StrOpt(
        "endpoint_type",
        default="publicURL",
        choices=["public", "internal", "admin", "publicURL", "internalURL", "adminURL"],
        help="Type of Ironic endpoint taken from the catalog.",
    ),
    cfg.StrOpt(
        "region_name",
        help="Region in the Identity service catalog used to reach Ironic.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
