"""``GET /v1/strategies/{name}/state``: can this strategy run here, now?

Rows as upstream's strategy endpoint sends them (``type``, ``state``, ``mandatory``,
``comment``): the datasource the strategy would read, each of its metrics, each cluster data
model, and its name.
"""

from __future__ import annotations

from oslo_log import log

from watcher.common import exception, loader
from watcher.decision_engine.model.collector import manager as collector_manager
from watcher.decision_engine.strategy import context as strategy_context

LOG = log.getLogger(__name__)

NO_DATASOURCE = "Datasource is not presented for this strategy"
MODELS = ("compute", "storage", "baremetal")


def strategy_info(strategy_name: str) -> list[dict]:
    cls = loader.load_class(strategy_context.STRATEGIES_NAMESPACE, strategy_name)
    strategy = cls(config=strategy_context.strategy_config(cls))
    backend, failure = _metrics_reader(strategy)
    return [
        _datasource_row(backend, failure),
        _metrics_row(strategy, backend),
        _models_row(),
        {"type": "Name", "state": cls.get_name(), "mandatory": "", "comment": ""},
    ]


def _metrics_reader(strategy) -> tuple[object | None, str]:
    if not strategy.DATASOURCE_METRICS:
        return None, NO_DATASOURCE
    try:
        return strategy_context.datasource_loader(strategy)(), ""
    except exception.WatcherException as exc:
        # No configured datasource holds the metrics: the row says why.
        return None, str(exc)


def _datasource_row(backend, failure: str) -> dict:
    state = f"{backend.NAME}: {backend.check_availability()}" if backend else failure
    return {"type": "Datasource", "state": state, "mandatory": True, "comment": ""}


def _metrics_row(strategy, backend) -> dict:
    metrics = []
    if backend is not None:
        try:
            held = backend.list_metrics()
        except Exception as exc:  # the datasource is down: every metric is unavailable
            LOG.warning("%s: cannot list metrics: %s", backend.NAME, exc)
            held = set()
        for metric in strategy.DATASOURCE_METRICS:
            name = backend.METRIC_MAP.get(metric)
            metrics.append({name: "available" if name in held else "not available"})
    return {"type": "Metrics", "state": metrics, "mandatory": False, "comment": ""}


def _models_row() -> dict:
    models = []
    for name in MODELS:
        models.append({f"{name}_model": "available" if _model_ready(name) else "not available"})
    return {"type": "CDM", "state": models, "mandatory": True, "comment": ""}


def _model_ready(name: str) -> bool:
    manager = collector_manager.get_collector_manager()
    try:
        collector = manager.get_cluster_model_collector(name)
    except exception.DataModelTypeNotFound:
        # Not collected periodically: strategies needing it collect it per audit.
        model = collector_manager.model_for(name, [])
    else:
        model = collector.get_latest_cluster_data_model()
    return model is not None and not model.stale
