"""Subqueries: the inner expression at each step-aligned time of the window, then reduced,
exactly as evaluating it instant by instant and reducing the values would."""

import math

import pytest

from watcher.simulator.apps import promql
from watcher.simulator.apps.promql_eval import Evaluator, label_key
from watcher.tests.unit.simulator.test_promql_range import GridStorage

INNER = {
    "cpu": "100 - (avg by (fqdn)(rate(node_cpu_seconds_total{mode='idle',fqdn!=''}[300s]))"
           " * 100)",
    "instance_cpu": "(avg by (resource)(rate(ceilometer_cpu{resource!=''}[300s]))/10e+8)",
    "memory": "avg_over_time(ceilometer_memory_usage{resource!=''}[300s])",
}
REDUCERS = {
    "quantile_over_time(0.95, ": lambda values: _quantile(0.95, values),
    "avg_over_time(": lambda values: math.fsum(values) / len(values),
    "max_over_time(": max,
}


def _quantile(q: float, values: list[float]) -> float:
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _by_hand(evaluator: Evaluator, inner: str, reduce, at: float, window: float,
             step: float) -> dict[tuple, float]:
    """Each aligned time in (at - window, at], evaluated alone, then reduced per series."""
    node = promql.parse(inner)
    values: dict[tuple, list[float]] = {}
    t = math.floor(at / step) * step
    while t > at - window:
        for sample in evaluator.instant(node, t):
            key = label_key({k: v for k, v in sample.labels.items() if k != "__name__"})
            values.setdefault(key, []).append(sample.value)
        t -= step
    return {key: reduce(found) for key, found in values.items()}


@pytest.mark.parametrize("inner", sorted(INNER))
@pytest.mark.parametrize("function", sorted(REDUCERS))
@pytest.mark.parametrize("at", [7200.0, 7170.0])
def test_subquery_equals_its_steps_reduced(inner, function, at):
    evaluator = Evaluator(GridStorage())
    query = f"{function}({INNER[inner]})[3600s:300s])"
    got = {label_key(s.labels): s.value for s in evaluator.instant(promql.parse(query), at)}
    expected = _by_hand(evaluator, INNER[inner], REDUCERS[function], at, 3600.0, 300.0)
    assert got and set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-12), key


def test_subquery_steps_are_aligned_to_absolute_time():
    evaluator = Evaluator(GridStorage())
    matrix = evaluator.instant(promql.parse("node_memory_MemTotal_bytes[1000s:300s]"), 7170.0)
    assert [t for t, _ in matrix[0].points] == [6300.0, 6600.0, 6900.0]


def test_subquery_offset_moves_the_window():
    evaluator = Evaluator(GridStorage())
    node = promql.parse("max_over_time(node_memory_MemAvailable_bytes[600s:300s] offset 1h)")
    shifted = {label_key(s.labels): s.value for s in evaluator.instant(node, 7200.0)}
    plain = promql.parse("max_over_time(node_memory_MemAvailable_bytes[600s:300s])")
    assert shifted == {label_key(s.labels): s.value for s in evaluator.instant(plain, 3600.0)}


def test_subquery_default_step_and_bad_step():
    assert promql.parse("x[5m:]").step == promql.DEFAULT_SUBQUERY_STEP
    with pytest.raises(promql.ParseError):
        promql.parse("x[5m:0s]")


def test_a_range_selector_still_needs_a_selector():
    with pytest.raises(promql.ParseError, match="vector selectors"):
        promql.parse("(x + 1)[5m]")
