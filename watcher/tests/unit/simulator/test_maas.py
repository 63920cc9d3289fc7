"""MAAS pieces that need no server: the scenario section and the describe document."""

import pytest
from maas.client.bones import SessionAPI
from maas.client.utils.creds import Credentials

from watcher.simulator.apps import maas_describe, maas_scenario
from watcher.simulator.scenario import checks  # noqa: F401 - registers the built-in checks
from watcher.simulator.scenario.loader import ScenarioError, load
from watcher.simulator.state import CloudState

BASE = "http://127.0.0.1:5240/MAAS"


def _state(doc: dict) -> CloudState:
    return CloudState(load(doc))


def test_default_key_is_stable_per_seed_and_shaped_like_maas():
    first = maas_scenario.settings(_state({"seed": 7}))
    again = maas_scenario.settings(_state({"seed": 7}))
    other = maas_scenario.settings(_state({"seed": 8}))
    assert first.api_key == again.api_key != other.api_key
    assert [len(part) for part in first.api_key.split(":")] == [18, 18, 32]
    assert (first.user, first.domain) == ("admin", "maas")


def test_section_sets_key_user_and_domain():
    settings = maas_scenario.settings(_state(
        {"maas": {"api_key": "c:t:s", "user": "ops", "domain": "lab.example"}}))
    assert (settings.consumer_key, settings.token_key, settings.token_secret) == ("c", "t", "s")
    assert (settings.user, settings.domain) == ("ops", "lab.example")


@pytest.mark.parametrize("section, fault", [
    ({"api_key": "two:parts"}, "maas.api_key"),
    ({"api_key": "a:b:c", "password": "x"}, "password"),
    ({"domain": "-bad"}, "maas.domain"),
])
def test_section_is_validated(section, fault):
    with pytest.raises(ScenarioError, match=fault):
        load({"maas": section})


def test_describe_builds_the_libmaas_session():
    description = maas_describe.describe(BASE)
    session = SessionAPI(description, Credentials("c", "t", "s"))
    handlers = dict(session.handlers)
    assert set(handlers) == {"Version", "Users", "User", "Machines", "Machine"}
    machine = handlers["Machine"]
    assert machine.uri == BASE + "/api/2.0/machines/{system_id}/"
    assert machine.path == "/MAAS/api/2.0/machines/{system_id}/"
    assert machine.params == frozenset({"system_id"})
    actions = {name: (action.method, action.op) for name, action in machine.actions}
    assert actions == {"read": ("GET", None), "power_on": ("POST", "power_on"),
                       "power_off": ("POST", "power_off"),
                       "query_power_state": ("GET", "query_power_state")}
    call = machine.power_on.bind(system_id="abc123")
    assert call.uri == BASE + "/api/2.0/machines/abc123/"


def test_describe_without_credentials_offers_only_anonymous_handlers():
    session = SessionAPI(maas_describe.describe(BASE))
    assert [name for name, _ in session.handlers] == ["Version"]
