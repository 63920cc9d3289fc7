"""Gnocchi's JSON search filter, as the simulated Gnocchi evaluates it."""

import pytest

from watcher.simulator.apps.gnocchi_data import matches

DOC = {"id": "a", "original_resource_id": "cn1_cn1", "host": "cn1", "display_name": "web-1",
       "started_at": "2026-01-01T00:00:00+00:00", "project_id": None}


@pytest.mark.parametrize("query,expected", [
    ({"=": {"original_resource_id": "cn1_cn1"}}, True),
    ({"eq": {"host": "cn2"}}, False),
    ({"!=": {"host": "cn2"}}, True),
    ({"in": {"host": ["cn1", "cn3"]}}, True),
    ({"like": {"display_name": "web-%"}}, True),
    ({"like": {"display_name": "w_b-1"}}, True),
    ({"like": {"display_name": "web"}}, False),
    ({">=": {"started_at": "2025-12-31T00:00:00+00:00"}}, True),
    ({"<": {"project_id": "x"}}, False),
    ({"and": [{"=": {"host": "cn1"}}, {"not": {"=": {"display_name": "web-1"}}}]}, False),
    ({"or": [{"=": {"host": "cn2"}}, {"∧": [{"=": {"id": "a"}}]}]}, True),
])
def test_filter_operators(query, expected):
    assert matches(query, DOC) is expected


@pytest.mark.parametrize("query", [
    {"~": {"host": "cn1"}}, {"=": {"nope": 1}}, {"and": {"=": {"host": "cn1"}}},
    {"=": {"host": "cn1"}, "!=": {"host": "cn2"}}, [],
])
def test_invalid_filters(query):
    with pytest.raises(ValueError):
        matches(query, DOC)
