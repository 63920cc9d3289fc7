"""Prometheus HTTP API (``/api/v1/...``) over the simulated cloud's metrics, on its own port
because Watcher's Prometheus client is configured with a host and port, not a URL path.

Queries are PromQL (``promql`` parses, ``promql_eval`` evaluates) over the series
``prom_series`` derives from the scenario. The same port is also listed in the catalog as
``metric-storage`` (Aetos, the Keystone-authenticated Prometheus proxy Watcher can use).
"""

import datetime
import decimal
import json

from watcher.common import cyclic_gc
from watcher.simulator.apps import prom_series, promql
from watcher.simulator.apps.promql_eval import EvalError, Evaluator, Scalar, Series
from watcher.simulator.wsgi import HTTPError, Raw, ServiceApp

MAX_POINTS = 11000
VERSION = "2.53.0"
_ERROR_TYPES = {400: "bad_data", 404: "not_found", 405: "bad_data", 422: "execution",
                503: "unavailable"}


_NOT_FINITE = {"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}


def format_value(value: float) -> str:
    """Go's ``strconv.FormatFloat(v, 'f', -1, 64)``, which Prometheus uses for sample values."""
    # The common cases first: a range answer formats hundreds of thousands of values.
    text = repr(float(value))
    if text.endswith(".0"):
        return text[:-2]
    if "e" in text:
        text = format(decimal.Decimal(text), "f")
        return text[:-2] if text.endswith(".0") else text
    return _NOT_FINITE.get(text, text)


def format_values(values: list[float]) -> list[str]:
    """``format_value`` of each: the common case (finite, no exponent) without a call per
    value, for the hundreds of thousands of values of a range answer."""
    texts = [text[:-2] if text.endswith(".0") else text for text in map(repr, map(float, values))]
    joined = "".join(texts)
    if "e" in joined or "n" in joined:  # an exponent, nan or inf: each value its own way
        return [format_value(value) for value in values]
    return texts


def format_time(at: float) -> float | int:
    """Prometheus writes sample times as seconds with at most millisecond precision."""
    rounded = round(at, 3)
    return int(rounded) if rounded == int(rounded) else rounded


def _sorted(labels: dict) -> dict:
    # Prometheus writes a series' labels in name order.
    return dict(sorted(labels.items()))


def parse_time(text: str, name: str) -> float:
    try:
        return float(text)
    except ValueError:
        pass
    try:
        stamp = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as err:
        raise HTTPError(400, f'invalid parameter "{name}": cannot parse "{text}" to a valid '
                             "timestamp") from err
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=datetime.timezone.utc)
    return stamp.timestamp()


def parse_step(text: str) -> float:
    try:
        return promql.parse_duration(text)
    except promql.ParseError as err:
        raise HTTPError(400, f'invalid parameter "step": cannot parse "{text}" to a valid '
                             "duration") from err


class PrometheusApp(ServiceApp):
    name = "prometheus"
    prefix = "/"
    own_port = True
    catalog = [("metric-storage", "aetos", "")]
    public_paths = (r".*",)

    def __init__(self, sim) -> None:
        super().__init__(sim)
        self.store = prom_series.PrometheusStore(self.state)
        self.evaluator = Evaluator(self.store)
        self.started_at = self.state.clock.now()
        # A real Prometheus has its history and index on disk before anyone asks: generate
        # them now.
        self.state.metrics.prepare(self.started_at)
        self.store.prepare()

    def routes(self) -> None:
        add = self.router.add
        for method in ("GET", "POST"):
            add(method, "/api/v1/query", self.query)
            add(method, "/api/v1/query_range", self.query_range)
            add(method, "/api/v1/series", self.series)
            add(method, "/api/v1/labels", self.labels)
        add("GET", "/api/v1/label/{label}/values", self.label_values)
        add("GET", "/api/v1/targets", self.targets)
        add("GET", "/api/v1/status/buildinfo", self.buildinfo)
        add("GET", "/api/v1/status/runtimeinfo", self.runtimeinfo)
        add("GET", "/-/ready", lambda ctx: (200, Raw(b"Prometheus Server is Ready.\n")))
        add("GET", "/-/healthy", lambda ctx: (200, Raw(b"Prometheus Server is Healthy.\n")))

    def error_body(self, status: int, message: str) -> dict:
        return {"status": "error", "errorType": _ERROR_TYPES.get(status, "internal"),
                "error": message}

    @staticmethod
    def _param(ctx, name: str, default: str | None = None) -> str | None:
        # Prometheus takes its parameters from the query string or a form-encoded body.
        return ctx.req.params.get(name, default)

    def _parse(self, text: str | None) -> object:
        try:
            return promql.parse(text or "")
        except promql.ParseError as err:
            raise HTTPError(400, f'invalid parameter "query": {err}') from err

    def _run(self, fn, *args):
        try:
            return fn(*args)
        except promql.ParseError as err:
            raise HTTPError(400, str(err)) from err
        except EvalError as err:
            raise HTTPError(422, str(err)) from err

    @staticmethod
    def _ok(data) -> tuple:
        return 200, {"status": "success", "data": data}

    # -- queries -------------------------------------------------------------------------------

    def query(self, ctx):
        node = self._parse(self._param(ctx, "query"))
        raw_time = self._param(ctx, "time")
        at = parse_time(raw_time, "time") if raw_time else self.state.clock.now()
        value = self._run(self.evaluator.instant, node, at)
        stamp = format_time(at)
        if isinstance(value, Scalar):
            return self._ok({"resultType": "scalar",
                             "result": [stamp, format_value(value.value)]})
        if isinstance(value, promql.String):
            return self._ok({"resultType": "string", "result": [stamp, value.value]})
        if isinstance(node, (promql.MatrixSelector, promql.Subquery)):
            return self._matrix_answer(value)
        return self._ok({"resultType": "vector", "result": [
            {"metric": _sorted(sample.labels), "value": [stamp, format_value(sample.value)]}
            for sample in value]})

    def query_range(self, ctx):
        node = self._parse(self._param(ctx, "query"))
        start = parse_time(self._required(ctx, "start"), "start")
        end = parse_time(self._required(ctx, "end"), "end")
        step = parse_step(self._required(ctx, "step"))
        if end < start:
            raise HTTPError(400, 'invalid parameter "end": end timestamp must not be before '
                                 "start time")
        if step <= 0:
            raise HTTPError(400, 'invalid parameter "step": zero or negative query resolution '
                                 "step widths are not accepted. Try a positive integer")
        if (end - start) / step > MAX_POINTS:
            raise HTTPError(400, "exceeded maximum resolution of 11,000 points per timeseries. "
                                 "Try decreasing the query resolution (?step=XX)")
        # Series x steps of Python floats and lists, no reference cycles.
        with cyclic_gc.paused():
            matrix = self._run(self.evaluator.range, node, start, end, step)
            return self._matrix_answer(matrix)

    def _required(self, ctx, name: str) -> str:
        value = self._param(ctx, name)
        if value is None:
            raise HTTPError(400, f'invalid parameter "{name}": cannot parse "" to a valid '
                                 f"{'duration' if name == 'step' else 'timestamp'}")
        return value

    @staticmethod
    def _matrix_answer(series: list[Series]) -> tuple:
        """``_ok`` of a matrix, rendered as JSON here: an answer for every server is close to
        a million values, and strings joined are several times faster than lists of lists
        encoded (the same document)."""
        prefixes: dict[float, str] = {}  # '[<stamp>,"' of each step, the same in every series
        parts = []
        for one in series:
            times = [t for t, _ in one.points]
            for at in times:
                if at not in prefixes:
                    prefixes[at] = "[" + json.dumps(format_time(at)) + ',"'
            texts = format_values([v for _, v in one.points])  # digits, signs, NaN, Inf
            values = ",".join([prefixes[at] + text + '"]'
                               for at, text in zip(times, texts, strict=True)])
            parts.append('{"metric":' + json.dumps(_sorted(one.labels), separators=(",", ":"))
                         + ',"values":[' + values + "]}")
        return 200, Raw(('{"status":"success","data":{"resultType":"matrix","result":['
                         + ",".join(parts) + "]}}").encode())

    # -- metadata ------------------------------------------------------------------------------

    def _selected(self, ctx, required: bool) -> list[dict] | None:
        texts = ctx.req.params.getall("match[]")
        if not texts:
            if required:
                raise HTTPError(400, "no match[] parameter provided")
            return None
        found: dict[tuple, dict] = {}
        for text in texts:
            node = self._parse(text)
            if not isinstance(node, promql.VectorSelector):
                raise HTTPError(400, f'invalid parameter "match[]": {text} is not a selector')
            for labels, _ in self.store.matching(node.matchers):
                found[tuple(sorted(labels.items()))] = labels
        return [found[key] for key in sorted(found)]

    def series(self, ctx):
        return self._ok(self._selected(ctx, required=True))

    def labels(self, ctx):
        selected = self._selected(ctx, required=False)
        if selected is None:
            return self._ok(self.store.label_names())
        return self._ok(sorted({name for labels in selected for name in labels}))

    def label_values(self, ctx, label: str):
        selected = self._selected(ctx, required=False)
        if selected is None:
            selected = [labels for labels, _ in self.store.matching([])]
        return self._ok(sorted({labels[label] for labels in selected if label in labels}))

    def targets(self, ctx):
        wanted = self._param(ctx, "state", "any")
        now = self.state.clock.now()
        scraped = self.state.clock.isotime(now - now % prom_series.SCRAPE_INTERVAL)
        active = []
        for labels, url, up in self.store.targets():
            active.append({
                "discoveredLabels": {"__address__": labels["instance"],
                                     "__metrics_path__": "/metrics", "__scheme__": "http",
                                     "job": labels["job"]},
                "labels": labels, "scrapePool": labels["job"], "scrapeUrl": url,
                "globalUrl": url, "lastError": "" if up else "connection refused",
                "lastScrape": scraped, "lastScrapeDuration": 0.012,
                "health": "up" if up else "down", "scrapeInterval": "1m",
                "scrapeTimeout": "10s"})
        return self._ok({"activeTargets": active if wanted in ("any", "active") else [],
                         "droppedTargets": []})

    def buildinfo(self, ctx):
        return self._ok({"version": VERSION, "revision": "watcher-simulator", "branch": "HEAD",
                         "buildUser": "watcher@simulator", "buildDate": "20240101-00:00:00",
                         "goVersion": "go1.22.4"})

    def runtimeinfo(self, ctx):
        started = self.state.clock.isotime(self.started_at)
        return self._ok({"startTime": started, "CWD": "/prometheus",
                         "reloadConfigSuccess": True, "lastConfigTime": started,
                         "corruptionCount": 0, "goroutineCount": 42, "GOMAXPROCS": 2,
                         "GOMEMLIMIT": 0, "GOGC": "", "GODEBUG": "",
                         "storageRetention": "15d"})
