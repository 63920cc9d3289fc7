"""Grafana's InfluxDB translator: query parameters and reading the value back."""

import json

import pytest

from watcher.common import exception
from watcher.decision_engine.datasources.grafana_translator import InfluxDBGrafanaTranslator
from watcher.decision_engine.model.element import ComputeNode

QUERY = "SELECT {0}(value) FROM {4}.cpu_percent WHERE host =~ /^{1}$/ AND time >= now()-{2}s"


def _data(**changes):
    data = {"metric": "host_cpu_usage", "db": "production", "attribute": "hostname",
            "query": QUERY, "resource": ComputeNode(uuid="n1", hostname="cmp1"),
            "resource_type": "compute_node", "period": 600, "aggregate": "mean",
            "granularity": 300}
    data.update(changes)
    return data


def test_influxdb_params_pick_the_shortest_retention_that_holds_the_period(conf):
    conf.config(retention_periods={"one_day": 86400, "one_week": 604800},
                group="grafana_translators")
    params = InfluxDBGrafanaTranslator(_data()).build_params()
    assert params == {"db": "production", "epoch": "ms", "q": (
        "SELECT mean(value) FROM one_day.cpu_percent WHERE host =~ /^cmp1$/ AND "
        "time >= now()-600s")}
    long = InfluxDBGrafanaTranslator(_data(period=10 ** 6)).build_params()
    assert "FROM one_week." in long["q"]


def test_influxdb_translator_validates_and_extracts(conf):
    with pytest.raises(exception.InvalidParameter):
        InfluxDBGrafanaTranslator(_data(db=None))
    with pytest.raises(exception.InvalidParameter):
        InfluxDBGrafanaTranslator(_data(aggregate="median"))
    with pytest.raises(exception.InvalidParameter):
        InfluxDBGrafanaTranslator(_data(resource_type="volume"))
    translator = InfluxDBGrafanaTranslator(_data())
    answer = {"results": [{"series": [{"columns": ["time", "mean"],
                                       "values": [[1767225600000, 42.5]]}]}]}
    assert translator.extract_result(json.dumps(answer)) == 42.5
    with pytest.raises(exception.NoSuchMetricForHost):
        translator.extract_result(json.dumps({"results": [{}]}))
    with pytest.raises(AttributeError):
        InfluxDBGrafanaTranslator(_data(attribute="rack")).build_params()
