"""The Syncer's scoring engine rows, on the SQLite fixture."""

import pytest

from watcher import objects
from watcher.common import context as watcher_context
from watcher.decision_engine import sync
from watcher.decision_engine.scoring import base, scoring_factory


class Fixed(base.ScoringEngine):
    def __init__(self, name, description, metainfo=""):
        super().__init__()
        self._values = (name, description, metainfo)

    def get_name(self):
        return self._values[0]

    def get_description(self):
        return self._values[1]

    def get_metainfo(self):
        return self._values[2]

    def calculate_score(self, features):
        return features


def rows(show_deleted=False):
    context = watcher_context.get_admin_context(show_deleted=show_deleted)
    return {
        (se.name, se.uuid): (se.description, se.metainfo, se.deleted_at is not None)
        for se in objects.ScoringEngine.list(context)
    }


def live():
    context = watcher_context.get_admin_context()
    return {se.name: se for se in objects.ScoringEngine.list(context)}


@pytest.fixture
def installed(monkeypatch):
    """The engines the sync sees: edit the list between syncs."""
    engines = [Fixed("alpha", "Alpha", '{"a": 1}'), Fixed("beta", "Beta")]
    monkeypatch.setattr(scoring_factory, "get_scoring_engine_list", lambda: list(engines))
    return engines


def test_full_sync_records_the_four_in_tree_engines(sqlite_db):
    sync.Syncer().sync()
    engines = live()
    assert sorted(engines) == sorted(
        ["dummy_scorer", "dummy_min_scorer", "dummy_max_scorer", "dummy_avg_scorer"]
    )
    assert engines["dummy_scorer"].description == "Dummy workload classifier"
    assert engines["dummy_scorer"].metainfo == (
        scoring_factory.get_scoring_engine("dummy_scorer").get_metainfo()
    )
    assert engines["dummy_avg_scorer"].description == (
        "Dummy Scorer calculating the average value"
    )
    assert engines["dummy_avg_scorer"].metainfo == ""
    # The strategies that use them are synced too.
    strategy = objects.Strategy.get_by_name(
        watcher_context.get_admin_context(), "dummy_with_scorer"
    )
    assert strategy.display_name == "Dummy Strategy using sample Scoring Engines"


def test_engines_are_created_once_and_kept_while_unchanged(sqlite_db, installed):
    sync.Syncer().sync_scoring_engines()
    first = live()
    assert {n: (e.description, e.metainfo) for n, e in first.items()} == {
        "alpha": ("Alpha", '{"a": 1}'),
        "beta": ("Beta", ""),
    }
    sync.Syncer().sync_scoring_engines()
    assert {n: e.uuid for n, e in live().items()} == {n: e.uuid for n, e in first.items()}
    assert len(rows(show_deleted=True)) == 2


@pytest.mark.parametrize(
    "changed", [Fixed("alpha", "Alpha v2", '{"a": 1}'), Fixed("alpha", "Alpha", '{"a": 2}')]
)
def test_a_changed_engine_gets_a_new_row_and_the_old_is_soft_deleted(
    sqlite_db, installed, changed
):
    sync.Syncer().sync_scoring_engines()
    before = live()
    installed[0] = changed
    sync.Syncer().sync_scoring_engines()
    after = live()
    assert after["alpha"].uuid != before["alpha"].uuid
    assert (after["alpha"].description, after["alpha"].metainfo) == (
        changed.get_description(), changed.get_metainfo()
    )
    assert after["beta"].uuid == before["beta"].uuid
    everything = rows(show_deleted=True)
    assert everything[("alpha", before["alpha"].uuid)] == ("Alpha", '{"a": 1}', True)
    assert everything[("alpha", after["alpha"].uuid)][2] is False


def test_an_uninstalled_engine_is_soft_deleted_and_can_come_back(sqlite_db, installed):
    sync.Syncer().sync_scoring_engines()
    beta_uuid = live()["beta"].uuid
    del installed[1]
    sync.Syncer().sync_scoring_engines()
    assert sorted(live()) == ["alpha"]
    assert rows(show_deleted=True)[("beta", beta_uuid)] == ("Beta", "", True)
    installed.append(Fixed("beta", "Beta"))
    sync.Syncer().sync_scoring_engines()
    assert sorted(live()) == ["alpha", "beta"]
    assert live()["beta"].uuid != beta_uuid
