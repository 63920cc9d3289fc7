"""The grafana datasource: metrics read through Grafana's datasource proxy
(``<base_url><project id>/query``), one request per value, with a bearer token.

Everything about a metric is configuration (``[grafana_client]`` maps keyed by Watcher metric
name): which Grafana datasource (project id), database, resource attribute, translator and
query template. A metric is available only when all of them are set.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import requests
from oslo_log import log

from watcher.common import exception
from watcher.conf import CONF
from watcher.decision_engine.datasources import base
from watcher.decision_engine.datasources.grafana_translator import TRANSLATORS

LOG = log.getLogger(__name__)


class _Refused(Exception):
    """Grafana refused the query or the token: retrying cannot help."""


def metric_map_from_config() -> dict[str, dict[str, Any]]:
    """``{metric: {db, project, attribute, translator, query}}`` for the fully configured
    metrics of ``[grafana_client]``."""
    group = CONF.grafana_client
    out = {}
    for metric, db in (group.database_map or {}).items():
        entry = {"db": db, "project": (group.project_id_map or {}).get(metric),
                 "attribute": (group.attribute_map or {}).get(metric),
                 "translator": (group.translator_map or {}).get(metric),
                 "query": (group.query_map or {}).get(metric)}
        if (db is not None and entry["project"] is not None and entry["query"] is not None
                and entry["translator"] in TRANSLATORS):
            out[metric] = entry
    return out


class GrafanaHelper(base.DataSourceBase):
    NAME = "grafana"
    METRIC_MAP: dict[str, Any] = {}

    def __init__(self, now=None) -> None:
        super().__init__(now)
        self.METRIC_MAP = metric_map_from_config()
        self.configured = False
        self._base_url = CONF.grafana_client.base_url
        token = CONF.grafana_client.token
        self._headers = {"Authorization": f"Bearer {token}",
                         "Content-Type": "application/json"}
        if not token:
            LOG.critical("grafana: no [grafana_client] token configured")
            return
        parsed = urllib.parse.urlparse(self._base_url or "")
        if not (parsed.scheme and parsed.netloc and parsed.path):
            LOG.critical("grafana: [grafana_client] base_url %r is not a proxy URL",
                         self._base_url)
            return
        if not self.METRIC_MAP:
            LOG.critical("grafana: no metric is fully configured in [grafana_client]")
        self.configured = True

    def check_availability(self) -> str:
        return "available" if self.configured else "not available"

    def list_metrics(self) -> set[str]:
        return set(self.METRIC_MAP)

    def _request(self, params: dict, project_id: Any) -> requests.Response:
        if not self.configured:
            raise exception.DataSourceNotAvailable(datasource=self.NAME)
        url = f"{self._base_url}{project_id}/query"
        reply = requests.get(url, params=params, headers=self._headers,
                             timeout=CONF.grafana_client.http_timeout or None)
        if reply.status_code == 200:
            return reply
        if reply.status_code in (400, 401, 403):
            raise _Refused(f"grafana answered {reply.status_code} for {url}: {reply.text}")
        raise exception.DataSourceNotAvailable(datasource=self.NAME)

    def _statistic_aggregation(self, resource: Any, resource_type: str, meter_name: str,
                               period: int, aggregate: str, granularity: int) -> float | None:
        entry = self.METRIC_MAP.get(meter_name)
        if not entry:
            raise exception.MetricNotAvailable(metric=meter_name)
        translator = TRANSLATORS[entry["translator"]]({
            "metric": meter_name, "db": entry["db"], "attribute": entry["attribute"],
            "query": entry["query"], "resource": resource, "resource_type": resource_type,
            "period": period, "aggregate": aggregate, "granularity": granularity})
        reply = self.query_retry(self._request, translator.build_params(), entry["project"],
                                 ignored_exc=_Refused)
        if reply is None:
            LOG.warning("grafana: no answer for %s", meter_name)
            return None
        return translator.extract_result(reply.content)
