"""HeatReader against an in-memory Heat: which calls it makes, paging, and what a failure of
one stack, resource, event or config costs."""

from __future__ import annotations

import json

import pytest
import requests
from openstack import exceptions as sdk_exceptions

from watcher.decision_engine.orchestration.reader import HeatReader
from watcher.tests.unit.decision_engine.orchestration import samples as s

WEB_BASE = f"/stacks/web/{s.WEB}"
NESTED_BASE = f"/stacks/web-group-abc/{s.NESTED}"
BATCH_BASE = f"/stacks/batch/{s.BATCH}"


def _response(status: int, body) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    return response


class FakeHeat:
    """A keystoneauth-adapter stand-in: ``routes`` maps a path to a body, or to a function
    of the query returning a body; ``errors`` maps a path to a status. Every call is kept."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.errors: dict[str, int] = {}
        summaries = [s.WEB_SUMMARY, s.NESTED_SUMMARY, s.BATCH_SUMMARY]
        self.routes = {
            "/stacks": lambda query: self._stack_page(summaries, query),
            "/resource_types": {"resource_types": s.RESOURCE_TYPES},
            "/software_configs": lambda query: {"software_configs": self._after(
                [{"id": s.CONFIG, "name": "install"}, {"id": "c2", "name": "gone"}], query)},
            f"/software_configs/{s.CONFIG}": {"software_config": s.CONFIG_DETAIL},
            "/software_deployments": {"software_deployments": [s.DEPLOYMENT_DOC]},
        }
        for base, detail, resources, events in (
                (WEB_BASE, s.WEB_DETAIL, s.WEB_RESOURCES, s.WEB_EVENTS),
                (NESTED_BASE, s.NESTED_DETAIL, s.NESTED_RESOURCES, []),
                (BATCH_BASE, s.BATCH_DETAIL, [], [])):
            self.routes[base] = {"stack": detail}
            self.routes[base + "/resources"] = {"resources": resources}
            self.routes[base + "/events"] = lambda query, events=events: {
                "events": self._after(events, query)}
            self.routes[base + "/snapshots"] = {
                "snapshots": s.WEB_SNAPSHOTS if base == WEB_BASE else []}
            for resource in resources:
                self.routes[f"{base}/resources/{resource['resource_name']}/metadata"] = {
                    "metadata": {"of": resource["resource_name"]}}
        for event in s.WEB_EVENTS:
            self.routes[f"{WEB_BASE}/resources/{event['resource_name']}/events/"
                        f"{event['id']}"] = {"event": dict(event, resource_type="T")}

    @staticmethod
    def _after(items: list, query: dict) -> list:
        if query.get("marker"):
            items = items[[i["id"] for i in items].index(query["marker"]) + 1:]
        return items[:query["limit"]] if "limit" in query else items

    def _stack_page(self, summaries: list, query: dict) -> dict:
        if "global_tenant" in query and self.errors.get("global_tenant"):
            return self.errors["global_tenant"]
        page = self._after(summaries, query)
        body = {"stacks": page}
        if page and page[-1] is not summaries[-1]:
            body["links"] = [{"rel": "next",
                              "href": f"http://heat/stacks?marker={page[-1]['id']}"}]
        return body

    def get(self, url: str, params: dict | None = None, headers: dict | None = None):
        query = dict(params or {})
        if url.startswith("http://heat"):
            # A next link: its query replaces the original one, as Heat writes it whole.
            path, _, raw = url[len("http://heat"):].partition("?")
            url, query = path, {"limit": 2, **dict(p.split("=") for p in raw.split("&"))}
        self.calls.append((url, query))
        if url in self.errors:
            return _response(self.errors[url], {"error": {"message": "injected"}})
        route = self.routes.get(url)
        if route is None:
            return _response(404, {"error": {"message": f"{url} not found"}})
        body = route(query) if callable(route) else route
        if isinstance(body, int):
            return _response(body, {"error": {"message": "refused"}})
        return _response(200, body)

    def paths(self) -> list[str]:
        return [url for url, _ in self.calls]


def test_reads_everything_with_paging():
    heat = FakeHeat()
    dump = HeatReader(heat, page_size=2, event_details=2, workers=1).read()
    assert [x.summary["id"] for x in dump.stacks] == [s.WEB, s.NESTED, s.BATCH]
    web = dump.stacks[0]
    assert web.detail == s.WEB_DETAIL and web.resources == s.WEB_RESOURCES
    assert web.events == s.WEB_EVENTS and web.snapshots == s.WEB_SNAPSHOTS
    assert web.metadata == {"group": {"of": "group"}, "port": {"of": "port"}}
    # The two newest events are detailed.
    assert [d["id"] for d in web.event_details] == ["e4", "e5"]
    assert [c["id"] for c in dump.software_configs] == [s.CONFIG]
    assert dump.software_deployments == [s.DEPLOYMENT_DOC]
    assert dump.resource_types == s.RESOURCE_TYPES
    # c2 vanished between the listing and its show: gone, not incomplete.
    assert dump.incomplete == []
    paths = heat.paths()
    assert paths.count("/stacks") == 2  # 3 stacks, pages of 2, next link followed
    assert paths.count(WEB_BASE + "/events") == 3  # 5 events: 2 + 2 + 1
    # 2 configs fill a page, so one more page (empty) ends the listing: no links here.
    assert paths.count("/software_configs") == 2
    assert heat.calls[0][1] == {"global_tenant": "true", "show_nested": "true", "limit": 2}
    assert (WEB_BASE + "/resources", {"with_detail": "true"}) in heat.calls
    per_stack = 4 * 3 + 3 + 2  # show/resources/events/snapshots, metadata, event details
    bulk = 2 + 1 + 2 + 1 + 2  # stack pages, types, config pages, deployments, config shows
    assert len(paths) == per_stack + bulk + 2  # the two extra event pages of web


def test_metadata_and_event_details_can_be_skipped():
    heat = FakeHeat()
    dump = HeatReader(heat, resource_metadata=False, event_details=0).read()
    assert all(not x.metadata and not x.event_details for x in dump.stacks)
    assert not any(p.endswith("/metadata") or "/events/" in p for p in heat.paths())


def test_a_stack_deleted_during_collection_is_left_out():
    heat = FakeHeat()
    heat.errors[NESTED_BASE + "/events"] = 404
    dump = HeatReader(heat).read()
    assert [x.summary["id"] for x in dump.stacks] == [s.WEB, s.BATCH]
    assert dump.incomplete == []
    assert dump.stacks[0].metadata  # the others are whole


def test_a_failing_stack_is_left_out_and_named():
    heat = FakeHeat()
    heat.errors[WEB_BASE + "/snapshots"] = 500
    dump = HeatReader(heat).read()
    assert [x.summary["id"] for x in dump.stacks] == [s.NESTED, s.BATCH]
    assert dump.incomplete == [f"stack:{s.WEB}"]


def test_one_resource_or_config_failing_loses_only_that_item():
    heat = FakeHeat()
    heat.errors[WEB_BASE + "/resources/port/metadata"] = 503
    heat.errors[WEB_BASE + "/resources/group/metadata"] = 404
    heat.errors[f"/software_configs/{s.CONFIG}"] = 500
    heat.errors[f"{WEB_BASE}/resources/web/events/e5"] = 502
    dump = HeatReader(heat, event_details=1).read()
    web = dump.stacks[0]
    assert web.metadata == {} and web.event_details == [] and web.resources
    assert dump.software_configs == []
    assert sorted(dump.incomplete) == sorted([
        f"resource_metadata:{s.WEB}:port", f"software_config:{s.CONFIG}",
        f"event:{s.WEB}:e5"])


def test_without_the_right_to_see_every_project_reads_its_own():
    heat = FakeHeat()
    heat.errors["global_tenant"] = 403
    dump = HeatReader(heat).read()
    assert len(dump.stacks) == 3
    assert heat.calls[1] == ("/stacks", {"show_nested": "true", "limit": 200})


@pytest.mark.parametrize("path", ["/stacks", "/resource_types", "/software_deployments"])
def test_a_failing_listing_fails_the_collection(path):
    heat = FakeHeat()
    heat.errors[path] = 503
    with pytest.raises(sdk_exceptions.HttpException):
        HeatReader(heat).read()
