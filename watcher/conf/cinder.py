"""[cinder] options: keystoneauth adapter, session and auth for the Cinder client."""

from oslo_config import cfg

from watcher.conf import _ksa

GROUP = cfg.OptGroup("cinder", title="Options for Cinder integration")

# endpoint_type of [cinder_client] is not aliased: its *URL values need translating to
# keystoneauth interfaces, which the client code does after parsing.
_ALIASES = _ksa.legacy_aliases("cinder_client", interface=False)


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    _ksa.register(conf, GROUP, _ALIASES)


def list_opts() -> list:
    return [(GROUP, _ksa.options(_ALIASES))]
