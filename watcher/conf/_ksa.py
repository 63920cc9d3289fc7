"""keystoneauth adapter, session and auth options shared by the per-service client groups
([nova], [cinder], [placement], [keystone]); legacy ``[<service>_client]`` names are
honoured through DeprecatedOpt aliases."""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg


def legacy_aliases(legacy_group: str, interface: bool = True) -> dict:
    aliases = {"region_name": [cfg.DeprecatedOpt("region_name", legacy_group)]}
    if interface:
        aliases["valid-interfaces"] = [cfg.DeprecatedOpt("interface", legacy_group)]
    return aliases


def register(conf: cfg.ConfigOpts, group: cfg.OptGroup, aliases: dict) -> None:
    ks_loading.register_adapter_conf_options(conf, group.name, deprecated_opts=aliases)
    ks_loading.register_session_conf_options(conf, group.name)
    ks_loading.register_auth_conf_options(conf, group.name)


def options(aliases: dict) -> list:
    return (
        ks_loading.get_adapter_conf_options(include_deprecated=False, deprecated_opts=aliases)
        + ks_loading.get_session_conf_options()
        + ks_loading.get_auth_common_conf_options()
    )
