import pytest

from watcher.common import exception, loader
from watcher.decision_engine.scoring import base, scoring_factory

ALL = ["dummy_scorer", "dummy_min_scorer", "dummy_max_scorer", "dummy_avg_scorer"]


class Echo(base.ScoringEngine):
    def get_name(self):
        return "echo"

    def get_description(self):
        return "Echo"

    def get_metainfo(self):
        return ""

    def calculate_score(self, features):
        return features


class EchoContainer(base.ScoringEngineContainer):
    @classmethod
    def get_scoring_engine_list(cls):
        return [Echo()]


class Broken(Echo):
    def __init__(self, config=None):
        raise RuntimeError("no model file")


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    # Each test starts from an undiscovered factory; the module-level cache is restored after.
    monkeypatch.setattr(scoring_factory, "_engines", None)


def with_extra_plugins(monkeypatch, engines=None, containers=None):
    real = loader.list_classes

    def list_classes(namespace):
        found = dict(real(namespace))
        if namespace == scoring_factory.ENGINES_NAMESPACE:
            found.update(engines or {})
        if namespace == scoring_factory.CONTAINERS_NAMESPACE:
            found.update(containers or {})
        return found

    monkeypatch.setattr(loader, "list_classes", list_classes)


def test_lists_the_installed_engines_by_their_own_names():
    assert sorted(e.get_name() for e in scoring_factory.get_scoring_engine_list()) == sorted(ALL)


@pytest.mark.parametrize("name", ALL)
def test_gets_each_engine_by_name(name):
    engine = scoring_factory.get_scoring_engine(name)
    assert engine.get_name() == name
    assert isinstance(engine, base.ScoringEngine)


def test_lookups_reuse_the_cached_engines_and_listing_rediscovers():
    first = scoring_factory.get_scoring_engine("dummy_avg_scorer")
    assert scoring_factory.get_scoring_engine("dummy_avg_scorer") is first
    listed = {e.get_name(): e for e in scoring_factory.get_scoring_engine_list()}
    # Containers build new instances on each discovery, and the cache now holds those.
    assert listed["dummy_avg_scorer"] is not first
    assert scoring_factory.get_scoring_engine("dummy_avg_scorer") is listed["dummy_avg_scorer"]


def test_unknown_name_is_not_found_and_a_key_error():
    with pytest.raises(scoring_factory.ScoringEngineNotFound) as caught:
        scoring_factory.get_scoring_engine("no_such_scorer")
    assert isinstance(caught.value, KeyError)
    assert isinstance(caught.value, exception.ScoringEngineNotFound)
    assert "no_such_scorer" in str(caught.value)


def test_an_engine_appearing_after_the_first_discovery_is_found(monkeypatch):
    scoring_factory.get_scoring_engine("dummy_scorer")
    with_extra_plugins(monkeypatch, containers={"echo_container": EchoContainer})
    assert scoring_factory.get_scoring_engine("echo").calculate_score("[1]") == "[1]"


def test_a_plugin_that_cannot_be_built_is_skipped(monkeypatch):
    with_extra_plugins(monkeypatch, engines={"broken": Broken, "echo": Echo})
    names = sorted(e.get_name() for e in scoring_factory.get_scoring_engine_list())
    assert names == sorted([*ALL, "echo"])
