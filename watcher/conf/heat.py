"""[heat] options: keystoneauth adapter, session and auth for the Heat (orchestration)
client. Without auth options here, [watcher_clients_auth] is used."""

from oslo_config import cfg

from watcher.conf import _ksa

GROUP = cfg.OptGroup("heat", title="Options for the Heat (orchestration) integration")

# Upstream Watcher has no [heat_client] group, so there are no legacy names to alias.
_ALIASES: dict = {}


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    _ksa.register(conf, GROUP, _ALIASES)


def list_opts() -> list:
    return [(GROUP, _ksa.options(_ALIASES))]
