"""[prometheus_client] options of the direct Prometheus datasource (deprecated in favour of
aetos, which finds Prometheus through the Keystone catalog)."""

from oslo_config import cfg

GROUP = cfg.OptGroup(
    "prometheus_client",
    title="Configuration Options for Prometheus",
    help="See the Prometheus datasource documentation for how these options are used.",
)

_DEPRECATION = {
    "deprecated_for_removal": True,
    "deprecated_since": "2025.2",
    "deprecated_reason": "Use the aetos datasource and the [aetos_client] group.",
}

OPTS = [
    cfg.HostAddressOpt("host", help="Host name or IP address of the Prometheus server.",
                       **_DEPRECATION),
    cfg.PortOpt("port", default=9090, help="Port of the Prometheus server.", **_DEPRECATION),
    cfg.StrOpt(
        "fqdn_label",
        default="fqdn",
        help="Prometheus label holding the FQDN of the exporter's host.",
        **_DEPRECATION,
    ),
    cfg.StrOpt(
        "instance_uuid_label",
        default="resource",
        help="Prometheus label holding the UUID of an OpenStack instance.",
        **_DEPRECATION,
    ),
    cfg.StrOpt("username", help="Basic auth user name for the Prometheus server.",
               **_DEPRECATION),
    cfg.StrOpt(
        "password",
        secret=True,
        help="Basic auth password for the Prometheus server.",
        **_DEPRECATION,
    ),
    cfg.StrOpt("cafile", help="CA certificate used to verify the Prometheus server.",
               **_DEPRECATION),
    cfg.StrOpt("certfile", help="Client certificate presented to the Prometheus server.",
               **_DEPRECATION),
    cfg.StrOpt("keyfile", help="Key of the client certificate.", **_DEPRECATION),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
