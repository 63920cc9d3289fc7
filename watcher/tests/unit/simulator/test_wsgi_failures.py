import pytest
import webob

from watcher.simulator.failures import FailureRules
from watcher.simulator.wsgi import HTTPError, Microversions, Router


def _request(**headers) -> webob.Request:
    return webob.Request.blank("/", headers=headers)


def test_router_matches_params_and_methods():
    router = Router()
    router.add("GET", "/servers/{server_id}", "show")
    router.add("POST", "/servers/{server_id}/action", "act")
    assert router.match("GET", "/servers/abc/") == ("show", {"server_id": "abc"})
    assert router.match("HEAD", "/servers/abc") == ("show", {"server_id": "abc"})
    with pytest.raises(HTTPError) as caught:
        router.match("DELETE", "/servers/abc")
    assert caught.value.status == 405
    with pytest.raises(HTTPError) as caught:
        router.match("GET", "/flavors")
    assert caught.value.status == 404


def test_microversion_negotiation():
    nova = Microversions("compute", "2.1", "2.100", legacy_header="X-OpenStack-Nova-API-Version")
    assert nova.negotiate(_request()) == (2, 1)
    assert nova.negotiate(_request(**{"OpenStack-API-Version": "compute 2.53"})) == (2, 53)
    assert nova.negotiate(_request(**{"OpenStack-API-Version": "volume 3.5, compute 2.9"})) \
        == (2, 9)
    assert nova.negotiate(_request(**{"X-OpenStack-Nova-API-Version": "latest"})) == (2, 100)
    for bad, status in (("2.101", 406), ("2.0", 406), ("two", 400)):
        with pytest.raises(HTTPError) as caught:
            nova.negotiate(_request(**{"OpenStack-API-Version": f"compute {bad}"}))
        assert caught.value.status == status
    assert dict(nova.headers((2, 53))) == {
        "OpenStack-API-Version": "compute 2.53", "X-OpenStack-Nova-API-Version": "2.53",
        "Vary": "OpenStack-API-Version, X-OpenStack-Nova-API-Version"}


def test_refuse_live_migration_applies_to_both_ends_only():
    rules = FailureRules([{"type": "refuse_live_migration", "host": "cmp2"}])
    assert "cmp2" in rules.operation_failure("live_migration", ("cmp1", "cmp2"))
    assert "cmp2" in rules.operation_failure("live_migration", ("cmp2", "cmp3"))
    assert rules.operation_failure("live_migration", ("cmp1", "cmp3")) is None
    assert rules.operation_failure("cold_migration", ("cmp1", "cmp2")) is None


def test_failure_rate_is_reproducible_and_close_to_rate():
    def draws(seed: int) -> list[bool]:
        rules = FailureRules([{"type": "failure_rate", "rate": 0.3, "seed": seed}])
        return [rules.operation_failure("stop") is not None for _ in range(2000)]

    first = draws(5)
    assert first == draws(5) and first != draws(6)
    assert 0.25 < sum(first) / len(first) < 0.35


def test_api_rules_match_service_method_path_and_count():
    rules = FailureRules([{"type": "api_error", "service": "compute", "method": "get",
                           "path": "^/v2.1/servers", "status": 500, "count": 2}])
    rules.before_request("compute", "POST", "/v2.1/servers/x/action")
    rules.before_request("block-storage", "GET", "/v2.1/servers")
    for _ in range(2):
        with pytest.raises(HTTPError) as caught:
            rules.before_request("compute", "GET", "/v2.1/servers/detail")
        assert caught.value.status == 500
    rules.before_request("compute", "GET", "/v2.1/servers/detail")  # count used up


def test_api_timeout_sleeps(monkeypatch):
    slept = []
    monkeypatch.setattr("watcher.simulator.failures.time.sleep", slept.append)
    rules = FailureRules([{"type": "api_timeout", "service": "placement", "delay": 7}])
    rules.before_request("placement", "GET", "/resource_providers")
    assert slept == [7.0]
