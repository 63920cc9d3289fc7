"""Grafana proxies queries to a database it fronts; a translator turns a Watcher metric read
into that database's query parameters and reads the value back out of its answer.

The query template comes from ``[grafana_client] query_map`` and is filled with
``str.format``: ``{0}`` aggregate, ``{1}`` the resource attribute named by ``attribute_map``,
``{2}`` period, ``{3}`` granularity, ``{4}`` translator specific (InfluxDB: the retention
policy).
"""

from __future__ import annotations

import abc
import json
from typing import Any

from oslo_log import log

from watcher.common import exception
from watcher.conf import CONF
from watcher.decision_engine.datasources import base

LOG = log.getLogger(__name__)

_REQUIRED = ("metric", "db", "attribute", "query", "resource", "resource_type", "period",
             "aggregate")


class BaseGrafanaTranslator(abc.ABC):
    NAME = ""

    def __init__(self, data: dict[str, Any]) -> None:
        """``data``: metric, db, attribute, query, resource, resource_type, period,
        aggregate and (optional) granularity of one read."""
        for key in _REQUIRED:
            if data.get(key) is None:
                raise exception.InvalidParameter(
                    message=f"The value None for parameter {key} is invalid")
        if data["resource_type"] not in base.DataSourceBase.RESOURCE_TYPES:
            raise exception.InvalidParameter(parameter="resource_type",
                                             parameter_type="RESOURCE_TYPES")
        if data["aggregate"] not in base.DataSourceBase.AGGREGATES:
            raise exception.InvalidParameter(parameter="aggregate",
                                             parameter_type="AGGREGATES")
        self.data = data

    def resource_attribute(self) -> Any:
        try:
            return getattr(self.data["resource"], self.data["attribute"])
        except AttributeError:
            LOG.error("Resource %s has no attribute %s", self.data["resource"],
                      self.data["attribute"])
            raise

    def format_query(self, translator_specific: Any) -> str:
        data = self.data
        granularity = data.get("granularity")
        return data["query"].format(data["aggregate"], self.resource_attribute(),
                                    data["period"], 1 if granularity is None else granularity,
                                    translator_specific)

    @abc.abstractmethod
    def build_params(self) -> dict[str, Any]:
        """Query string parameters of the proxied request."""

    @abc.abstractmethod
    def extract_result(self, raw: bytes | str) -> float | None:
        """The metric value in the database's answer."""


class InfluxDBGrafanaTranslator(BaseGrafanaTranslator):
    NAME = "influxdb"

    def retention_period(self) -> str:
        """The shortest retention policy that still holds ``period`` seconds."""
        periods = sorted(CONF.grafana_translators.retention_periods.items(),
                         key=lambda item: item[1])
        for name, seconds in periods:
            if int(self.data["period"]) < int(seconds):
                return name
        LOG.warning("The longest InfluxDB retention period is shorter than %s s",
                    self.data["period"])
        return periods[-1][0]

    def build_params(self) -> dict[str, Any]:
        return {"db": self.data["db"], "epoch": "ms",
                "q": self.format_query(self.retention_period())}

    def extract_result(self, raw: bytes | str) -> float | None:
        # {"results": [{"series": [{"columns": ["time", "mean"], "values": [[t, v]]}]}]}
        try:
            series = json.loads(raw)["results"][0]["series"][0]
            column = series["columns"].index(self.data["aggregate"])
            return series["values"][0][column]
        except (KeyError, IndexError, ValueError) as err:
            LOG.error("No %s for %s in the InfluxDB answer: %s", self.data["metric"],
                      self.data["resource"], err)
            raise exception.NoSuchMetricForHost(metric=self.data["metric"],
                                                host=self.data["resource"]) from err


TRANSLATORS: dict[str, type[BaseGrafanaTranslator]] = {
    InfluxDBGrafanaTranslator.NAME: InfluxDBGrafanaTranslator,
}
