"""Strategy context: picks the audit's strategy, prepares its inputs and runs it."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable

import jsonschema
from oslo_config import cfg
from oslo_log import log

from watcher import objects
from watcher.common import clients, exception, loader
from watcher.decision_engine.datasources import manager as datasource_manager
from watcher.decision_engine.model.collector import manager as collector_manager
from watcher.notifications import events

LOG = log.getLogger(__name__)

STRATEGIES_NAMESPACE = "watcher_strategies"


def select_strategy_class(context, audit) -> type:
    """The audit's strategy, else the first installed strategy (by name) of its goal."""
    if audit.strategy_id:
        name = objects.Strategy.get_by_id(context, audit.strategy_id).name
        return loader.load_class(STRATEGIES_NAMESPACE, name)
    goal = objects.Goal.get_by_id(context, audit.goal_id)
    for _name, cls in sorted(loader.list_classes(STRATEGIES_NAMESPACE).items()):
        if cls.get_goal_name() == goal.name:
            return cls
    raise exception.NoAvailableStrategyForGoal(goal=goal.name)


def fill_defaults(schema: dict, parameters: dict | None) -> dict:
    """Validate ``parameters`` against ``schema`` with the schema's defaults filled in."""
    values = copy.deepcopy(parameters or {})
    for name, spec in (schema.get("properties") or {}).items():
        if name not in values and "default" in spec:
            values[name] = copy.deepcopy(spec["default"])
    try:
        jsonschema.Draft4Validator(schema).validate(values)
    except jsonschema.ValidationError as exc:
        raise exception.InvalidParameter(
            parameter=".".join(str(p) for p in exc.path) or "parameters",
            parameter_type=exc.message,
        ) from exc
    return values


def strategy_config(cls: type):
    group = f"{STRATEGIES_NAMESPACE}.{cls.get_name()}"
    return cfg.CONF[group] if group in cfg.CONF else None


def datasource_loader(strategy) -> Callable[[], object]:
    """Builds the metrics reader of one audit: the first datasource (the strategy group's
    ``datasources`` when set, else ``[watcher_datasources]``) holding every metric the strategy
    reads. A new manager per audit, so each audit starts with empty metric caches."""

    def load():
        manager = datasource_manager.DataSourceManager(
            config=strategy.config, osc=clients.OpenStackClients()
        )
        return manager.get_backend(strategy.DATASOURCE_METRICS)

    return load


def execute_strategy(context, audit, compute_model=None):
    """Run the audit's strategy and return its Solution (audit.strategy.* notifications)."""
    cls = select_strategy_class(context, audit)
    strategy = cls(config=strategy_config(cls))
    strategy.input_parameters.update(fill_defaults(cls.get_schema(), audit.parameters))
    strategy.audit_scope = audit.scope or []
    if compute_model is None:
        compute_model = collector_manager.compute_model_for(
            strategy.audit_scope,
            bool(getattr(strategy.config, "check_optimize_metadata", False)),
        )
    if compute_model is not None:
        strategy.compute_model = compute_model
    for name in ("storage", "baremetal"):
        strategy.model_loaders[name] = functools.partial(
            collector_manager.model_for, name, strategy.audit_scope
        )
    if strategy.DATASOURCE_METRICS:
        strategy.datasource_loader = datasource_loader(strategy)
    events.send_phase(context, audit, "audit.strategy", "start")
    try:
        solution = strategy.execute(audit)
    except Exception as exc:
        events.send_phase(context, audit, "audit.strategy", "error", exc)
        raise
    events.send_phase(context, audit, "audit.strategy", "end")
    return solution
