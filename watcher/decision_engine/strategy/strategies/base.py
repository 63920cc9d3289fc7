"""Shape of a strategy plugin (entry-point group ``watcher_strategies``).

A strategy has a name, belongs to one goal, publishes a JSON schema of its parameters and
produces a Solution from ``execute``. It receives its inputs (parameters, scope, cluster data
model) from the strategy context and never talks to collectors or cloud clients itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from oslo_config import cfg

from watcher.common import exception, loader
from watcher.decision_engine.solution import base as solution_base

GOAL_NAMESPACE = "watcher_goals"
_BUILDING_DATASOURCE = threading.Lock()


class Parameters(dict):
    """Strategy input parameters, readable as attributes (``self.input_parameters.para1``)."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


class BaseStrategy:
    NAME: str = ""
    DISPLAY_NAME: str = ""
    GOAL_NAME: str = ""
    # The planner that orders this strategy's actions (the audit handler loads this one).
    planner: str = "weight"
    # Metrics the strategy reads: the datasource it is given provides all of them.
    DATASOURCE_METRICS: tuple[str, ...] = ()

    def __init__(self, config: cfg.ConfigOpts | None = None) -> None:
        self.config = config
        self.input_parameters = Parameters()
        self.audit_scope: list = []
        self._compute_model = None
        self._datasource_backend = None
        # Set by the strategy context: builds this audit's metrics reader on first use.
        self.datasource_loader: Callable[[], Any] | None = None
        self._storage_model = None
        self._baremetal_model = None
        # Set by the strategy context: read the audit's storage/baremetal model on first use,
        # so strategies that never look at them never wait for those collectors.
        self.model_loaders: dict[str, Callable[[], Any]] = {}
        goal = loader.load_class(GOAL_NAMESPACE, self.get_goal_name())
        self.solution = solution_base.Solution(goal=goal, strategy=self)

    @classmethod
    def get_name(cls) -> str:
        return cls.NAME

    @classmethod
    def get_display_name(cls) -> str:
        return cls.DISPLAY_NAME

    @classmethod
    def get_translatable_display_name(cls) -> str:
        return cls.DISPLAY_NAME

    @classmethod
    def get_goal_name(cls) -> str:
        return cls.GOAL_NAME

    @classmethod
    def get_schema(cls) -> dict:
        return {"properties": {}}

    @classmethod
    def get_config_opts(cls) -> list:
        return []

    @property
    def compute_model(self):
        if self._compute_model is None:
            raise exception.ClusterStateNotDefined()
        if getattr(self._compute_model, "stale", False):
            raise exception.ClusterStateStale()
        return self._compute_model

    @compute_model.setter
    def compute_model(self, model) -> None:
        self._compute_model = model

    def _loaded_model(self, name: str):
        attribute = f"_{name}_model"
        if getattr(self, attribute) is None and name in self.model_loaders:
            setattr(self, attribute, self.model_loaders[name]())
        model = getattr(self, attribute)
        if model is None:
            raise exception.ClusterStateNotDefined()
        if getattr(model, "stale", False):
            raise exception.ClusterStateStale()
        return model

    @property
    def storage_model(self):
        return self._loaded_model("storage")

    @storage_model.setter
    def storage_model(self, model) -> None:
        self._storage_model = model

    @property
    def baremetal_model(self):
        return self._loaded_model("baremetal")

    @baremetal_model.setter
    def baremetal_model(self, model) -> None:
        self._baremetal_model = model

    @property
    def datasource_backend(self):
        """The audit's metrics reader (a datasource with upstream's read methods and the bulk
        ``host_metric_all``/``instance_metric_all``), built on first use."""
        if self._datasource_backend is None:
            # Strategies read metrics from several threads: one reader for all of them.
            with _BUILDING_DATASOURCE:
                if self._datasource_backend is None:
                    if self.datasource_loader is None:
                        raise exception.NoDatasourceAvailable()
                    self._datasource_backend = self.datasource_loader()
        return self._datasource_backend

    @datasource_backend.setter
    def datasource_backend(self, backend) -> None:
        self._datasource_backend = backend

    def pre_execute(self) -> None:
        """Check inputs before the search (e.g. that the model is present)."""

    def do_execute(self, audit=None) -> None:
        raise NotImplementedError

    def post_execute(self) -> None:
        """Record efficacy indicators on the solution."""

    def execute(self, audit=None) -> solution_base.Solution:
        self.pre_execute()
        self.do_execute(audit)
        self.post_execute()
        self.solution.compute_global_efficacy()
        return self.solution
