"""Range queries evaluated for every step at once, over series x steps arrays.

``Evaluator.range`` evaluates the expression once per step; with thousands of series and
dozens of steps, the per-sample Python objects make a single query take a minute. Here each
node of the expression is evaluated once for all steps: an instant vector is a matrix of
values (series x steps) with a mask of the steps where each series has a sample, a scalar a
row of values. The arithmetic is elementwise IEEE arithmetic in the order
``promql_eval`` does it, and whatever numpy would round differently (sums of many values,
quantiles, deviations) is still computed by Python's functions, one list per series or group
and step: the answers are the same floats.

What this covers is what Watcher's datasources send (selectors, ``rate`` and the
``*_over_time`` functions, aggregation, arithmetic with scalars and one-to-one vector
matching, ``clamp*``); anything else raises :class:`Unsupported` and the caller evaluates
step by step. So does a storage whose series do not share their sample times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from watcher.simulator.apps import promql
from watcher.simulator.apps import promql_eval as scalar_eval

NAME = scalar_eval.NAME
_ELEMENTWISE = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}
_RATES = ("rate", "increase", "delta")
_INSTANT_RATES = ("irate", "idelta")
# The *_over_time functions ``over_steps`` reduces a subquery's steps with.
STEP_REDUCTIONS = {"quantile_over_time", "min_over_time", "max_over_time", "avg_over_time",
                   "sum_over_time", "count_over_time", "stddev_over_time",
                   "stdvar_over_time"}


class Unsupported(Exception):
    """Not evaluated here: the step-by-step evaluator answers instead."""


@dataclass
class Column:
    """A scalar at every step."""

    values: np.ndarray


@dataclass
class Block:
    """An instant vector at every step: ``present[i, j]`` when series ``i`` has a sample at
    step ``j``, its value ``values[i, j]``."""

    labels: list[dict]
    values: np.ndarray
    present: np.ndarray


@dataclass
class _Grid:
    """Selected series sharing their sample times."""

    labels: list[dict]
    times: np.ndarray
    values: np.ndarray


class RangeEvaluator:
    def __init__(self, storage: scalar_eval.Storage,
                 lookback: float = scalar_eval.LOOKBACK) -> None:
        self.storage = storage
        self.lookback = lookback

    def range(self, node: object, start: float, end: float,
              step: float) -> list[scalar_eval.Series]:
        """``Evaluator.range``'s answer, or :class:`Unsupported`."""
        count = int(math.floor((end - start) / step + 1e-9)) + 1
        ats = start + np.arange(count) * step
        with np.errstate(all="ignore"):
            value = self.eval(node, ats)
        times = ats.tolist()
        if isinstance(value, Column):
            return [scalar_eval.Series({}, list(zip(times, value.values.tolist(),
                                                     strict=True)))]
        keys = [scalar_eval.label_key(labels) for labels in value.labels]
        if len(set(keys)) != len(keys):
            raise Unsupported("series with the same labels")  # merged step by step
        out = []
        for labels, key, row, mask, full in zip(value.labels, keys, value.values.tolist(),
                                                value.present.tolist(),
                                                value.present.all(axis=1).tolist(),
                                                strict=True):
            points = list(zip(times, row, strict=True)) if full else [
                (at, v) for at, v, here in zip(times, row, mask, strict=True) if here]
            if points:
                out.append((key, scalar_eval.Series(labels, points)))
        return [series for _, series in sorted(out, key=lambda item: item[0])]

    def over_steps(self, name: str, q: float | None, node: object,
                   steps: list[float]) -> list[scalar_eval.Sample]:
        """``name`` (one of ``STEP_REDUCTIONS``) of each series of ``node`` over ``steps``,
        the steps where a series has no sample skipped: a subquery under an ``*_over_time``,
        ``Evaluator``'s answer to the float."""
        if not steps:
            return []
        with np.errstate(all="ignore"):
            block = self._block(node, np.array(steps, dtype=float))
        keys = [scalar_eval.label_key(labels) for labels in block.labels]
        if len(set(keys)) != len(keys):
            raise Unsupported("series with the same labels")  # merged step by step
        present = block.present
        if np.isnan(block.values[present]).any():
            raise Unsupported("NaN samples")  # Python orders them its own way
        counts = present.sum(axis=1)
        if name in ("quantile_over_time", "min_over_time", "max_over_time"):
            values = _quantiles(name, q, block.values, present, counts)
        else:
            fn = scalar_eval._OVER_TIME[name]
            values = [fn([v for v, here in zip(row, mask, strict=True) if here])
                      if count else math.nan
                      for row, mask, count in zip(block.values.tolist(), present.tolist(),
                                                  counts.tolist(), strict=True)]
        found = sorted((key, scalar_eval.Sample(_without_name([labels])[0], float(value)))
                       for key, labels, value, count in zip(keys, block.labels, values,
                                                            counts.tolist(), strict=True)
                       if count)
        return [sample for _, sample in found]

    # -- nodes ---------------------------------------------------------------------------------

    def eval(self, node: object, ats: np.ndarray) -> Column | Block:
        if isinstance(node, promql.Number):
            return Column(np.full(len(ats), node.value))
        if isinstance(node, promql.VectorSelector):
            return self.select_vector(node, ats)
        if isinstance(node, promql.Call):
            return self.call(node, ats)
        if isinstance(node, promql.Aggregate):
            return self.aggregate(node, ats)
        if isinstance(node, promql.Binary):
            return self.binary(node, ats)
        if isinstance(node, promql.Unary):
            value = self.eval(node.expr, ats)
            if isinstance(value, Column):
                return Column(-value.values)
            return Block(_without_name(value.labels), -value.values, value.present)
        raise Unsupported(type(node).__name__)

    def _grid(self, matchers: list[promql.Matcher], mint: float, maxt: float) -> _Grid:
        select_grid = getattr(self.storage, "select_grid", None)
        if select_grid is not None:
            return _Grid(*select_grid(matchers, mint, maxt))
        found = self.storage.select(matchers, mint, maxt)
        times = [t for t, _ in found[0][1]] if found else []
        if any([t for t, _ in points] != times for _, points in found):
            raise Unsupported("series sampled at different times")
        return _Grid([labels for labels, _ in found], np.array(times, dtype=float),
                     np.array([[v for _, v in points] for _, points in found],
                              dtype=float).reshape(len(found), len(times)))

    def select_vector(self, node: promql.VectorSelector, ats: np.ndarray) -> Block:
        refs = ats - node.offset
        grid = self._grid(node.matchers, float(refs.min()) - self.lookback, float(refs.max()))
        # The last sample in (ref - lookback, ref] of each step.
        last = np.searchsorted(grid.times, refs, side="right") - 1
        present = last >= 0
        if len(grid.times):
            present &= grid.times[np.clip(last, 0, None)] > refs - self.lookback
        steps = np.broadcast_to(present, (len(grid.labels), len(ats)))
        values = (grid.values[:, np.clip(last, 0, None)] if len(grid.times)
                  else np.zeros((len(grid.labels), len(ats))))
        return Block(grid.labels, values, steps.copy())

    # -- functions -----------------------------------------------------------------------------

    def call(self, node: promql.Call, ats: np.ndarray) -> Column | Block:
        name, args = node.func, node.args
        if name in _RATES or name in _INSTANT_RATES or name in scalar_eval._OVER_TIME \
                or name == "quantile_over_time":
            if not args or not isinstance(args[-1], promql.MatrixSelector):
                raise Unsupported(name)
            if len(args) != (2 if name == "quantile_over_time" else 1):
                raise Unsupported(name)
            param = self._column(args[0], ats) if len(args) == 2 else None
            return self._range_function(name, args[-1], param, ats)
        if name in ("clamp_max", "clamp_min", "clamp"):
            if len(args) != (3 if name == "clamp" else 2):
                raise Unsupported(name)
            return self._clamp(name, args, ats)
        if name == "time" and not args:
            return Column(ats.copy())
        raise Unsupported(name)

    def _column(self, node: object, ats: np.ndarray) -> np.ndarray:
        value = self.eval(node, ats)
        if not isinstance(value, Column):
            raise Unsupported("expected a scalar")
        return value.values

    def _range_function(self, name: str, matrix: promql.MatrixSelector,
                        param: np.ndarray | None, ats: np.ndarray) -> Block:
        ends = ats - matrix.vector.offset
        starts = ends - matrix.range
        grid = self._grid(matrix.vector.matchers, float(starts.min()), float(ends.max()))
        firsts = np.searchsorted(grid.times, starts, side="right")
        lasts = np.searchsorted(grid.times, ends, side="right")
        count = len(grid.labels)
        values = np.zeros((count, len(ats)))
        present = np.zeros((count, len(ats)), dtype=bool)
        # Python's functions take lists: every series' samples as floats once, sliced per step.
        rows = grid.values.tolist() if name not in _RATES and name not in _INSTANT_RATES \
            and name not in ("last_over_time", "avg_over_time") else []
        for step, (first, last) in enumerate(zip(firsts.tolist(), lasts.tolist(),
                                                 strict=True)):
            if last - first < (2 if name in _RATES or name in _INSTANT_RATES else 1):
                continue
            times, window = grid.times[first:last], grid.values[:, first:last]
            if name in _RATES:
                values[:, step] = _extrapolated_rate(times, window, float(starts[step]),
                                                     float(ends[step]), name != "delta",
                                                     name == "rate")
            elif name in _INSTANT_RATES:
                delta = window[:, -1] - window[:, -2]
                if name == "irate":
                    delta = np.where(window[:, -1] < window[:, -2], window[:, -1], delta)
                    delta = delta / (times[-1] - times[-2])
                values[:, step] = delta
            elif name == "last_over_time":
                values[:, step] = window[:, -1]
            elif name == "quantile_over_time":
                q = float(param[step])
                values[:, step] = [scalar_eval._quantile(q, row[first:last]) for row in rows]
            elif name == "avg_over_time":
                values[:, step] = _kahan_sum(window) / (last - first)
            else:
                fn = scalar_eval._OVER_TIME[name]
                values[:, step] = [fn(row[first:last]) for row in rows]
            present[:, step] = True
        # last_over_time keeps the metric name, as in Prometheus.
        labels = grid.labels if name == "last_over_time" else _without_name(grid.labels)
        return Block(labels, values, present)

    def _clamp(self, name: str, args: list, ats: np.ndarray) -> Block:
        block = self._block(args[0], ats)
        low = np.full(len(ats), -math.inf)
        high = np.full(len(ats), math.inf)
        present = block.present
        if name == "clamp":
            low, high = self._column(args[1], ats), self._column(args[2], ats)
            present = present & ~(low > high)  # an empty vector at those steps
        elif name == "clamp_max":
            high = self._column(args[1], ats)
        else:
            low = self._column(args[1], ats)
        # max(low, min(high, v)) as Python picks: v unless high is below it, then the same
        # against low.
        capped = np.where(block.values < high, block.values, high)
        return Block(_without_name(block.labels), np.where(capped > low, capped, low), present)

    def _block(self, node: object, ats: np.ndarray) -> Block:
        value = self.eval(node, ats)
        if not isinstance(value, Block):
            raise Unsupported("expected an instant vector")
        return value

    # -- aggregation ---------------------------------------------------------------------------

    def aggregate(self, node: promql.Aggregate, ats: np.ndarray) -> Block:
        if node.op not in scalar_eval._AGGREGATORS:
            raise Unsupported(node.op)  # topk, bottomk...
        block = self._block(node.expr, ats)
        param = self._column(node.param, ats) if node.param is not None else None
        groups: dict[tuple, list[int]] = {}
        for row, labels in enumerate(block.labels):
            if node.without:
                kept = {k: v for k, v in labels.items() if k not in node.grouping and k != NAME}
            else:
                kept = {k: labels[k] for k in node.grouping if k in labels}
            groups.setdefault(scalar_eval.label_key(kept), []).append(row)
        values = np.zeros((len(groups), len(ats)))
        present = np.zeros((len(groups), len(ats)), dtype=bool)
        reduce = scalar_eval._AGGREGATORS[node.op]
        members = list(groups.values())
        # Groups of one series (``avg by (resource)``: thousands of them) all at once.
        singles = {number: rows[0] for number, rows in enumerate(members)
                   if len(rows) == 1 and node.op in _SINGLE}
        if singles:
            picked = list(singles.values())
            values[list(singles)] = _SINGLE[node.op](block.values[picked])
            present[list(singles)] = block.present[picked]
        for number, rows in enumerate(members):
            if number in singles:
                continue
            present[number] = block.present[rows].any(axis=0)
            members_at, here = block.values[rows].T.tolist(), block.present[rows].T.tolist()
            for step in np.flatnonzero(present[number]).tolist():
                found = [v for v, h in zip(members_at[step], here[step], strict=True) if h]
                values[number, step] = reduce(found, None if param is None
                                              else float(param[step]))
        return Block([dict(key) for key in groups], values, present)

    # -- binary operators ----------------------------------------------------------------------

    def binary(self, node: promql.Binary, ats: np.ndarray) -> Column | Block:
        if node.op not in _ELEMENTWISE:
            raise Unsupported(node.op)  # comparisons, set operators, %, ^, atan2
        operate = _ELEMENTWISE[node.op]
        lhs, rhs = self.eval(node.lhs, ats), self.eval(node.rhs, ats)
        if isinstance(lhs, Column) and isinstance(rhs, Column):
            return Column(operate(lhs.values, rhs.values))
        if isinstance(lhs, Column):
            return Block(_without_name(rhs.labels), operate(lhs.values, rhs.values),
                         rhs.present)
        if isinstance(rhs, Column):
            return Block(_without_name(lhs.labels), operate(lhs.values, rhs.values),
                         lhs.present)
        return self._one_to_one(node, operate, lhs, rhs)

    @staticmethod
    def _one_to_one(node: promql.Binary, operate, lhs: Block, rhs: Block) -> Block:
        if node.card != "one-to-one" or node.on or node.labels or node.include:
            raise Unsupported("vector matching other than one-to-one on all labels")

        def signature(labels: dict) -> tuple:
            return tuple(sorted((k, v) for k, v in labels.items() if k != NAME))

        left = [signature(labels) for labels in lhs.labels]
        right = {signature(labels): row for row, labels in enumerate(rhs.labels)}
        if len(right) != len(rhs.labels) or len(set(left)) != len(left):
            raise Unsupported("duplicate series on a side")  # an error at some steps only
        pairs = [(row, right[sig]) for row, sig in enumerate(left) if sig in right]
        mine = [row for row, _ in pairs]
        theirs = [row for _, row in pairs]
        return Block(_without_name([lhs.labels[row] for row in mine]),
                     operate(lhs.values[mine], rhs.values[theirs]).reshape(
                         len(pairs), lhs.values.shape[1]),
                     lhs.present[mine] & rhs.present[theirs])


def _extrapolated_rate(times: np.ndarray, window: np.ndarray, range_start: float,
                       range_end: float, is_counter: bool, is_rate: bool) -> np.ndarray:
    """``promql_eval.extrapolated_rate`` of every row of ``window`` (sampled at ``times``,
    at least two), the same operations in the same order."""
    first_t, last_t = float(times[0]), float(times[-1])
    first_v, last_v = window[:, 0], window[:, -1]
    result = last_v - first_v
    if is_counter:
        for before, after in zip(window.T[:-1], window.T[1:], strict=True):
            result = np.where(after < before, result + before, result)
    to_start = np.full(len(result), first_t - range_start)
    to_end = range_end - last_t
    sampled = last_t - first_t
    average = sampled / (len(times) - 1)
    if is_counter:
        # min(to_start, bound) as Python picks: the bound only when it is below.
        bound = sampled * (first_v / result)
        limited = (result > 0) & (first_v >= 0) & (bound < to_start)
        to_start = np.where(limited, bound, to_start)
    threshold = average * 1.1
    stretched = sampled + np.where(to_start < threshold, to_start, average / 2)
    stretched = stretched + (to_end if to_end < threshold else average / 2)
    result = result * (stretched / sampled)
    if is_rate:
        result = result / (range_end - range_start)
    return result


def _kahan_sum(window: np.ndarray) -> np.ndarray:
    """``promql_eval.kahan_sum`` of each row, column by column: the same float operations."""
    total = np.zeros(len(window))
    compensation = np.zeros(len(window))
    with np.errstate(all="ignore"):
        for column in window.T:
            summed = total + column
            step = np.where(np.abs(total) >= np.abs(column), (total - summed) + column,
                            (column - summed) + total)
            compensation = np.where(np.isinf(summed), 0.0, compensation + step)
            total = summed
    return total + compensation


def _quantiles(name: str, q: float | None, values: np.ndarray, present: np.ndarray,
               counts: np.ndarray) -> np.ndarray:
    """Per row, over its present steps: min, max, or ``promql_eval._quantile``'s
    interpolation between the two nearest ranks, in the same float operations."""
    if name == "min_over_time":
        return np.where(present, values, math.inf).min(axis=1, initial=math.inf)
    if name == "max_over_time":
        return np.where(present, values, -math.inf).max(axis=1, initial=-math.inf)
    if q is None or not 0 <= q <= 1:
        raise Unsupported("quantile outside [0, 1]")
    # Missing steps sort last as NaN, after the row's own samples.
    ordered = np.sort(np.where(present, values, math.nan), axis=1)
    rank = q * (np.maximum(counts, 1) - 1).astype(float)
    low = np.floor(rank).astype(int)
    high = np.minimum(low + 1, np.maximum(counts, 1) - 1)
    weight = rank - low
    rows = np.arange(len(values))
    return ordered[rows, low] * (1 - weight) + ordered[rows, high] * weight


def _without_name(labels: list[dict]) -> list[dict]:
    return [scalar_eval._without_name(own) for own in labels]


# Aggregations of a group of one series, elementwise: math.fsum([v]) is v + 0.0 (a negative
# zero sums to zero), fmean the same over one.
_SINGLE = {
    "sum": lambda values: values + 0.0,
    "avg": lambda values: values + 0.0,
    "min": lambda values: values,
    "max": lambda values: values,
    "count": np.ones_like,
    "group": np.ones_like,
}
