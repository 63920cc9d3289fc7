"""GET /v1/strategies/{name}/state answered by the embedded decision engine over a simulated
cloud: datasource, metrics and models as the engine sees them."""

import time

import pytest

from watcher.tests.integration.decision_engine.strategy.test_metric_strategies import busy_cn1

pytestmark = pytest.mark.integration


def _rows(cloud, strategy: str) -> dict:
    rows = cloud.client.request("GET", f"/v1/strategies/{strategy}/state")
    return {row["type"]: row for row in rows}


def _models(rows: dict) -> dict:
    return {name: state for item in rows["CDM"]["state"] for name, state in item.items()}


def _rows_once_collected(cloud, strategy: str, timeout: float = 30) -> dict:
    """The state once the engine's first compute collection (started in the background with
    the service) has finished: until then the compute model is truly not available."""
    deadline = time.monotonic() + timeout
    rows = _rows(cloud, strategy)
    while _models(rows)["compute_model"] != "available" and time.monotonic() < deadline:
        time.sleep(0.2)
        rows = _rows(cloud, strategy)
    return rows


def test_metric_strategy_state_names_its_datasource_and_metrics(make_cloud):
    cloud = make_cloud(busy_cn1())
    rows = _rows_once_collected(cloud, "workload_balance")

    assert rows["Datasource"]["state"] == "prometheus: available"
    metrics = {name: state for item in rows["Metrics"]["state"] for name, state in item.items()}
    # The simulator's Prometheus holds the Ceilometer instance series workload_balance reads.
    assert metrics == {"ceilometer_cpu": "available", "ceilometer_memory_usage": "available"}
    # Only Nova and Placement are simulated here: no Cinder, no bare metal.
    assert _models(rows) == {"compute_model": "available", "storage_model": "not available",
                      "baremetal_model": "not available"}
    assert rows["Name"]["state"] == "workload_balance"


def test_strategy_without_metrics_says_so(make_cloud):
    cloud = make_cloud(busy_cn1())
    rows = _rows(cloud, "host_maintenance")

    assert rows["Datasource"]["state"] == "Datasource is not presented for this strategy"
    assert rows["Metrics"]["state"] == []
