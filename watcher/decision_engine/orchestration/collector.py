"""The ``orchestration`` cluster data model collector: Heat read into an
:class:`OrchestrationModel` every ``period`` seconds.

Heat sends no notifications this collector listens to, so the model is only ever replaced
whole (the base class swaps it in under its lock); audits get their own copy.
"""

from __future__ import annotations

from oslo_config import cfg

from watcher.conf import CONF, heat_collector
from watcher.decision_engine.model.collector import base
from watcher.decision_engine.orchestration.model import DATA_MODEL_TYPE, OrchestrationModel
from watcher.decision_engine.orchestration.reader import HeatReader


class OrchestrationCollector(base.BaseClusterDataModelCollector):
    """Stacks, their resources, events and snapshots, resource types, software configs and
    deployments, as read-only tables."""

    data_model_type = DATA_MODEL_TYPE

    @classmethod
    def get_config_opts(cls) -> list[cfg.Opt]:
        return heat_collector.OPTS

    @property
    def options(self) -> cfg.ConfigOpts.GroupAttr:
        return self.config if self.config is not None else CONF[heat_collector.GROUP.name]

    def execute(self) -> OrchestrationModel:
        options = self.options
        # The [heat] group's own credentials if it has some, [watcher_clients_auth] if not.
        adapter = self.osc.connection("heat").orchestration
        reader = HeatReader(adapter, page_size=options.page_size,
                            resource_metadata=options.resource_metadata,
                            event_details=options.event_details, workers=options.workers)
        return OrchestrationModel.from_dump(base.call_retry(reader.read))

    def get_scoped_model(self, audit_scope: list | None,
                         check_optimize_metadata: bool = False) -> OrchestrationModel | None:
        """Audit scopes name compute and storage elements only, so Heat's tables are not cut
        by them: the latest model, whatever the scope (None before the first collection)."""
        return self.get_latest_cluster_data_model()
