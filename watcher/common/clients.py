"""OpenStack clients built on keystoneauth sessions loaded from watcher.conf.

Each service group ([nova], [placement], [cinder], [ironic], [keystone], [heat]) may carry its
own auth and session options; a group without ``auth_type`` (nor ``auth_section``) uses
[watcher_clients_auth]. Groups that fall back share one session, so they share one token.
Adapter options of each group (``region_name``, ``valid_interfaces``, ``endpoint_override``,
``connect_retries``...) select the endpoint from the catalog.

openstacksdk is the client of choice (:meth:`OpenStackClients.connection`);
python-cinderclient and python-ironicclient are offered for the calls the SDK lacks.
"""

from __future__ import annotations

import threading
from typing import Any

from keystoneauth1 import loading as ks_loading
from keystoneauth1 import session as ks_session
from keystoneauth1.loading import adapter as ks_adapter
from oslo_config import cfg
from oslo_log import log

from watcher.conf import CONF

LOG = log.getLogger(__name__)

FALLBACK_GROUP = "watcher_clients_auth"

# openstacksdk service type -> watcher.conf group holding its adapter options.
SERVICE_GROUPS = {
    "compute": "nova",
    "placement": "placement",
    "block-storage": "cinder",
    "baremetal": "ironic",
    "orchestration": "heat",
    "identity": "keystone",
}

# Adapter options that openstacksdk reads per service as "<service_type>_<option>".
_SDK_ADAPTER_KEYS = (
    "interface",
    "region_name",
    "endpoint_override",
    "service_name",
    "connect_retries",
    "connect_retry_delay",
    "status_code_retries",
    "status_code_retry_delay",
)

# Legacy endpoint_type values of the deprecated [*_client] groups.
_ENDPOINT_TYPE_TO_INTERFACE = {
    "publicURL": "public",
    "internalURL": "internal",
    "adminURL": "admin",
}


def _group(conf: cfg.ConfigOpts, name: str):
    return conf[name] if name in conf else None


def _has_own_auth(group) -> bool:
    return bool(
        group is not None
        and "auth_type" in group
        and (group.auth_type or getattr(group, "auth_section", None))
    )


def _interface(value: str | None) -> str | None:
    return _ENDPOINT_TYPE_TO_INTERFACE.get(value, value) if value else None


class OpenStackClients:
    """Lazily built, cached clients for one process (thread-safe)."""

    def __init__(self, conf: cfg.ConfigOpts | None = None) -> None:
        self.conf = conf if conf is not None else CONF
        self._lock = threading.RLock()
        self._sessions: dict[str, ks_session.Session] = {}
        self._connections: dict[str, Any] = {}
        self._cinder = None
        self._ironic = None

    # -- sessions -----------------------------------------------------------------------

    def auth_group(self, group: str) -> str:
        """The group whose auth and session options serve ``group``."""
        return group if _has_own_auth(_group(self.conf, group)) else FALLBACK_GROUP

    def session(self, group: str = FALLBACK_GROUP) -> ks_session.Session:
        """The keystoneauth session of a service group (shared when it falls back)."""
        source = self.auth_group(group)
        with self._lock:
            if source not in self._sessions:
                LOG.debug("Loading the keystoneauth session of [%s] for [%s]", source, group)
                auth = ks_loading.load_auth_from_conf_options(self.conf, source)
                self._sessions[source] = ks_loading.load_session_from_conf_options(
                    self.conf, source, auth=auth
                )
            return self._sessions[source]

    def adapter_options(self, group: str) -> dict[str, Any]:
        """keystoneauth Adapter options of ``group`` (unset ones left out)."""
        options: dict[str, Any] = {}
        conf_group = _group(self.conf, group)
        if conf_group is not None and "endpoint_override" in conf_group:
            ks_adapter.process_conf_options(conf_group, options)
        if group == "ironic" or conf_group is None:
            self._legacy_adapter_options(group, options)
        if group == "nova" and conf_group is not None:
            # [nova] http_retries predates the keystoneauth retry options.
            if not options.get("connect_retries"):
                options["connect_retries"] = conf_group.http_retries
                options["connect_retry_delay"] = conf_group.http_retry_interval
        return {k: v for k, v in options.items() if v is not None}

    def _legacy_adapter_options(self, group: str, options: dict[str, Any]) -> None:
        legacy = _group(self.conf, f"{group}_client")
        if legacy is None:
            return
        if getattr(legacy, "region_name", None):
            options.setdefault("region_name", legacy.region_name)
        interface = _interface(getattr(legacy, "endpoint_type", None))
        if interface and not options.get("interface"):
            options["interface"] = interface

    # -- openstacksdk ---------------------------------------------------------------------

    def connection(self, group: str = FALLBACK_GROUP):
        """An openstacksdk Connection on the session serving ``group``.

        Its compute, placement, block_storage, baremetal and orchestration proxies use the
        adapter options of [nova], [placement], [cinder], [ironic] and [heat]. Pass the
        service group when it has credentials of its own (``connection("nova")``).
        """
        import openstack.connection

        source = self.auth_group(group)
        with self._lock:
            if source not in self._connections:
                config: dict[str, Any] = {}
                for service_type, service_group in SERVICE_GROUPS.items():
                    prefix = service_type.replace("-", "_")
                    for key, value in self.adapter_options(service_group).items():
                        if key in _SDK_ADAPTER_KEYS:
                            config[f"{prefix}_{key}"] = value
                config["compute_api_version"] = str(self.conf.nova.api_version)
                config["compute_default_microversion"] = str(self.conf.nova.api_version)
                self._connections[source] = openstack.connection.Connection(
                    session=self.session(source),
                    app_name="watcher",
                    **config,
                )
            return self._connections[source]

    # -- service-specific libraries ----------------------------------------------------------

    def cinder(self):
        """python-cinderclient v3 (for calls openstacksdk lacks)."""
        from cinderclient import client as cinder_client

        with self._lock:
            if self._cinder is None:
                options = self.adapter_options("cinder")
                interface = options.get("interface", "public")
                if isinstance(interface, list):
                    interface = interface[0]
                self._cinder = cinder_client.Client(
                    str(self.conf.cinder_client.api_version),
                    session=self.session("cinder"),
                    region_name=options.get("region_name"),
                    endpoint_type=interface,
                    os_endpoint=options.get("endpoint_override"),
                    retries=options.get("connect_retries"),
                )
            return self._cinder

    def ironic(self):
        """python-ironicclient (the Ironic integration is experimental upstream)."""
        from ironicclient import client as ironic_client

        with self._lock:
            if self._ironic is None:
                options = self.adapter_options("ironic")
                self._ironic = ironic_client.get_client(
                    str(self.conf.ironic_client.api_version),
                    session=self.session("ironic"),
                    region_name=options.get("region_name"),
                    interface=options.get("interface", "public"),
                    endpoint_override=options.get("endpoint_override"),
                    os_ironic_api_version="latest",
                )
            return self._ironic
