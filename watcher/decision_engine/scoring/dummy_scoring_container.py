"""``dummy_scoring_container``: one plugin exposing three aggregate scorers.

It demonstrates containers, which let one entry point publish several engines (possibly a
list that changes between syncs). Each engine takes a JSON array of numbers and returns a
JSON array holding one number: the minimum, maximum or mean.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from oslo_log import log

from watcher.decision_engine.scoring import base
from watcher.decision_engine.scoring.dummy_scorer import parse_number_list

LOG = log.getLogger(__name__)

Aggregate = Callable[[Sequence[float]], float]


def _mean(values: Sequence[float]) -> float:
    # Always a float, even for integer inputs, as upstream's average scorer returns.
    return float(sum(values)) / len(values)


class SimpleFunctionScorer(base.ScoringEngine):
    """An engine applying one aggregate function to a JSON array of numbers."""

    def __init__(self, name: str, description: str, aggregate: Aggregate) -> None:
        super().__init__(config=None)
        self._name = name
        self._description = description
        self._aggregate = aggregate

    def get_name(self) -> str:
        return self._name

    def get_description(self) -> str:
        return self._description

    def get_metainfo(self) -> str:
        # Nothing to publish: the input is any non-empty array, the output one number.
        return ""

    def calculate_score(self, features: str) -> str:
        LOG.debug("Calculating %s score, features: %s", self._name, features)
        values = parse_number_list(features)
        if not values:
            raise ValueError("At least one feature is required")
        return json.dumps([self._aggregate(values)])


class DummyScoringContainer(base.ScoringEngineContainer):
    """Provides ``dummy_min_scorer``, ``dummy_max_scorer`` and ``dummy_avg_scorer``."""

    @classmethod
    def get_scoring_engine_list(cls) -> list[base.ScoringEngine]:
        return [
            SimpleFunctionScorer(
                "dummy_min_scorer", "Dummy Scorer calculating the minimum value", min
            ),
            SimpleFunctionScorer(
                "dummy_max_scorer", "Dummy Scorer calculating the maximum value", max
            ),
            SimpleFunctionScorer(
                "dummy_avg_scorer", "Dummy Scorer calculating the average value", _mean
            ),
        ]
