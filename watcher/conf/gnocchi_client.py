"""[gnocchi_client] options of the Gnocchi datasource."""

from oslo_config import cfg

GROUP = cfg.OptGroup("gnocchi_client", title="Configuration Options for Gnocchi")

OPTS = [
    cfg.StrOpt("api_version", default="1", help="Version of the Gnocchi API to use."),
    cfg.StrOpt(
        "endpoint_type",
        default="public",
        choices=["public", "internal", "admin", "publicURL", "internalURL", "adminURL"],
        help="Type of Gnocchi endpoint taken from the catalog.",
    ),
    cfg.StrOpt(
        "region_name",
        help="Region in the Identity service catalog used to reach Gnocchi.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
