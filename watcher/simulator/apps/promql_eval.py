"""Evaluate a parsed PromQL expression against a ``Storage`` of series.

Semantics follow Prometheus where Watcher's queries depend on them: a 5 minute lookback for
instant selectors, ``rate``/``increase``/``delta`` with Prometheus' extrapolation and counter
reset handling, metric names dropped by arithmetic and most functions, label matching for
vector-vector operators. The storage is anything with ``select(matchers, mint, maxt)``
returning ``[(labels, [(t, v), ...]), ...]`` with samples in ``(mint, maxt]``; the simulator's
is in ``prom_series``, the unit tests use an in-memory one.
"""

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from watcher.simulator.apps import promql
from watcher.simulator.apps.promql import ParseError

LOOKBACK = 300.0
NAME = "__name__"


class EvalError(ValueError):
    """A query that parsed but cannot be evaluated (Prometheus' ``execution`` error)."""


class Storage(Protocol):
    def select(self, matchers: list[promql.Matcher], mint: float,
               maxt: float) -> list[tuple[dict, list[tuple[float, float]]]]:
        ...


@dataclass
class Sample:
    labels: dict
    value: float


@dataclass
class Series:
    labels: dict
    points: list[tuple[float, float]]


@dataclass
class Scalar:
    value: float


def label_key(labels: dict) -> tuple:
    return tuple(sorted(labels.items()))


def _without_name(labels: dict) -> dict:
    return {k: v for k, v in labels.items() if k != NAME}


def _divide(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _modulo(a: float, b: float) -> float:
    return math.nan if b == 0 else math.fmod(a, b)


def _power(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except (OverflowError, ValueError):
        return math.inf if a > 0 else math.nan


ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": _divide, "%": _modulo, "^": _power, "atan2": math.atan2,
}
COMPARE: dict[str, Callable[[float, float], bool]] = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, ">": lambda a, b: a > b,
    "<": lambda a, b: a < b, ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b,
}


def extrapolated_rate(points: list[tuple[float, float]], range_start: float, range_end: float,
                      is_counter: bool, is_rate: bool) -> float | None:
    """Prometheus' ``extrapolatedRate``: the increase seen between the first and last sample,
    stretched towards the window's edges when the samples reach close enough to them."""
    if len(points) < 2:
        return None
    first_t, first_v = points[0]
    last_t, last_v = points[-1]
    result = last_v - first_v
    if is_counter:
        for (_, before), (_, after) in zip(points, points[1:], strict=False):
            if after < before:
                result += before
    to_start = first_t - range_start
    to_end = range_end - last_t
    sampled = last_t - first_t
    average = sampled / (len(points) - 1)
    if is_counter and result > 0 and first_v >= 0:
        # A counter cannot have been below zero: do not extrapolate past that point.
        to_start = min(to_start, sampled * (first_v / result))
    threshold = average * 1.1
    stretched = sampled + (to_start if to_start < threshold else average / 2)
    stretched += to_end if to_end < threshold else average / 2
    result *= stretched / sampled
    if is_rate:
        result /= range_end - range_start
    return result


def _instant_rate(points: list[tuple[float, float]], is_rate: bool) -> float | None:
    if len(points) < 2:
        return None
    (t0, v0), (t1, v1) = points[-2], points[-1]
    delta = v1 - v0
    if is_rate:
        if v1 < v0:
            delta = v1
        return delta / (t1 - t0)
    return delta


def _quantile(q: float, values: list[float]) -> float:
    if not values:
        return math.nan
    if q < 0:
        return -math.inf
    if q > 1:
        return math.inf
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    weight = rank - low
    return ordered[low] * (1 - weight) + ordered[high] * weight


def kahan_sum(values: list[float]) -> float:
    """Kahan-Neumaier compensated sum, as Prometheus adds for ``avg_over_time``: a fixed
    sequence of float operations, which ``promql_range`` repeats over arrays to give the
    same floats (``math.fsum`` has no array counterpart)."""
    total = compensation = 0.0
    for value in values:
        summed = total + value
        if math.isinf(summed):
            compensation = 0.0
        elif abs(total) >= abs(value):
            compensation += (total - summed) + value
        else:
            compensation += (value - summed) + total
        total = summed
    return total + compensation


_OVER_TIME: dict[str, Callable[[list[float]], float]] = {
    "avg_over_time": lambda values: kahan_sum(values) / len(values),
    "min_over_time": min,
    "max_over_time": max,
    "sum_over_time": math.fsum,
    "count_over_time": lambda values: float(len(values)),
    "last_over_time": lambda values: values[-1],
    "stddev_over_time": statistics.pstdev,
    "stdvar_over_time": statistics.pvariance,
    "present_over_time": lambda values: 1.0,
}
_MATH: dict[str, Callable[[float], float]] = {
    "abs": abs, "ceil": lambda v: float(math.ceil(v)) if math.isfinite(v) else v,
    "floor": lambda v: float(math.floor(v)) if math.isfinite(v) else v,
    "exp": lambda v: _guard(math.exp, v), "sqrt": lambda v: _guard(math.sqrt, v),
    "ln": lambda v: _guard(math.log, v), "log2": lambda v: _guard(math.log2, v),
    "log10": lambda v: _guard(math.log10, v),
    "sgn": lambda v: math.copysign(1.0, v) if v != 0 else 0.0,
}


def subquery_steps(node: promql.Subquery, at: float) -> list[float]:
    """The multiples of the subquery's step in ``(at - offset - range, at - offset]``, as
    Prometheus aligns them: absolute times, not relative to ``at``."""
    end = at - node.offset
    first = math.floor((end - node.range) / node.step) + 1
    last = math.floor(end / node.step)
    return [index * node.step for index in range(first, last + 1)]


def _guard(fn: Callable[[float], float], value: float) -> float:
    try:
        return fn(value)
    except OverflowError:
        return math.inf
    except ValueError:
        return -math.inf if value == 0 else math.nan


class Evaluator:
    def __init__(self, storage: Storage, lookback: float = LOOKBACK) -> None:
        self.storage = storage
        self.lookback = lookback

    def instant(self, node: object, at: float):
        """Value of ``node`` at ``at``: Scalar, promql.String, list[Sample] or list[Series]."""
        return self.eval(node, at)

    def range(self, node: object, start: float, end: float, step: float) -> list[Series]:
        """The expression at every step; evaluated for all steps at once where
        ``promql_range`` can, otherwise step by step (the same answer)."""
        # promql_range builds on this module's functions: imported when first needed.
        from watcher.simulator.apps import promql_range

        try:
            return promql_range.RangeEvaluator(self.storage, self.lookback).range(
                node, start, end, step)
        except promql_range.Unsupported:
            return self.range_by_step(node, start, end, step)

    def range_by_step(self, node: object, start: float, end: float,
                      step: float) -> list[Series]:
        out: dict[tuple, Series] = {}
        count = int(math.floor((end - start) / step + 1e-9)) + 1
        for index in range(count):
            at = start + index * step
            value = self.eval(node, at)
            if isinstance(value, Scalar):
                value = [Sample({}, value.value)]
            elif not isinstance(value, list) or (value and isinstance(value[0], Series)):
                raise ParseError("invalid expression type for range query, must be Scalar or "
                                 "instant Vector")
            for sample in value:
                key = label_key(sample.labels)
                series = out.setdefault(key, Series(sample.labels, []))
                series.points.append((at, sample.value))
        return sorted(out.values(), key=lambda s: label_key(s.labels))

    # -- nodes ---------------------------------------------------------------------------------

    def eval(self, node: object, at: float):
        if isinstance(node, promql.Number):
            return Scalar(node.value)
        if isinstance(node, promql.String):
            return node
        if isinstance(node, promql.VectorSelector):
            return self.select_vector(node, at)
        if isinstance(node, promql.MatrixSelector):
            return self.select_matrix(node, at)
        if isinstance(node, promql.Subquery):
            return self.subquery(node, at)
        if isinstance(node, promql.Call):
            return self.call(node, at)
        if isinstance(node, promql.Aggregate):
            return self.aggregate(node, at)
        if isinstance(node, promql.Binary):
            return self.binary(node, at)
        if isinstance(node, promql.Unary):
            value = self.eval(node.expr, at)
            if isinstance(value, Scalar):
                return Scalar(-value.value)
            return [Sample(_without_name(s.labels), -s.value) for s in self.vector(value)]
        raise EvalError(f"cannot evaluate {type(node).__name__}")

    def select_vector(self, node: promql.VectorSelector, at: float) -> list[Sample]:
        ref = at - node.offset
        return [Sample(labels, points[-1][1])
                for labels, points in self.storage.select(node.matchers, ref - self.lookback, ref)
                if points]

    def select_matrix(self, node: promql.MatrixSelector, at: float) -> list[Series]:
        ref = at - node.vector.offset
        return [Series(labels, points) for labels, points in
                self.storage.select(node.vector.matchers, ref - node.range, ref) if points]

    def subquery(self, node: promql.Subquery, at: float) -> list[Series]:
        """The inner expression at each of the subquery's steps, one series per label set;
        one range evaluation, so the vectorised path serves it."""
        steps = subquery_steps(node, at)
        if not steps:
            return []
        return self.range(node.expr, steps[0], steps[-1], node.step)

    def vector(self, value) -> list[Sample]:
        if not isinstance(value, list) or (value and not isinstance(value[0], Sample)):
            raise ParseError("expected type instant vector, got " + _type_name(value))
        return value

    def scalar(self, node: object, at: float) -> float:
        value = self.eval(node, at)
        if not isinstance(value, Scalar):
            raise ParseError("expected type scalar, got " + _type_name(value))
        return value.value

    # -- functions -----------------------------------------------------------------------------

    def call(self, node: promql.Call, at: float):
        name, args = node.func, node.args
        if name in ("rate", "increase", "delta", "irate", "idelta") or name in _OVER_TIME \
                or name == "quantile_over_time":
            matrix_arg = args[-1] if args else None
            if isinstance(matrix_arg, promql.Subquery):
                return self._over_subquery(name, args, matrix_arg, at)
            if not isinstance(matrix_arg, promql.MatrixSelector):
                raise ParseError(f'expected type range vector in call to function "{name}"')
            matrix = self.select_matrix(matrix_arg, at)
            end = at - matrix_arg.vector.offset
            return self._range_function(name, args, matrix, end - matrix_arg.range, end, at)
        if name in _MATH:
            self._arity(name, args, 1)
            fn = _MATH[name]
            return [Sample(_without_name(s.labels), fn(s.value))
                    for s in self.vector(self.eval(args[0], at))]
        if name in ("clamp_max", "clamp_min", "clamp", "round"):
            return self._clamp_round(name, args, at)
        if name == "scalar":
            self._arity(name, args, 1)
            found = self.vector(self.eval(args[0], at))
            return Scalar(found[0].value if len(found) == 1 else math.nan)
        if name == "vector":
            self._arity(name, args, 1)
            return [Sample({}, self.scalar(args[0], at))]
        if name == "time":
            self._arity(name, args, 0)
            return Scalar(at)
        if name in ("sort", "sort_desc"):
            self._arity(name, args, 1)
            found = self.vector(self.eval(args[0], at))
            return sorted(found, key=lambda s: s.value, reverse=name == "sort_desc")
        raise ParseError(f'unknown function with name "{name}"')

    @staticmethod
    def _arity(name: str, args: list, count: int) -> None:
        if len(args) != count:
            raise ParseError(f'expected {count} argument(s) in call to "{name}", got '
                             f"{len(args)}")

    def _over_subquery(self, name: str, args: list, node: promql.Subquery,
                       at: float) -> list[Sample]:
        # promql_range builds on this module's functions: imported when first needed.
        from watcher.simulator.apps import promql_range

        if name in promql_range.STEP_REDUCTIONS:
            self._arity(name, args, 2 if name == "quantile_over_time" else 1)
            q = self.scalar(args[0], at) if len(args) == 2 else None
            try:
                # Every series reduced over the steps' arrays: no per-point objects.
                return promql_range.RangeEvaluator(self.storage, self.lookback).over_steps(
                    name, q, node.expr, subquery_steps(node, at))
            except promql_range.Unsupported:
                pass
        end = at - node.offset
        return self._range_function(name, args, self.subquery(node, at), end - node.range,
                                    end, at)

    def _range_function(self, name: str, args: list, matrix: list[Series], start: float,
                        end: float, at: float) -> list[Sample]:
        out = []
        if name == "quantile_over_time":
            self._arity(name, args, 2)
            q = self.scalar(args[0], at)
        else:
            self._arity(name, args, 1)
        for series in matrix:
            values = [v for _, v in series.points]
            if name in ("rate", "increase", "delta"):
                value = extrapolated_rate(series.points, start, end, name != "delta",
                                          name == "rate")
            elif name in ("irate", "idelta"):
                value = _instant_rate(series.points, name == "irate")
            elif name == "quantile_over_time":
                value = _quantile(q, values)
            else:
                value = _OVER_TIME[name](values)
            if value is None:
                continue
            # last_over_time keeps the metric name, as in Prometheus.
            labels = series.labels if name == "last_over_time" else _without_name(series.labels)
            out.append(Sample(labels, float(value)))
        return out

    def _clamp_round(self, name: str, args: list, at: float) -> list[Sample]:
        if name == "round":
            if len(args) not in (1, 2):
                self._arity(name, args, 1)
            nearest = self.scalar(args[1], at) if len(args) == 2 else 1.0
            values = self.vector(self.eval(args[0], at))
            return [Sample(_without_name(s.labels),
                           math.floor(s.value / nearest + 0.5) * nearest) for s in values]
        self._arity(name, args, 3 if name == "clamp" else 2)
        values = self.vector(self.eval(args[0], at))
        low, high = -math.inf, math.inf
        if name == "clamp":
            low, high = self.scalar(args[1], at), self.scalar(args[2], at)
            if low > high:
                return []
        elif name == "clamp_max":
            high = self.scalar(args[1], at)
        else:
            low = self.scalar(args[1], at)
        return [Sample(_without_name(s.labels), max(low, min(high, s.value))) for s in values]

    # -- aggregation ---------------------------------------------------------------------------

    def aggregate(self, node: promql.Aggregate, at: float) -> list[Sample]:
        samples = self.vector(self.eval(node.expr, at))
        param = self.scalar(node.param, at) if node.param is not None else None
        groups: dict[tuple, list[Sample]] = {}
        for sample in samples:
            if node.without:
                kept = {k: v for k, v in sample.labels.items()
                        if k not in node.grouping and k != NAME}
            else:
                kept = {k: sample.labels[k] for k in node.grouping if k in sample.labels}
            groups.setdefault(label_key(kept), []).append(sample)
        out = []
        for key, members in groups.items():
            values = [s.value for s in members]
            if node.op in ("topk", "bottomk"):
                count = int(param)
                ordered = sorted(members, key=lambda s: s.value, reverse=node.op == "topk")
                out.extend(ordered[:max(0, count)])
                continue
            out.append(Sample(dict(key), _AGGREGATORS[node.op](values, param)))
        return out

    # -- binary operators ----------------------------------------------------------------------

    def binary(self, node: promql.Binary, at: float):
        lhs, rhs = self.eval(node.lhs, at), self.eval(node.rhs, at)
        if isinstance(lhs, Scalar) and isinstance(rhs, Scalar):
            if node.op in promql.COMPARISONS:
                if not node.return_bool:
                    raise ParseError("comparisons between scalars must use BOOL modifier")
                return Scalar(float(COMPARE[node.op](lhs.value, rhs.value)))
            return Scalar(ARITHMETIC[node.op](lhs.value, rhs.value))
        if node.op in promql.SET_OPS:
            return self._set_op(node, self.vector(lhs), self.vector(rhs))
        if isinstance(lhs, Scalar) or isinstance(rhs, Scalar):
            return self._vector_scalar(node, lhs, rhs)
        return self._vector_vector(node, self.vector(lhs), self.vector(rhs))

    def _apply(self, node: promql.Binary, left: float, right: float) -> tuple[float, bool]:
        if node.op in promql.COMPARISONS:
            keep = COMPARE[node.op](left, right)
            if node.return_bool:
                return float(keep), True
            return left, keep
        return ARITHMETIC[node.op](left, right), True

    def _keeps_name(self, node: promql.Binary) -> bool:
        return node.op in promql.COMPARISONS and not node.return_bool

    def _vector_scalar(self, node: promql.Binary, lhs, rhs) -> list[Sample]:
        scalar_left = isinstance(lhs, Scalar)
        samples = self.vector(rhs if scalar_left else lhs)
        number = (lhs if scalar_left else rhs).value
        out = []
        for sample in samples:
            left, right = (number, sample.value) if scalar_left else (sample.value, number)
            value, keep = self._apply(node, left, right)
            if not keep:
                continue
            if self._keeps_name(node) and scalar_left:
                # A filter keeps the vector's own value, whichever side it is on.
                value = sample.value
            labels = sample.labels if self._keeps_name(node) else _without_name(sample.labels)
            out.append(Sample(labels, value))
        return out

    @staticmethod
    def _signature(labels: dict, node: promql.Binary) -> tuple:
        if node.on:
            return tuple((name, labels.get(name, "")) for name in sorted(node.labels))
        return tuple(sorted((k, v) for k, v in labels.items()
                            if k != NAME and k not in node.labels))

    def _vector_vector(self, node: promql.Binary, lhs: list[Sample],
                       rhs: list[Sample]) -> list[Sample]:
        many, one = (rhs, lhs) if node.card == "one-to-many" else (lhs, rhs)
        one_by_sig: dict[tuple, Sample] = {}
        for sample in one:
            sig = self._signature(sample.labels, node)
            if sig in one_by_sig:
                side = "left" if node.card == "one-to-many" else "right"
                raise EvalError(f"found duplicate series for the match group {dict(sig)} on "
                                f"the {side} hand-side of the operation; many-to-many "
                                "matching not allowed: matching labels must be unique on one "
                                "side")
            one_by_sig[sig] = sample
        matched: set[tuple] = set()
        out = []
        for sample in many:
            sig = self._signature(sample.labels, node)
            partner = one_by_sig.get(sig)
            if partner is None:
                continue
            if node.card == "one-to-one":
                if sig in matched:
                    raise EvalError("multiple matches for labels: many-to-one matching must be "
                                    "explicit (group_left/group_right)")
                matched.add(sig)
            left, right = (partner.value, sample.value) if node.card == "one-to-many" \
                else (sample.value, partner.value)
            value, keep = self._apply(node, left, right)
            if not keep:
                continue
            out.append(Sample(self._result_labels(node, sample.labels, partner.labels), value))
        return out

    def _result_labels(self, node: promql.Binary, own: dict, other: dict) -> dict:
        labels = dict(own) if self._keeps_name(node) else _without_name(own)
        if node.card == "one-to-one":
            if node.on:
                labels = {k: v for k, v in labels.items() if k in node.labels}
            else:
                labels = {k: v for k, v in labels.items() if k not in node.labels}
        for name in node.include:
            if name in other:
                labels[name] = other[name]
            else:
                labels.pop(name, None)
        return labels

    def _set_op(self, node: promql.Binary, lhs: list[Sample],
                rhs: list[Sample]) -> list[Sample]:
        right_sigs = {self._signature(s.labels, node) for s in rhs}
        if node.op == "and":
            return [s for s in lhs if self._signature(s.labels, node) in right_sigs]
        if node.op == "unless":
            return [s for s in lhs if self._signature(s.labels, node) not in right_sigs]
        left_sigs = {self._signature(s.labels, node) for s in lhs}
        return lhs + [s for s in rhs if self._signature(s.labels, node) not in left_sigs]


_AGGREGATORS: dict[str, Callable[[list[float], float | None], float]] = {
    "sum": lambda values, _: math.fsum(values),
    "avg": lambda values, _: statistics.fmean(values),
    "min": lambda values, _: min(values),
    "max": lambda values, _: max(values),
    "count": lambda values, _: float(len(values)),
    "group": lambda values, _: 1.0,
    "stddev": lambda values, _: statistics.pstdev(values),
    "stdvar": lambda values, _: statistics.pvariance(values),
    "quantile": lambda values, q: _quantile(q, values),
}


def _type_name(value) -> str:
    if isinstance(value, Scalar):
        return "scalar"
    if isinstance(value, promql.String):
        return "string"
    if isinstance(value, list) and value and isinstance(value[0], Series):
        return "range vector"
    return "instant vector"
