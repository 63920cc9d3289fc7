"""[watcher_clients_auth]: the keystoneauth session and credentials every OpenStack client
falls back to when its own service group has no auth configured."""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

GROUP_NAME = "watcher_clients_auth"


def register_opts(conf: cfg.ConfigOpts) -> None:
    ks_loading.register_session_conf_options(conf, GROUP_NAME)
    ks_loading.register_auth_conf_options(conf, GROUP_NAME)


def list_opts() -> list:
    return [
        (
            GROUP_NAME,
            ks_loading.get_session_conf_options() + ks_loading.get_auth_common_conf_options(),
        )
    ]
