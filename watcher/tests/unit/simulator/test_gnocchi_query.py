"""Gnocchi's JSON search filter, as the simulated Gnocchi evaluates it."""

import pytest

from watcher.simulator.apps.gnocchi_query import matches, parse_filter

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


@pytest.mark.parametrize("text,query", [
    ("original_resource_id='cn1_cn1'", {"=": {"original_resource_id": "cn1_cn1"}}),
    ("host = cn1 and not display_name like 'web%'",
     {"and": [{"=": {"host": "cn1"}}, {"not": {"like": {"display_name": "web%"}}}]}),
    ("(host='a' or host=\"b\") and project_id != null",
     {"and": [{"or": [{"=": {"host": "a"}}, {"=": {"host": "b"}}]},
              {"!=": {"project_id": None}}]}),
    ("host in ['cn1', 'cn2']", {"in": {"host": ["cn1", "cn2"]}}),
    ("size ge 10 or ratio lt 0.5", {"or": [{"ge": {"size": 10}}, {"lt": {"ratio": 0.5}}]}),
])
def test_text_filter_parses_to_the_json_query(text, query):
    assert parse_filter(text) == query


def test_text_filter_evaluates_like_its_json_form():
    assert matches(parse_filter("host='cn1' and display_name like 'web%'"), DOC)
    assert not matches(parse_filter("host in ('cn2', 'cn3')"), DOC)


@pytest.mark.parametrize("text", ["host =", "host ~ 'x'", "(host='a'", "host='a' extra",
                                  "= 'a'", "host in 'a'"])
def test_text_filter_errors(text):
    with pytest.raises(ValueError):
        parse_filter(text)
