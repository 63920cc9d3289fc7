"""[keystone] options: keystoneauth adapter, session and auth for the Keystone client."""

from oslo_config import cfg

from watcher.conf import _ksa

GROUP = cfg.OptGroup("keystone", title="Options for the Keystone integration configuration")

_ALIASES = _ksa.legacy_aliases("keystone_client", interface=True)


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    _ksa.register(conf, GROUP, _ALIASES)


def list_opts() -> list:
    return [(GROUP, _ksa.options(_ALIASES))]
