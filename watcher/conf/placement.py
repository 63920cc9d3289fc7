"""[placement] options: keystoneauth adapter, session and auth for the Placement client."""

from oslo_config import cfg

from watcher.conf import _ksa

GROUP = cfg.OptGroup("placement", title="Options for the placement integration configuration")

_ALIASES = _ksa.legacy_aliases("placement_client", interface=True)


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    _ksa.register(conf, GROUP, _ALIASES)


def list_opts() -> list:
    return [(GROUP, _ksa.options(_ALIASES))]
