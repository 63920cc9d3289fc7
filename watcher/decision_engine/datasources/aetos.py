"""The aetos datasource: Prometheus behind Keystone, found in the catalog as
``metric-storage`` and queried with the service's keystoneauth session."""

from __future__ import annotations

from typing import Any

from observabilityclient import prometheus_client
from observabilityclient.utils import metric_utils
from oslo_log import log

from watcher.common import clients
from watcher.conf import CONF
from watcher.decision_engine.datasources import prometheus_base

LOG = log.getLogger(__name__)

SERVICE_TYPE = "metric-storage"


class AetosHelper(prometheus_base.PrometheusBase):
    NAME = "aetos"

    def __init__(self, osc: Any = None, now=None, session: Any = None) -> None:
        """``session`` (a keystoneauth session) wins over ``osc`` (``OpenStackClients``);
        without either the ``[watcher_clients_auth]`` session is used."""
        self._session = session
        self.osc = osc
        super().__init__(now)

    def _keystone_session(self) -> Any:
        if self._session is not None:
            return self._session
        if self.osc is None:
            self.osc = clients.OpenStackClients()
        return self.osc.session()

    def _setup_prometheus_client(self) -> prometheus_client.PrometheusAPIClient:
        options = {"service_type": SERVICE_TYPE, "interface": CONF.aetos_client.interface,
                   "region_name": CONF.aetos_client.region_name}
        return metric_utils.get_prom_client_from_keystone(self._keystone_session(),
                                                          adapter_options=options)

    def _get_fqdn_label(self) -> str:
        return CONF.aetos_client.fqdn_label

    def _get_instance_uuid_label(self) -> str:
        return CONF.aetos_client.instance_uuid_label
