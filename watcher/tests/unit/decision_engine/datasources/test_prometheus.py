"""PromQL built as upstream builds it, bulk queries, the host label map, and the direct
client's configuration; Prometheus is a fake client recording its requests."""

import pytest
import requests
from observabilityclient import prometheus_client

from watcher.common import exception
from watcher.decision_engine.datasources import prometheus, prometheus_base
from watcher.decision_engine.model.element import ComputeNode, Instance

TARGETS = {"data": {"activeTargets": [
    {"labels": {"fqdn": "cmp1.example.com", "instance": "10.0.0.1:9100", "job": "node"}},
    {"labels": {"fqdn": "cmp2", "instance": "10.0.0.2:9100", "job": "node"}},
    {"labels": {"instance": "ceilometer:9099", "job": "ceilometer"}},
]}}


class FakeClient:
    def __init__(self, results=None, targets=TARGETS):
        self.results = results or {}
        self.targets = targets
        self.queries = []
        self.failures = []

    def _get(self, endpoint, params=None):
        if endpoint.startswith("targets"):
            return self.targets
        if endpoint == "status/runtimeinfo":
            return {"status": "success", "data": {}}
        if endpoint == "label/__name__/values":
            return {"status": "success", "data": ["ceilometer_cpu", "up"]}
        assert endpoint == "query"
        self.queries.append(params)
        if self.failures:
            status = self.failures.pop(0)
            response = requests.Response()
            response.status_code = status
            response._content = b'{"status": "error", "error": "boom"}'
            raise prometheus_client.PrometheusAPIClientError(response)
        result = self.results.get(params["query"], [])
        return {"status": "success", "data": {"resultType": "vector", "result": [
            {"metric": labels, "value": [params["time"], str(value)]}
            for labels, value in result]}}


class Helper(prometheus_base.PrometheusBase):
    NAME = "fake-prometheus"

    def _setup_prometheus_client(self):
        raise AssertionError("tests pass their client")

    def _get_fqdn_label(self):
        return "fqdn"

    def _get_instance_uuid_label(self):
        return "resource"


def make(results=None, **kwargs):
    return Helper(now=lambda: 1767225600.0, client=FakeClient(results, **kwargs))


def test_single_resource_queries_are_upstreams(conf):
    ds = make()
    assert ds.build_query("avg", "node_cpu_seconds_total", "cmp1.example.com", 300) == (
        "100 - (avg by (fqdn)(rate(node_cpu_seconds_total{mode='idle',"
        "fqdn='cmp1.example.com'}[300s])) * 100)")
    assert ds.build_query("max", "node_memory_MemAvailable_bytes", "cmp2", 600) == (
        "(node_memory_MemTotal_bytes{fqdn='cmp2'} - max_over_time("
        "node_memory_MemAvailable_bytes{fqdn='cmp2'}[600s])) / 1024")
    assert ds.build_query("min", "ceilometer_memory_usage", "u-1", 300) == (
        "min_over_time(ceilometer_memory_usage{resource='u-1'}[300s])")
    assert ds.build_query("avg", "ceilometer_cpu", "u-1", 300, vcpus=4) == (
        "clamp_max((avg by (resource)(rate(ceilometer_cpu{resource='u-1'}[300s]))/10e+8) "
        "*(100/4), 100)")
    with pytest.raises(exception.InvalidParameter):
        ds.build_query("avg", "instance.memory", "u-1", 300)
    with pytest.raises(exception.InvalidParameter):
        ds.build_query("avg", None, "u-1", 300)


def test_bulk_queries_group_by_the_label_instead_of_filtering(conf):
    ds = make()
    assert ds.build_query("avg", "node_cpu_seconds_total", None, 300) == (
        "100 - (avg by (fqdn)(rate(node_cpu_seconds_total{mode='idle',fqdn!=''}[300s])) "
        "* 100)")
    assert ds.build_query("avg", "ceilometer_cpu", None, 300) == (
        "(avg by (resource)(rate(ceilometer_cpu{resource!=''}[300s]))/10e+8)")


def test_aggregates(conf):
    ds = make()
    assert ds.promql_aggregate("mean") == "avg"
    assert ds.promql_aggregate("count") == "avg"
    with pytest.raises(exception.InvalidParameter):
        ds.promql_aggregate("median")
    # Most CPU/RAM used is least idle/available.
    assert ds._helper_aggregate("host_cpu_usage", "max") == "min"
    assert ds._helper_aggregate("host_ram_usage", "min") == "max"
    assert ds._helper_aggregate("instance_cpu_usage", "max") == "max"


def test_host_labels_from_targets(conf):
    ds = make()
    assert ds.fqdn_labels == {"cmp1.example.com", "cmp2"}
    assert ds.resolve_host_label("cmp1") == "cmp1.example.com"
    assert ds.resolve_host_label("cmp1.example.com") == "cmp1.example.com"
    assert ds.resolve_host_label("cmp2") == "cmp2"
    # A host appearing later is found after one re-read of the targets.
    ds.prometheus.targets = {"data": {"activeTargets": TARGETS["data"]["activeTargets"] + [
        {"labels": {"fqdn": "cmp3.example.com"}}]}}
    assert ds.resolve_host_label("cmp3") == "cmp3.example.com"
    assert ds.resolve_host_label("cmp9") is None


def test_host_cpu_query_is_sent_at_the_clock_time(conf):
    query = ("100 - (min by (fqdn)(rate(node_cpu_seconds_total{mode='idle',"
             "fqdn='cmp1.example.com'}[300s])) * 100)")
    ds = make({query: [({"fqdn": "cmp1.example.com"}, 37.5)]})
    assert ds.get_host_cpu_usage(ComputeNode(uuid="n1", hostname="cmp1"),
                                 aggregate="max") == 37.5
    assert ds.prometheus.queries == [{"query": query, "time": 1767225600.0}]


def test_zero_usage_is_a_value_not_missing(conf):
    query = ("100 - (avg by (fqdn)(rate(node_cpu_seconds_total{mode='idle',"
             "fqdn='cmp2'}[300s])) * 100)")
    ds = make({query: [({"fqdn": "cmp2"}, 0.0)]})
    assert ds.get_host_cpu_usage(ComputeNode(uuid="n2", hostname="cmp2")) == 0.0


def test_bulk_host_read_is_one_query(conf):
    query = ("100 - (avg by (fqdn)(rate(node_cpu_seconds_total{mode='idle',fqdn!=''}"
             "[300s])) * 100)")
    ds = make({query: [({"fqdn": "cmp1.example.com"}, 10.0), ({"fqdn": "cmp2"}, 20.0)]})
    nodes = [ComputeNode(uuid="n1", hostname="cmp1"), ComputeNode(uuid="n2", hostname="cmp2"),
             ComputeNode(uuid="n3", hostname="gone")]
    assert ds.host_metric_all(nodes, "host_cpu_usage") == {"n1": 10.0, "n2": 20.0,
                                                            "n3": None}
    assert len(ds.prometheus.queries) == 1
    assert [ds.get_host_cpu_usage(n) for n in nodes] == [10.0, 20.0, None]
    assert len(ds.prometheus.queries) == 1


def test_bulk_instance_cpu_divides_by_each_instances_vcpus(conf):
    query = "(avg by (resource)(rate(ceilometer_cpu{resource!=''}[300s]))/10e+8)"
    ds = make({query: [({"resource": "a"}, 1.0), ({"resource": "b"}, 0.5),
                       ({"resource": "c"}, 9.0)]})
    instances = [Instance(uuid="a", vcpus=4), Instance(uuid="b", vcpus=1),
                 Instance(uuid="c", vcpus=2), Instance(uuid="d", vcpus=2)]
    assert ds.instance_metric_all(instances, "instance_cpu_usage") == {
        "a": 25.0, "b": 50.0, "c": 100.0, "d": None}


def test_allocated_ram_and_disk_come_from_the_model(conf):
    ds = make()
    instances = [Instance(uuid="a", memory=2048, disk=20)]
    assert ds.instance_metric_all(instances, "instance_ram_allocated") == {"a": 2048.0}
    assert ds.get_instance_root_disk_size(instances[0]) == 20.0
    assert ds.prometheus.queries == []


def test_server_errors_are_retried_bad_queries_are_not(conf):
    query = "max_over_time(ceilometer_memory_usage{resource='a'}[300s])"
    ds = make({query: [({"resource": "a"}, 700.0)]})
    ds.prometheus.failures = [503, 502]
    assert ds.get_instance_ram_usage(Instance(uuid="a"), aggregate="max") == 700.0
    assert len(ds.prometheus.queries) == 3
    ds.prometheus.failures = [400]
    assert ds.get_instance_ram_usage(Instance(uuid="a"), period=60) is None
    assert len(ds.prometheus.queries) == 4


def test_availability_and_metric_names(conf):
    ds = make()
    assert ds.check_availability() == "available"
    assert ds.list_metrics() == {"ceilometer_cpu", "up"}


def test_direct_client_needs_a_valid_host_and_port(conf):
    with pytest.raises(exception.MissingParameter):
        prometheus.PrometheusHelper()
    assert prometheus._host_port_problem("prom.example.com", 9090) is None
    assert prometheus._host_port_problem("prom.example.com.", 9090) is None
    assert "regex" in prometheus._host_port_problem("bad_host!", 9090)
    assert "too long" in prometheus._host_port_problem("a" * 256, 9090)
    assert "port" in prometheus._host_port_problem("prom.example.com", "x")


def test_direct_client_tls_and_basic_auth(conf):
    conf.config(host="prom.example.com", port=9091, cafile="/etc/ca.pem",
                certfile="/etc/c.pem", keyfile="/etc/k.pem", username="watcher",
                password="s3cret", group="prometheus_client")
    unstarted = object.__new__(prometheus.PrometheusHelper)
    client = unstarted._setup_prometheus_client()
    assert client._get_url("query") == "https://prom.example.com:9091/api/v1/query"
    assert client._session.verify == "/etc/ca.pem"
    assert client._session.cert == ("/etc/c.pem", "/etc/k.pem")
    assert client._session.auth == ("watcher", "s3cret")
    conf.config(cafile=None, username=None, group="prometheus_client")
    plain = unstarted._setup_prometheus_client()
    assert plain._get_url("query") == "http://prom.example.com:9091/api/v1/query"
    assert plain._session.auth is None
