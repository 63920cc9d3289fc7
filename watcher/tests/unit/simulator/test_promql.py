"""PromQL parser and evaluator on an in-memory series store."""

import math

import pytest

from watcher.simulator.apps import promql
from watcher.simulator.apps.promql_eval import EvalError, Evaluator, Scalar, extrapolated_rate


class MemoryStorage:
    def __init__(self, series: list[tuple[dict, list[tuple[float, float]]]]) -> None:
        self.series = series

    def select(self, matchers, mint, maxt):
        return [(labels, [(t, v) for t, v in points if mint < t <= maxt])
                for labels, points in self.series
                if all(m.matches(labels.get(m.name, "")) for m in matchers)]


def _counter(labels: dict, rate: float, start: float = 0.0, stop: float = 3600.0,
             step: float = 60.0) -> tuple[dict, list]:
    points, value, t = [], 1000.0, start
    while t <= stop:
        points.append((t, value))
        value += rate * step
        t += step
    return labels, points


def _gauge(labels: dict, fn, stop: float = 3600.0, step: float = 60.0) -> tuple[dict, list]:
    return labels, [(i * step, fn(i * step)) for i in range(int(stop // step) + 1)]


@pytest.fixture
def evaluator() -> Evaluator:
    series = []
    for host, idle in (("cn1", 0.75), ("cn2", 0.5)):
        for cpu in ("0", "1"):
            series.append(_counter({"__name__": "node_cpu_seconds_total", "fqdn": host,
                                    "cpu": cpu, "mode": "idle"}, idle))
            series.append(_counter({"__name__": "node_cpu_seconds_total", "fqdn": host,
                                    "cpu": cpu, "mode": "user"}, 1 - idle))
        series.append(_gauge({"__name__": "node_memory_MemTotal_bytes", "fqdn": host},
                             lambda t: 8192.0))
        series.append(_gauge({"__name__": "node_memory_MemAvailable_bytes", "fqdn": host},
                             lambda t, h=host: 2048.0 if h == "cn1" else 1024.0 + t / 60))
    series.append(_counter({"__name__": "ceilometer_cpu", "resource": "vm-a"}, 2e9 * 0.3))
    return Evaluator(MemoryStorage(series))


def _values(result) -> dict:
    return {tuple(sorted(s.labels.items())): s.value for s in result}


def test_parse_watcher_host_cpu_query():
    node = promql.parse("100 - (avg by (fqdn)(rate(node_cpu_seconds_total"
                        "{mode='idle',fqdn='cn1'}[300s])) * 100)")
    assert isinstance(node, promql.Binary) and node.op == "-"
    product = node.rhs
    assert product.op == "*"
    aggregate = product.lhs
    assert aggregate.op == "avg" and aggregate.grouping == ["fqdn"]
    call = aggregate.expr
    assert call.func == "rate"
    selector = call.args[0]
    assert selector.range == 300
    assert selector.vector.name == "node_cpu_seconds_total"
    assert {(m.name, m.op, m.value) for m in selector.vector.matchers} == {
        ("__name__", "=", "node_cpu_seconds_total"), ("mode", "=", "idle"),
        ("fqdn", "=", "cn1")}


@pytest.mark.parametrize("text,expected", [
    ("1 + 2 * 3", 7.0), ("(1 + 2) * 3", 9.0), ("2 ^ 3 ^ 2", 512.0), ("-2 ^ 2", -4.0),
    ("10 - 4 - 3", 3.0), ("10e+8 / 1e9", 1.0), ("7 % 4", 3.0), ("0x10", 16.0),
    ("1 < bool 2", 1.0), ("5 / 0", math.inf),
])
def test_scalar_arithmetic(evaluator, text, expected):
    assert evaluator.instant(promql.parse(text), 0).value == expected


@pytest.mark.parametrize("text", ["", "foo{", "sum(", "{}", "x{a=1}",
                                  "foo[5x]", "1 +"])
def test_parse_errors(text):
    with pytest.raises(promql.ParseError):
        promql.parse(text)


def test_duration_parsing():
    assert promql.parse_duration("1h30m") == 5400
    assert promql.parse_duration("300") == 300
    assert promql.parse_duration("500ms") == 0.5


def test_host_cpu_usage_from_idle_counter(evaluator):
    node = promql.parse("100 - (avg by (fqdn)(rate(node_cpu_seconds_total"
                        "{mode='idle',fqdn=~'cn.*'}[300s])) * 100)")
    result = _values(evaluator.instant(node, 1800))
    assert result == {(("fqdn", "cn1"),): pytest.approx(25.0),
                      (("fqdn", "cn2"),): pytest.approx(50.0)}


def test_memory_query_one_to_one_matching(evaluator):
    node = promql.parse("(node_memory_MemTotal_bytes{fqdn='cn2'} - "
                        "avg_over_time(node_memory_MemAvailable_bytes{fqdn='cn2'}[300s])) / 1024")
    result = evaluator.instant(node, 600)
    # samples in (300, 600]: 360..600 s, available = 1024 + t/60 -> mean 1032
    assert len(result) == 1
    assert result[0].labels == {"fqdn": "cn2"}
    assert result[0].value == pytest.approx((8192 - 1032) / 1024)


def test_instance_cpu_query_with_clamp(evaluator):
    node = promql.parse("clamp_max((avg by (resource)(rate(ceilometer_cpu{resource='vm-a'}"
                        "[300s]))/10e+8) *(100/2), 100)")
    result = evaluator.instant(node, 1200)
    assert result[0].labels == {"resource": "vm-a"}
    assert result[0].value == pytest.approx(30.0)
    capped = evaluator.instant(promql.parse(
        "clamp_max(rate(ceilometer_cpu[5m]) / 1e6, 100)"), 1200)
    assert capped[0].value == 100.0


def test_aggregations_and_grouping(evaluator):
    rates = "rate(node_cpu_seconds_total[5m])"
    count = evaluator.instant(promql.parse(f"count by (fqdn, mode) ({rates})"), 900)
    assert set(_values(count).values()) == {2.0}
    assert len(count) == 4
    total = evaluator.instant(promql.parse(f"sum without (cpu, mode) ({rates})"), 900)
    assert _values(total) == {(("fqdn", "cn1"),): pytest.approx(2.0),
                              (("fqdn", "cn2"),): pytest.approx(2.0)}
    top = evaluator.instant(promql.parse(f"topk(1, {rates}{{mode='idle'}})".replace(
        "[5m]){mode='idle'}", "{mode='idle'}[5m])")), 900)
    assert len(top) == 1 and top[0].labels["fqdn"] == "cn1"
    trailing = evaluator.instant(promql.parse("max(node_memory_MemAvailable_bytes) by (fqdn)"),
                                 600)
    assert _values(trailing) == {(("fqdn", "cn1"),): 2048.0, (("fqdn", "cn2"),): 1034.0}
    maximum = _values(evaluator.instant(promql.parse(
        "max_over_time(node_memory_MemAvailable_bytes{fqdn='cn2'}[10m])"), 600))
    assert maximum == {(("fqdn", "cn2"),): 1034.0}


def test_instant_selector_uses_latest_sample_within_lookback(evaluator):
    result = evaluator.instant(promql.parse("node_memory_MemAvailable_bytes{fqdn='cn2'}"), 630)
    assert result[0].value == 1024.0 + 600 / 60
    assert result[0].labels["__name__"] == "node_memory_MemAvailable_bytes"
    assert evaluator.instant(promql.parse("node_memory_MemTotal_bytes"), 4000) == []


def test_comparison_filters_and_bool(evaluator):
    node = promql.parse("node_memory_MemAvailable_bytes > 1500")
    kept = evaluator.instant(node, 600)
    assert [s.labels["fqdn"] for s in kept] == ["cn1"]
    assert kept[0].labels["__name__"] == "node_memory_MemAvailable_bytes"
    flags = evaluator.instant(promql.parse("node_memory_MemAvailable_bytes > bool 1500"), 600)
    assert sorted(s.value for s in flags) == [0.0, 1.0]
    assert all("__name__" not in s.labels for s in flags)
    with pytest.raises(promql.ParseError):
        evaluator.instant(promql.parse("1 > 2"), 0)


def test_set_operators(evaluator):
    both = evaluator.instant(promql.parse(
        "node_memory_MemTotal_bytes and on (fqdn) node_memory_MemAvailable_bytes > 1500"), 600)
    assert [s.labels["fqdn"] for s in both] == ["cn1"]
    rest = evaluator.instant(promql.parse(
        "node_memory_MemTotal_bytes unless on (fqdn) node_memory_MemAvailable_bytes > 1500"),
        600)
    assert [s.labels["fqdn"] for s in rest] == ["cn2"]


def test_group_left_and_many_to_many_error(evaluator):
    node = promql.parse("rate(node_cpu_seconds_total{mode='idle'}[5m]) * on (fqdn) "
                        "group_left node_memory_MemTotal_bytes")
    result = evaluator.instant(node, 900)
    assert len(result) == 4
    assert sorted(s.value for s in result) == pytest.approx([0.5 * 8192] * 2 + [0.75 * 8192] * 2)
    with pytest.raises(EvalError):
        evaluator.instant(promql.parse("node_memory_MemTotal_bytes * on (fqdn) "
                                       "node_cpu_seconds_total"), 900)


def test_range_query_steps(evaluator):
    series = evaluator.range(promql.parse("node_memory_MemAvailable_bytes{fqdn='cn2'} / 2"),
                             600, 720, 60)
    assert len(series) == 1
    assert series[0].points == [(600, 517.0), (660, 517.5), (720, 518.0)]
    scalar = evaluator.range(promql.parse("time()"), 0, 120, 60)
    assert scalar[0].labels == {} and [v for _, v in scalar[0].points] == [0, 60, 120]


def test_functions(evaluator):
    assert evaluator.instant(promql.parse("scalar(vector(3) * 2)"), 0) == Scalar(6.0)
    rounded = evaluator.instant(promql.parse("round(vector(2.26), 0.1)"), 0)
    assert rounded[0].value == pytest.approx(2.3)
    clamped = evaluator.instant(promql.parse("clamp(vector(5), 1, 3)"), 0)
    assert clamped[0].value == 3.0
    with pytest.raises(promql.ParseError):
        evaluator.instant(promql.parse("nosuchfn(vector(1))"), 0)
    with pytest.raises(promql.ParseError):
        evaluator.instant(promql.parse("rate(node_memory_MemTotal_bytes)"), 0)


def test_extrapolated_rate_handles_counter_reset_and_edges():
    points = [(10.0, 5.0), (70.0, 65.0), (130.0, 5.0), (190.0, 65.0)]
    # increase: 60 + (5 after a reset, counted from zero) + 60 = 125 over 180 s of samples,
    # extrapolated to the window (0, 200]: 10 s at the end, but at the start only as far as
    # the counter would have been zero (180 * 5 / 125 = 7.2 s).
    expected = 125.0 * (180.0 + 7.2 + 10.0) / 180.0
    assert extrapolated_rate(points, 0.0, 200.0, True, False) == pytest.approx(expected)
    assert extrapolated_rate(points, 0.0, 200.0, True, True) == pytest.approx(expected / 200)
    assert extrapolated_rate(points[:1], 0.0, 200.0, True, True) is None
