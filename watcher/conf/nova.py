"""[nova] options: keystoneauth adapter/session/auth plus migration polling and retries."""

from oslo_config import cfg

from watcher.conf import _ksa
from watcher.conf import types as watcher_types

MIN_NOVA_API_VERSION = "2.56"

GROUP = cfg.OptGroup("nova", title="Options for the Nova integration configuration")

OPTS = [
    cfg.IntOpt(
        "migration_max_retries",
        default=180,
        min=1,
        help="Status polls of a Nova migration before it is considered failed. With the "
        "default migration_interval this allows 15 minutes; keep the product under an hour, "
        "longer hides infrastructure problems.",
    ),
    cfg.FloatOpt(
        "migration_interval",
        default=5.0,
        min=0.1,
        help="Seconds between two status polls of a Nova migration.",
    ),
    cfg.IntOpt(
        "http_retries",
        default=3,
        min=1,
        help="Attempts of an HTTP request to Nova when the connection fails.",
    ),
    cfg.FloatOpt(
        "http_retry_interval",
        default=2.0,
        min=0.1,
        help="Seconds between two attempts of an HTTP request to Nova.",
    ),
    cfg.Opt(
        "api_version",
        type=watcher_types.Microversion(minimum=MIN_NOVA_API_VERSION),
        default=MIN_NOVA_API_VERSION,
        deprecated_group="nova_client",
        help=f"Compute API microversion requested from Nova. Minimum: {MIN_NOVA_API_VERSION}. "
        "Some features (for example the pinned availability zone of extended attributes) "
        "need a higher one; see the Nova API microversion history.",
    ),
]

# endpoint_type of [nova_client] is not aliased: its *URL values need translating to
# keystoneauth interfaces, which the client code does after parsing.
_ALIASES = _ksa.legacy_aliases("nova_client", interface=False)


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)
    _ksa.register(conf, GROUP, _ALIASES)


def list_opts() -> list:
    return [(GROUP, OPTS + _ksa.options(_ALIASES))]
