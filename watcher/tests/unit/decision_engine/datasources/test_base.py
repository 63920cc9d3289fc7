"""DataSourceBase: the cache in front of every read, bulk reads filling it, and query_retry."""

import datetime

import pytest
from oslo_utils import timeutils

from watcher.common import exception
from watcher.decision_engine.datasources import base
from watcher.decision_engine.model.element import ComputeNode, Instance


class CountingBackend(base.DataSourceBase):
    """Values from a dict; counts what reaches the 'backend'."""

    NAME = "counting"
    METRIC_MAP = dict(base.DataSourceBase.METRIC_MAP, host_cpu_usage="cpu",
                      instance_ram_usage="ram")

    def __init__(self, values, bulk=True):
        super().__init__(now=lambda: 1000.0)
        self.values = values
        self.single_calls = []
        self.bulk_calls = []
        self.bulk = bulk

    def list_metrics(self):
        return {"cpu", "ram"}

    def check_availability(self):
        return "available"

    def _statistic_aggregation(self, resource, resource_type, meter_name, period, aggregate,
                               granularity):
        self.single_calls.append((base.resource_id(resource), meter_name, aggregate))
        return self.values.get(base.resource_id(resource))

    def _statistic_aggregation_all(self, resources, resource_type, meter_name, period,
                                   aggregate, granularity):
        if not self.bulk:
            return super()._statistic_aggregation_all(resources, resource_type, meter_name,
                                                      period, aggregate, granularity)
        self.bulk_calls.append(sorted(base.resource_id(r) for r in resources))
        return {rid: value for rid, value in self.values.items()}


NODES = [ComputeNode(uuid="n1", hostname="cmp1"), ComputeNode(uuid="n2", hostname="cmp2"),
         ComputeNode(uuid="n3", hostname="cmp3")]


def test_second_read_comes_from_the_cache(conf):
    ds = CountingBackend({"n1": 12.5})
    assert ds.get_host_cpu_usage(NODES[0]) == 12.5
    assert ds.get_host_cpu_usage(NODES[0]) == 12.5
    assert len(ds.single_calls) == 1
    # A different window is a different value.
    ds.get_host_cpu_usage(NODES[0], period=600)
    assert len(ds.single_calls) == 2
    ds.reset_cache()
    ds.get_host_cpu_usage(NODES[0])
    assert len(ds.single_calls) == 3


def test_bulk_read_fills_the_cache_for_per_resource_reads(conf):
    ds = CountingBackend({"n1": 10.0, "n2": 20.0})
    assert ds.host_metric_all(NODES, "host_cpu_usage") == {"n1": 10.0, "n2": 20.0, "n3": None}
    assert ds.bulk_calls == [["n1", "n2", "n3"]]
    assert [ds.get_host_cpu_usage(n) for n in NODES] == [10.0, 20.0, None]
    assert ds.single_calls == []
    # Only what is not cached yet goes to the backend.
    ds.cache.remove("n2")
    ds.host_metric_all(NODES, "host_cpu_usage")
    assert ds.bulk_calls[-1] == ["n2"]
    ds.host_metric_all(NODES, "host_cpu_usage")
    assert len(ds.bulk_calls) == 2


def test_bulk_without_backend_support_reads_one_by_one(conf):
    ds = CountingBackend({"i1": 512.0}, bulk=False)
    instances = [Instance(uuid="i1"), Instance(uuid="i2")]
    assert ds.instance_metric_all(instances, "instance_ram_usage") == {"i1": 512.0, "i2": None}
    assert [c[0] for c in ds.single_calls] == ["i1", "i2"]
    assert ds.get_instance_ram_usage(instances[1]) is None
    assert len(ds.single_calls) == 2


def test_unmapped_metric_is_not_available(conf):
    ds = CountingBackend({})
    with pytest.raises(exception.MetricNotAvailable, match="host_power"):
        ds.get_host_power(NODES[0])
    with pytest.raises(exception.MetricNotAvailable):
        ds.host_metric_all(NODES, "host_airflow")


def test_query_retry_tries_again_then_answers(conf):
    ds = CountingBackend({})
    answers = [ConnectionError("down"), ConnectionError("down"), 42]

    def flaky():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert ds.query_retry(flaky) == 42
    assert answers == []


def test_query_retry_gives_up_after_the_configured_attempts(conf):
    conf.config(query_max_retries=4, group="watcher_datasources")
    ds = CountingBackend({})
    calls = []

    def broken():
        calls.append(1)
        raise ConnectionError("down")

    assert ds.query_retry(broken) is None
    assert len(calls) == 4


def test_query_retry_does_not_retry_ignored_errors(conf):
    ds = CountingBackend({})
    calls = []

    def not_found():
        calls.append(1)
        raise KeyError("gone")

    assert ds.query_retry(not_found, ignored_exc=KeyError) is None
    assert len(calls) == 1


def test_wall_clock_follows_the_oslo_time_override():
    timeutils.set_time_override(datetime.datetime(2026, 1, 1, 0, 0, 0))
    try:
        assert base.wall_clock() == datetime.datetime(
            2026, 1, 1, tzinfo=datetime.timezone.utc).timestamp()
    finally:
        timeutils.clear_time_override()


def test_resource_id_prefers_uuid_then_name():
    assert base.resource_id(ComputeNode(uuid="u1", hostname="h1")) == "u1"
    assert base.resource_id(ComputeNode(hostname="h1")) == "h1"
    assert base.resource_id("raw") == "raw"


class SeriesBackend(CountingBackend):
    """Per-resource series: the default percentile read uses them."""

    def __init__(self, series):
        super().__init__({})
        self.series = series
        self.windows = []

    def statistic_series(self, resource=None, resource_type=None, meter_name=None,
                         start_time=None, end_time=None, granularity=300):
        self.windows.append((start_time.timestamp(), end_time.timestamp(), granularity))
        values = self.series.get(base.resource_id(resource))
        return None if values is None else dict(enumerate(values))


def test_percentile_aggregates_are_named_pNN():
    assert base.percentile_of("p95") == 95.0
    assert base.percentile_of("p99.9") == 99.9
    assert [base.percentile_of(a) for a in ("mean", "max", "p0", "p101", "pfoo")] == [
        None] * 5


def test_percentile_of_each_series_over_the_period():
    backend = SeriesBackend({"n1": [float(v) for v in range(1, 21)], "n2": [7.0]})
    values = backend.host_metric_all(NODES, "host_cpu_usage", period=600, aggregate="p95")
    # 1..20: the 95th percentile interpolates between 19 and 20.
    assert values == {"n1": pytest.approx(19.05), "n2": 7.0, "n3": None}
    assert backend.windows == [(400.0, 1000.0, 300)] * 3
    # Cached under its own aggregate: no second read, and the mean is a separate one.
    backend.host_metric_all(NODES, "host_cpu_usage", period=600, aggregate="p95")
    assert len(backend.windows) == 3


def test_percentile_without_series_reads_the_maximum():
    backend = CountingBackend({"n1": 30.0, "n2": 40.0})
    values = backend.host_metric_all(NODES, "host_cpu_usage", period=600, aggregate="p90")
    assert values["n1"] == 30.0
    # One bulk read, asked for the maximum, which is never below a percentile.
    assert len(backend.bulk_calls) == 1
    single = CountingBackend({"n1": 30.0}, bulk=False)
    assert single.get_host_cpu_usage(NODES[0], aggregate="p95") == 30.0
    assert single.single_calls == [("n1", "host_cpu_usage", "max")]
