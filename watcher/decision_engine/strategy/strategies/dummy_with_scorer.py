"""``dummy_with_scorer``: shows a strategy using scoring engines, for tests and demos.

It walks through the whole scoring workflow: look the engines up by name, build the features
the engine's metainfo describes, score them, and read the result with the metainfo's help.
The workload classifier (``dummy_scorer``) is fed made-up telemetry and the mean scorer
(``dummy_avg_scorer``) a random sample; each result is reported in a ``nop`` message.
"""

from __future__ import annotations

import json
import random

from oslo_log import log

from watcher.decision_engine.scoring import scoring_factory
from watcher.decision_engine.strategy.strategies import base

LOG = log.getLogger(__name__)

GIB = 1024 * 1024 * 1024
MIB = 1024 * 1024


class DummyWithScorer(base.BaseStrategy):
    NAME = "dummy_with_scorer"
    DISPLAY_NAME = "Dummy Strategy using sample Scoring Engines"
    GOAL_NAME = "dummy"

    NOP = "nop"
    SLEEP = "sleep"
    SLEEP_DURATION = 5.0

    WORKLOAD_SCORER = "dummy_scorer"
    AVG_SCORER = "dummy_avg_scorer"

    def __init__(self, config=None) -> None:
        super().__init__(config)
        # Tests swap in a predictable generator; a strategy object serves a single audit.
        self.random: random.Random = random.Random()
        # Looked up when the strategy is built, as upstream: a missing engine fails the audit
        # before any action is proposed.
        self._workload_scorer = scoring_factory.get_scoring_engine(self.WORKLOAD_SCORER)
        self._avg_scorer = scoring_factory.get_scoring_engine(self.AVG_SCORER)
        metainfo = json.loads(self._workload_scorer.get_metainfo())
        # The classifier answers with an index into its published list of workloads.
        self._workloads: list[str] = list(metainfo["workloads"])

    @classmethod
    def get_schema(cls) -> dict:
        return {
            "properties": {
                "param1": {
                    "description": "number parameter example",
                    "type": "number",
                    "default": 3.2,
                    "minimum": 1.0,
                    "maximum": 10.2,
                },
                "param2": {
                    "description": "string parameter example",
                    "type": "string",
                    "default": "hello",
                },
            },
        }

    def pre_execute(self) -> None:
        # Upstream insists on a compute model here although the plan never reads it; like
        # our ``dummy`` strategy this one runs without a cloud (embedded mode, demos), so a
        # missing or stale model does not fail the audit.
        LOG.info("Initializing %s", self.get_display_name())

    def do_execute(self, audit=None) -> None:
        LOG.debug(
            "DummyWithScorer params: param1=%(p1)f, param2=%(p2)s",
            {"p1": self.input_parameters.param1, "p2": self.input_parameters.param2},
        )
        self.solution.add_action(
            self.NOP, {"message": "Hello from Dummy Strategy with Scorer!"}
        )

        scored = json.loads(self._workload_scorer.calculate_score(self._random_telemetry()))
        workload = self._workloads[scored[0]]
        LOG.debug("Detected workload: %s", workload)
        self.solution.add_action(self.NOP, {"message": f"Detected Workload: {workload}"})

        sample = self.random.sample(range(1000), 20)
        average = json.loads(self._avg_scorer.calculate_score(json.dumps(sample)))[0]
        LOG.debug("AVG scorer result: %s", average)
        self.solution.add_action(self.NOP, {"message": f"AVG Scorer result: {average}"})

        self.solution.add_action(self.SLEEP, {"duration": self.SLEEP_DURATION})

    def _random_telemetry(self) -> str:
        """Features for the classifier, in its metainfo's ``feature_columns`` order."""
        rand = self.random.randint
        return json.dumps(
            [
                rand(0, 100),  # processor time %
                4 * GIB,  # memory total
                rand(1 * GIB, 4 * GIB),  # memory available
                rand(0, 2000),  # page reads/s
                rand(0, 2000),  # page writes/s
                rand(0, 200 * MIB),  # disk read bytes/s
                rand(0, 200 * MIB),  # disk write bytes/s
                rand(0, 20 * MIB),  # network bytes received/s
                rand(0, 10 * MIB),  # network bytes sent/s
            ]
        )
