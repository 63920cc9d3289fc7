"""Range queries evaluated for all steps at once give the step-by-step evaluator's floats."""

import math

import numpy as np
import pytest

from watcher.simulator.apps import cumulative, promql, promql_range
from watcher.simulator.apps.prom_series import PrometheusStore
from watcher.simulator.apps.promql_eval import Evaluator, Series
from watcher.simulator.clock import Clock
from watcher.simulator.scenario import generator
from watcher.simulator.scenario.loader import load
from watcher.simulator.state import CloudState

STEP = 60.0


class GridStorage:
    """Series sampled every minute, all at the same times, or not (``ragged``)."""

    def __init__(self, ragged: bool = False) -> None:
        rng = np.random.default_rng(7)
        times = np.arange(0, 7201, STEP)
        self.series = []
        for host in ("cn1", "cn2", "cn3"):
            for cpu in range(3):
                counter = np.cumsum(rng.uniform(0, 60, len(times)))
                if host == "cn2" and cpu == 1:
                    counter[70:] -= counter[69]  # a counter reset
                self.series.append(({"__name__": "node_cpu_seconds_total", "fqdn": host,
                                     "cpu": str(cpu), "mode": "idle"}, times, counter))
            self.series.append(({"__name__": "node_memory_MemTotal_bytes", "fqdn": host},
                                times, np.full(len(times), 8192.0)))
            self.series.append(({"__name__": "node_memory_MemAvailable_bytes", "fqdn": host},
                                times, rng.uniform(0, 8192, len(times))))
        for vm in range(4):
            self.series.append(({"__name__": "ceilometer_cpu", "resource": f"vm-{vm}"}, times,
                                np.cumsum(rng.uniform(0, 3e10, len(times)))))
            memory = rng.uniform(-5, 2048, len(times))
            memory[::17] = 0.0
            own = times
            if ragged:  # each series misses another sample
                own, memory = np.delete(times, 40 + 3 * vm), np.delete(memory, 40 + 3 * vm)
            self.series.append(({"__name__": "ceilometer_memory_usage", "resource": f"vm-{vm}"},
                                own, memory))

    def select(self, matchers, mint, maxt):
        return [(labels, [(float(t), float(v)) for t, v in zip(times, values, strict=True)
                          if mint < t <= maxt])
                for labels, times, values in self.series
                if all(m.matches(labels.get(m.name, "")) for m in matchers)]


VECTORISED = [
    "100 - (avg by (fqdn)(rate(node_cpu_seconds_total{mode='idle',fqdn!=''}[300s])) * 100)",
    "(node_memory_MemTotal_bytes{fqdn!=''} - avg_over_time("
    "node_memory_MemAvailable_bytes{fqdn!=''}[300s])) / 1024",
    "avg_over_time(ceilometer_memory_usage{resource!=''}[300s])",
    "(avg by (resource)(rate(ceilometer_cpu{resource!=''}[300s]))/10e+8)",
    "clamp_max((avg by (resource)(rate(ceilometer_cpu{resource='vm-1'}[300s]))/10e+8)"
    " *(100/2), 100)",
    "clamp(ceilometer_memory_usage, 100, 1000)",
    "clamp_min(-ceilometer_memory_usage, -1000)",
    "sum by (fqdn)(increase(node_cpu_seconds_total[10m]))",
    "max without (cpu)(delta(node_cpu_seconds_total[3m] offset 5m))",
    "count(irate(node_cpu_seconds_total[5m]))",
    "min by (fqdn)(idelta(node_cpu_seconds_total[5m]))",
    "stddev(node_memory_MemAvailable_bytes)",
    "quantile by (fqdn)(0.9, node_memory_MemAvailable_bytes)",
    "quantile_over_time(0.95, ceilometer_memory_usage[15m])",
    "max_over_time(ceilometer_memory_usage[4m])",
    "last_over_time(ceilometer_memory_usage[4m])",
    "stdvar_over_time(ceilometer_memory_usage[10m]) / 0",
    "sum(ceilometer_memory_usage) - sum(ceilometer_memory_usage offset 1h)",
    "ceilometer_memory_usage / ceilometer_memory_usage",
    "node_memory_MemTotal_bytes",
    "time() * 2 + 1",
]
STEP_BY_STEP = [
    "ceilometer_memory_usage > 1000",
    "topk(2, ceilometer_memory_usage)",
    "node_memory_MemTotal_bytes * on (fqdn) group_left avg by (fqdn)(node_cpu_seconds_total)",
    "sqrt(ceilometer_memory_usage)",
]


@pytest.mark.parametrize("text", VECTORISED + STEP_BY_STEP)
@pytest.mark.parametrize("ragged", [False, True])
def test_same_answer_as_step_by_step(text, ragged):
    evaluator = Evaluator(GridStorage(ragged))
    node = promql.parse(text)
    for start, end, step in ((600, 7200, 300), (0, 600, 60), (3000, 3000, 300),
                             (7000, 9000, 120)):
        expected = evaluator.range_by_step(node, start, end, step)
        assert repr(evaluator.range(node, start, end, step)) == repr(expected)


@pytest.mark.parametrize("text", VECTORISED)
def test_watcher_queries_are_vectorised(text):
    answer = promql_range.RangeEvaluator(GridStorage()).range(promql.parse(text), 600, 7200,
                                                              300)
    assert answer and all(series.points for series in answer)


@pytest.mark.parametrize("text", STEP_BY_STEP)
def test_others_are_left_to_the_step_by_step_evaluator(text):
    with pytest.raises(promql_range.Unsupported):
        promql_range.RangeEvaluator(GridStorage()).range(promql.parse(text), 600, 7200, 300)


def test_ragged_series_are_left_to_the_step_by_step_evaluator():
    with pytest.raises(promql_range.Unsupported):
        promql_range.RangeEvaluator(GridStorage(ragged=True)).range(
            promql.parse("ceilometer_memory_usage"), 600, 7200, 300)


@pytest.fixture(scope="module")
def cloud() -> CloudState:
    state = CloudState(load(generator.generate(hypervisors=4, servers=60, seed=3)))
    state.clock.speed = 1e-6
    state.clock.advance(4 * 3600)
    return state


def test_simulated_metrics_at_many_times_are_the_same_floats(cloud):
    ats = cloud.clock.start + np.arange(-600.0, 4 * 3600, 60.0)
    metrics = cloud.metrics
    for host in cloud.hypervisors_by_name:
        for metric in ("cpu_util", "memory_util", "power", "outlet_temp"):
            assert metrics.host_values(host, metric, ats).tolist() == [
                metrics.host_value(host, metric, float(at)) for at in ats]
    for sid in list(cloud.servers)[:10]:
        for metric in ("cpu_util", "memory_util"):
            assert metrics.server_values(sid, metric, ats).tolist() == [
                metrics.server_value(sid, metric, float(at)) for at in ats]


def test_counter_values_are_the_running_sum_of_rates():
    clock = Clock(start=1_700_000_000.0)
    counters = cumulative.Counters(clock, STEP)

    def rate(at: float) -> float:
        return math.sin(at / 977.0) * 0.8 + 0.3  # negative at times: clamped to zero

    k0 = math.floor(clock.start / STEP)
    sums = [0.0]
    for k in range(k0, k0 + 200):
        sums.append(sums[-1] + max(0.0, rate(k * STEP)))
    rate0 = max(0.0, rate(k0 * STEP))
    expected = [rate0 * cumulative.UPTIME + STEP * (sums[k - k0] if k >= k0
                                                    else (k - k0) * rate0)
                for k in range(k0 - 5, k0 + 200)]
    # Grown in two reads, as successive queries do.
    assert counters.values(("c",), rate, (1,), k0 - 5, k0 + 50) == expected[:56]
    assert counters.values(("c",), rate, (1,), k0 - 5, k0 + 199) == expected


@pytest.mark.parametrize("text", VECTORISED[:4])
def test_watcher_queries_on_the_simulated_cloud(cloud, text):
    store = PrometheusStore(cloud)
    node = promql.parse(text.replace("resource!=''", "resource!='none'"))
    end = cloud.clock.now()
    vectorised = promql_range.RangeEvaluator(store).range(node, end - 14400, end, 300)
    assert len(vectorised) in (4, 60)
    assert repr(vectorised) == repr(Evaluator(store).range_by_step(node, end - 14400, end,
                                                                   300))


def test_walks_generated_together_are_the_walks_generated_one_by_one():
    doc = generator.generate(hypervisors=3, servers=40, seed=5)
    prepared, lazy = CloudState(load(doc)), CloudState(load(doc))
    prepared.metrics.prepare(prepared.clock.start + 3 * 86400)
    ats = np.arange(-300.0, 3 * 86400, 300.0)
    for sid in prepared.servers:
        for metric in ("cpu_util", "memory_util"):
            assert prepared.metrics.server_values(sid, metric, prepared.clock.start + ats
                                                  ).tolist() == [
                lazy.metrics.server_value(sid, metric, lazy.clock.start + at) for at in ats]


SUBQUERIES = [
    "quantile_over_time(0.95, (avg_over_time(ceilometer_memory_usage{resource!=''}[60s]))"
    "[3600s:60s])",
    "quantile_over_time(0.5, (100 - (avg by (fqdn)(rate(node_cpu_seconds_total{mode='idle'}"
    "[300s])) * 100))[1h:300s])",
    "avg_over_time(ceilometer_memory_usage[30m:120s])",
    "max_over_time((sum by (fqdn)(increase(node_cpu_seconds_total[10m])))[2h:7m] offset 5m)",
    "min_over_time(ceilometer_memory_usage[20m:])",
    "max_over_time(topk(2, ceilometer_memory_usage)[30m:5m])",  # inner step by step
    "rate(node_cpu_seconds_total[1h:60s])",  # not reduced by over_steps
]


@pytest.mark.parametrize("text", SUBQUERIES)
@pytest.mark.parametrize("ragged", [False, True])
@pytest.mark.parametrize("at", [7200.0, 5000.5, 3000.0])
def test_subquery_is_the_inner_expression_at_each_aligned_step(text, ragged, at):
    evaluator = Evaluator(GridStorage(ragged))
    call = promql.parse(text)
    subquery = call.args[-1]
    end = at - subquery.offset
    # Multiples of the step in (end - range, end], evaluated one instant at a time.
    steps = [k * subquery.step for k in range(int(end // subquery.step) + 1)
             if end - subquery.range < k * subquery.step <= end]
    by_labels: dict = {}
    for step in steps:
        for sample in evaluator.instant(subquery.expr, step):
            by_labels.setdefault(tuple(sorted(sample.labels.items())),
                                 Series(sample.labels, [])).points.append((step, sample.value))
    matrix = [series for _, series in sorted(by_labels.items())]
    expected = evaluator._range_function(call.func, call.args, matrix, end - subquery.range,
                                         end, at)
    answer = evaluator.instant(call, at)
    assert answer and repr(answer) == repr(expected)


def test_quantile_over_a_subquery_is_numpy_percentile_of_the_steps():
    evaluator = Evaluator(GridStorage())
    answer = evaluator.instant(promql.parse(
        "quantile_over_time(0.95, ceilometer_memory_usage{resource='vm-2'}[1h:60s])"), 7200.0)
    steps = evaluator.range(promql.parse("ceilometer_memory_usage{resource='vm-2'}"),
                            3660, 7200, 60)
    assert answer[0].value == pytest.approx(
        np.percentile([v for _, v in steps[0].points], 95), rel=1e-12)


def test_a_subquery_evaluated_alone_is_a_range_vector():
    evaluator = Evaluator(GridStorage())
    matrix = evaluator.instant(promql.parse("ceilometer_memory_usage[10m:5m]"), 7300.0)
    assert [[t for t, _ in series.points] for series in matrix] == [[6900.0, 7200.0]] * 4
