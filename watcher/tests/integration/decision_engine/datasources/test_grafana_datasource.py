"""The grafana datasource against a tiny local HTTP stub of Grafana's datasource proxy (the
simulator has no Grafana): URL, token, InfluxDB parameters, retries."""

import http.server
import json
import threading
import urllib.parse

import pytest

from watcher.common import exception
from watcher.decision_engine.datasources import grafana
from watcher.decision_engine.model.element import ComputeNode

pytestmark = pytest.mark.integration

QUERY = "SELECT {0}(value) FROM {4}.cpu_percent WHERE host =~ /^{1}$/ AND time >= now()-{2}s"


class _GrafanaStub(http.server.BaseHTTPRequestHandler):
    requests: list = []
    failures: list = []

    def do_GET(self):  # noqa: N802 - http.server's name
        url = urllib.parse.urlparse(self.path)
        params = dict(urllib.parse.parse_qsl(url.query))
        type(self).requests.append((url.path, params, self.headers.get("Authorization")))
        if type(self).failures:
            self._reply(type(self).failures.pop(0), {"message": "injected"})
            return
        if self.headers.get("Authorization") != "Bearer t0ken":
            self._reply(401, {"message": "Unauthorized"})
            return
        host = params["q"].split("/^")[1].split("$/")[0]
        value = {"cmp1": 12.0, "cmp2": 34.0}[host]
        self._reply(200, {"results": [{"statement_id": 0, "series": [{
            "name": "cpu_percent", "columns": ["time", "mean"],
            "values": [[1767225600000, value]]}]}]})

    def _reply(self, status, body):
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    _GrafanaStub.requests, _GrafanaStub.failures = [], []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _GrafanaStub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def configured(conf, stub):
    conf.config(token="t0ken", base_url=f"http://127.0.0.1:{stub.server_port}/api/"
                "datasources/proxy/", project_id_map={"host_cpu_usage": "7"},
                database_map={"host_cpu_usage": "production"},
                attribute_map={"host_cpu_usage": "hostname"},
                translator_map={"host_cpu_usage": "influxdb"},
                query_map={"host_cpu_usage": QUERY}, group="grafana_client")
    return conf


def test_reads_through_the_datasource_proxy(configured, stub):
    ds = grafana.GrafanaHelper()
    assert ds.check_availability() == "available"
    assert ds.list_metrics() == {"host_cpu_usage"}
    nodes = [ComputeNode(uuid="n1", hostname="cmp1"), ComputeNode(uuid="n2", hostname="cmp2")]
    assert ds.host_metric_all(nodes, "host_cpu_usage") == {"n1": 12.0, "n2": 34.0}
    path, params, auth = _GrafanaStub.requests[0]
    assert path == "/api/datasources/proxy/7/query"
    assert params["db"] == "production" and params["epoch"] == "ms"
    assert auth == "Bearer t0ken"
    assert ds.get_host_cpu_usage(nodes[0]) == 12.0
    assert len(_GrafanaStub.requests) == 2
    with pytest.raises(exception.MetricNotAvailable):
        ds.get_host_ram_usage(nodes[0])


def test_server_errors_are_retried_refusals_are_not(configured, stub):
    ds = grafana.GrafanaHelper()
    node = ComputeNode(uuid="n1", hostname="cmp1")
    _GrafanaStub.failures = [502, 503]
    assert ds.get_host_cpu_usage(node) == 12.0
    assert len(_GrafanaStub.requests) == 3
    _GrafanaStub.failures = [401]
    assert ds.get_host_cpu_usage(node, period=60) is None
    assert len(_GrafanaStub.requests) == 4


def test_without_a_token_grafana_is_not_available(conf):
    ds = grafana.GrafanaHelper()
    assert ds.check_availability() == "not available"
