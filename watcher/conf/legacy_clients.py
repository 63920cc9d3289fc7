"""Deprecated ``[nova_client]``, ``[cinder_client]``, ``[placement_client]`` and
``[keystone_client]`` groups. They still load so old watcher.conf files keep working; the
matching keystoneauth options of [nova], [cinder], [placement] and [keystone] read their
region_name (and interface) through DeprecatedOpt aliases."""

from oslo_config import cfg

_ENDPOINT_TYPES = ["public", "internal", "admin", "publicURL", "internalURL", "adminURL"]
_INTERFACES = ["internal", "public", "admin"]


def _deprecated(service: str) -> dict:
    return {
        "deprecated_for_removal": True,
        "deprecated_since": "2026.1",
        "deprecated_reason": f"Use the keystoneauth options of the [{service}] group.",
    }


def _region(service: str) -> cfg.Opt:
    return cfg.StrOpt(
        "region_name",
        help="Region in the Identity service catalog used to reach the service.",
        **_deprecated(service),
    )


def _endpoint_type(service: str, default: str) -> cfg.Opt:
    return cfg.StrOpt(
        "endpoint_type",
        default=default,
        choices=_ENDPOINT_TYPES,
        help="Type of endpoint taken from the catalog.",
        **_deprecated(service),
    )


def _interface(service: str) -> cfg.Opt:
    return cfg.StrOpt(
        "interface",
        default="public",
        choices=_INTERFACES,
        help="Type of endpoint taken from the catalog.",
        **_deprecated(service),
    )


def _api_version(service: str, default: str) -> cfg.Opt:
    return cfg.StrOpt(
        "api_version",
        default=default,
        help="API (micro)version requested from the service.",
        **_deprecated(service),
    )


GROUPS = {
    cfg.OptGroup("nova_client", title="Configuration Options for Nova (deprecated)"): [
        _api_version("nova", "2.56"),
        _endpoint_type("nova", "publicURL"),
        _region("nova"),
    ],
    cfg.OptGroup("cinder_client", title="Configuration Options for Cinder (deprecated)"): [
        _api_version("cinder", "3"),
        _endpoint_type("cinder", "publicURL"),
        _region("cinder"),
    ],
    cfg.OptGroup("placement_client", title="Placement Service Options (deprecated)"): [
        _api_version("placement", "1.29"),
        _interface("placement"),
        _region("placement"),
    ],
    cfg.OptGroup("keystone_client", title="Configuration Options for Keystone (deprecated)"): [
        _interface("keystone"),
        _region("keystone"),
    ],
}


def register_opts(conf: cfg.ConfigOpts) -> None:
    for group, opts in GROUPS.items():
        conf.register_group(group)
        conf.register_opts(opts, group=group)


def list_opts() -> list:
    return list(GROUPS.items())
