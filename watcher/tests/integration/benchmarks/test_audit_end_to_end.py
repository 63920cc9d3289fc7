"""benchmarks/plan_save.py --end-to-end on a small generated cloud: the simulator in its own
process, an embedded watcher collecting its model then auditing through the REST API, and the
figures the benchmark prints."""

import importlib.util
import os
import sys

import pytest

pytestmark = pytest.mark.integration

BENCHMARKS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))), "benchmarks")


def load_benchmark(monkeypatch):
    # It imports plan_quality from its own directory, as it does when run as a script.
    monkeypatch.syspath_prepend(BENCHMARKS)
    spec = importlib.util.spec_from_file_location(
        "audit_end_to_end_benchmark", os.path.join(BENCHMARKS, "audit_end_to_end.py"))
    module = importlib.util.module_from_spec(spec)
    # Its dataclasses look their module up while being defined.
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_a_small_cloud_is_collected_audited_and_reported(conf, monkeypatch):
    bench = load_benchmark(monkeypatch)
    assert bench.parse_cloud("113x15769x4") == (113, 15769, 4)
    assert bench.parse_cloud("50X1000") == (50, 1000, 1)
    with pytest.raises(ValueError, match="HOSTSxSERVERS"):
        bench.parse_cloud("50")

    figures = bench.measure(6, 90)

    assert (figures.hosts, figures.servers, figures.state) == (6, 90, "SUCCEEDED")
    assert 0 < figures.collect_seconds < 60 and 0 < figures.audit_seconds < 60
    assert figures.actions > 0  # skewed placement on mostly idle servers: hosts to free
    # One range query per usage metric (the targets were read when the datasource was built).
    assert figures.requests.get("prometheus", 0) >= 4
    assert set(figures.requests) <= {"prometheus", "compute", "placement", "identity"}
    assert figures.watcher_peak_mb > 50 and figures.simulator_peak_mb > 50
    line = figures.line()
    assert line.split()[:4] == ["6", "hosts", "90", "servers"]
    assert "POST->SUCCEEDED" in line and f"{figures.actions} actions" in line
