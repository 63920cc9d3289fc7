"""benchmarks/plan_quality.py's pieces end to end on a tiny PlanetLab cloud: the simulator in
its own process, an embedded watcher auditing through the REST API, the plan applied, the
final placement read from Nova and scored."""

import importlib.util
import os
import sys

import numpy as np
import pytest

from watcher.simulator import plan_score
from watcher.simulator.scenario import planetlab

pytestmark = pytest.mark.integration

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))))
TRACE = os.path.join(planetlab.default_trace_dir(), "20110303.csv")


def load_benchmark():
    spec = importlib.util.spec_from_file_location(
        "plan_quality_benchmark", os.path.join(ROOT, "benchmarks", "plan_quality.py"))
    module = importlib.util.module_from_spec(spec)
    # Its dataclasses look their module up while being defined.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not os.path.exists(TRACE), reason=f"no PlanetLab trace at {TRACE}")
def test_a_tiny_planetlab_cloud_is_audited_applied_and_scored(conf):
    bench = load_benchmark()
    cloud = planetlab.build(TRACE, "cpu-bound", vms=20, hosts=6)
    initial, basic = bench.run_cloud(cloud, ["basic"], bench.Progress(quiet=True))

    assert (initial.strategy, initial.hosts_before, initial.hosts_after) == ("initial", 6, 6)
    assert initial.cpu == plan_score.replay_cpu(cloud.placement, cloud.cores[:, 144:],
                                                np.full(6, 32.0))
    assert basic.strategy == "basic" and basic.plan_state == "SUCCEEDED"
    assert 0 < basic.migrations == basic.migrations_run
    assert basic.hosts_after < basic.hosts_before == 6
    assert basic.cpu.active_host_steps == basic.hosts_after * 144
    assert basic.audit_seconds > 0 and basic.wall_seconds > basic.audit_seconds

    table = bench.format_table("tiny", [initial, basic]).splitlines()
    assert table[0] == "tiny"
    assert table[1].split("  ")[0].strip() == "strategy"
    for column in bench.COLUMNS:
        assert column in table[1]
    assert set(table[2]) == {"-", " "}
    assert [line.split()[0] for line in table[3:]] == ["initial", "basic"]
