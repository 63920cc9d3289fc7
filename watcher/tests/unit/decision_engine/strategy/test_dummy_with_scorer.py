import json

import pytest

from watcher.common import exception
from watcher.decision_engine.planner import weight
from watcher.decision_engine.scoring import scoring_factory
from watcher.decision_engine.strategy import context as strategy_context
from watcher.decision_engine.strategy.strategies import dummy_with_scorer

MIB = 1024 * 1024
GIB = 1024 * MIB


class Highest:
    """A random.Random stand-in: every draw is its upper bound, samples take the first k."""

    def __init__(self):
        self.randint_calls = []

    def randint(self, low, high):
        self.randint_calls.append((low, high))
        return high

    def sample(self, population, k):
        return list(population)[:k]


def build(parameters=None, rng=None):
    strategy = dummy_with_scorer.DummyWithScorer()
    strategy.input_parameters.update(
        strategy_context.fill_defaults(strategy.get_schema(), parameters or {})
    )
    if rng is not None:
        strategy.random = rng
    return strategy


def nop(message):
    return {"action_type": "nop", "input_parameters": {"message": message}}


SLEEP = {"action_type": "sleep", "input_parameters": {"duration": 5.0}}


def test_identity_and_schema():
    cls = dummy_with_scorer.DummyWithScorer
    assert (cls.get_name(), cls.get_display_name(), cls.get_goal_name()) == (
        "dummy_with_scorer", "Dummy Strategy using sample Scoring Engines", "dummy"
    )
    assert cls.get_schema() == {
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


def test_exact_plan_with_predictable_draws():
    rng = Highest()
    solution = build(rng=rng).execute()
    # Every draw at its maximum: CPU 100 % makes the classifier answer cpu-intensive; the
    # sample is 0..19, whose mean is 9.5.
    assert solution.actions == [
        nop("Hello from Dummy Strategy with Scorer!"),
        nop("Detected Workload: cpu-intensive"),
        nop("AVG Scorer result: 9.5"),
        SLEEP,
    ]
    # The telemetry ranges, in the classifier's feature order (memory total is fixed).
    assert rng.randint_calls == [
        (0, 100),
        (1 * GIB, 4 * GIB),
        (0, 2000),
        (0, 2000),
        (0, 200 * MIB),
        (0, 200 * MIB),
        (0, 20 * MIB),
        (0, 10 * MIB),
    ]


def test_the_workload_message_follows_the_classifier(monkeypatch):
    strategy = build(rng=Highest())
    # Idle CPU, paging both ways: the memory class, named through the scorer's metainfo.
    features = json.dumps([10, 4 * GIB, GIB, 1500, 1500, 0, 0, 0, 0])
    monkeypatch.setattr(strategy, "_random_telemetry", lambda: features)
    assert strategy.execute().actions[1] == nop("Detected Workload: memory-intensive")


def test_random_plans_have_the_same_shape():
    workloads = {f"Detected Workload: {w}" for w in
                 ("idle", "cpu-intensive", "memory-intensive", "disk-intensive")}
    for _ in range(20):
        actions = build().execute().actions
        assert [a["action_type"] for a in actions] == ["nop", "nop", "nop", "sleep"]
        assert actions[1]["input_parameters"]["message"] in workloads
        prefix, _, average = actions[2]["input_parameters"]["message"].partition(": ")
        assert prefix == "AVG Scorer result"
        # The mean of 20 distinct values drawn from 0..999.
        assert 9.5 <= float(average) <= 989.5


def test_parameters_are_validated():
    with pytest.raises(exception.InvalidParameter):
        build({"param1": 0.5})
    assert build({"param1": 2.0, "param2": "x"}).input_parameters == {
        "param1": 2.0, "param2": "x"
    }


def test_runs_without_a_compute_model():
    # A deliberate difference from upstream: the plan never depends on the cluster.
    strategy = dummy_with_scorer.DummyWithScorer()
    strategy.input_parameters.update(strategy_context.fill_defaults(strategy.get_schema(), {}))
    strategy.random = Highest()
    assert len(strategy.execute().actions) == 4


def test_a_missing_scoring_engine_fails_the_strategy_when_built(monkeypatch):
    monkeypatch.setattr(scoring_factory, "_engines", None)
    monkeypatch.setattr(scoring_factory, "_discover", lambda: {})
    with pytest.raises(scoring_factory.ScoringEngineNotFound):
        dummy_with_scorer.DummyWithScorer()


def test_weight_planner_order():
    ordered = weight.WeightPlanner().order(build(rng=Highest()).execute().actions)
    assert [a["action_type"] for a, _ in ordered] == ["nop", "nop", "nop", "sleep"]
    assert [parents for _, parents in ordered] == [[], [0], [1], [2]]
