"""[api] options of watcher-api."""

from oslo_concurrency import processutils
from oslo_config import cfg

GROUP = cfg.OptGroup("api", title="Options for the Watcher API service")

OPTS = [
    cfg.PortOpt("port", default=9322, help="Port the API listens on."),
    cfg.HostAddressOpt("host", default="127.0.0.1", help="Address the API listens on."),
    cfg.IntOpt(
        "max_limit",
        default=1000,
        min=1,
        help="Largest number of items a collection returns in one response.",
    ),
    cfg.IntOpt(
        "workers",
        min=1,
        default=processutils.get_worker_count(),
        sample_default="<number of CPUs>",
        help="Number of API worker processes.",
    ),
    cfg.BoolOpt("enable_ssl_api", default=False, help="Serve the API over TLS."),
    cfg.BoolOpt(
        "enable_webhooks_auth",
        default=True,
        help="Require authentication on /v1/webhooks. When False webhooks are public.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
