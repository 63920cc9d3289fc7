"""The state machines against the upstream tables, over the full from x to matrix."""

import itertools

import pytest

from watcher.common import exception
from watcher.objects import states

# The tables are restated here on purpose, straight from the contract (inventory §1.8), so a
# change to states.py that is not also a deliberate change here fails.
AUDIT_STATES = ["PENDING", "ONGOING", "SUCCEEDED", "FAILED", "CANCELLED", "DELETED", "SUSPENDED"]
AUDIT_EDGES = {
    "PENDING": {"ONGOING", "CANCELLED"},
    "ONGOING": {"FAILED", "SUCCEEDED", "CANCELLED", "SUSPENDED"},
    "FAILED": {"DELETED"},
    "SUCCEEDED": {"DELETED"},
    "CANCELLED": {"DELETED"},
    "SUSPENDED": {"ONGOING", "DELETED"},
}
AUDIT_API_EDGES = {
    "PENDING": {"CANCELLED"},
    "ONGOING": {"CANCELLED", "SUSPENDED"},
    "SUSPENDED": {"ONGOING"},
}

PLAN_STATES = [
    "RECOMMENDED", "PENDING", "ONGOING", "FAILED", "SUCCEEDED", "DELETED", "CANCELLED",
    "SUPERSEDED", "CANCELLING",
]
PLAN_EDGES = {
    "RECOMMENDED": {"PENDING", "CANCELLED", "SUPERSEDED"},
    "PENDING": {"ONGOING", "CANCELLED"},
    "ONGOING": {"SUCCEEDED", "FAILED", "CANCELLING", "CANCELLED"},
    "CANCELLING": {"CANCELLED", "FAILED"},
    "FAILED": {"DELETED"},
    "SUCCEEDED": {"DELETED"},
    "CANCELLED": {"DELETED"},
    "SUPERSEDED": {"DELETED"},
}
PLAN_API_EDGES = {
    "RECOMMENDED": {"PENDING", "CANCELLED"},
    "PENDING": {"CANCELLED"},
    "ONGOING": {"CANCELLING"},
}

ACTION_STATES = [
    "PENDING", "ONGOING", "FAILED", "SUCCEEDED", "DELETED", "CANCELLED", "CANCELLING", "SKIPPED",
]
ACTION_EDGES = {
    "PENDING": {"ONGOING", "SKIPPED", "FAILED", "CANCELLED"},
    "ONGOING": {"SUCCEEDED", "FAILED", "CANCELLED", "CANCELLING"},
    "CANCELLING": {"CANCELLED", "FAILED", "SUCCEEDED"},
    "FAILED": {"DELETED"},
    "SUCCEEDED": {"DELETED"},
    "CANCELLED": {"DELETED"},
    "SKIPPED": {"DELETED"},
}
ACTION_API_EDGES = {"PENDING": {"SKIPPED"}}

CASES = [
    ("audit", states.AUDIT, AUDIT_STATES, AUDIT_EDGES),
    ("audit-api", states.AUDIT_API, AUDIT_STATES, AUDIT_API_EDGES),
    ("plan", states.ACTION_PLAN, PLAN_STATES, PLAN_EDGES),
    ("plan-api", states.ACTION_PLAN_API, PLAN_STATES, PLAN_API_EDGES),
    ("action", states.ACTION, ACTION_STATES, ACTION_EDGES),
    ("action-api", states.ACTION_API, ACTION_STATES, ACTION_API_EDGES),
]


def _matrix():
    for label, machine, names, edges in CASES:
        for current, new in itertools.product(names, names):
            legal = current == new or new in edges.get(current, set())
            # No ':' in the id: gabbi's collection hook takes any such id for a gabbi test.
            yield pytest.param(machine, current, new, legal, id=f"{label}-{current}->{new}")


@pytest.mark.parametrize(("machine", "current", "new", "legal"), list(_matrix()))
def test_transition_matrix(machine, current, new, legal):
    assert machine.allowed(current, new) is legal
    if legal:
        machine.check(current, new)
    else:
        with pytest.raises(exception.InvalidStateTransition) as caught:
            machine.check(current, new)
        assert current in str(caught.value) and new in str(caught.value)
        assert caught.value.code == 409


@pytest.mark.parametrize(
    ("machine", "names"),
    [(states.AUDIT, AUDIT_STATES), (states.ACTION_PLAN, PLAN_STATES),
     (states.ACTION, ACTION_STATES)],
)
def test_machines_know_exactly_the_upstream_states(machine, names):
    assert machine.states == set(names)


@pytest.mark.parametrize(
    ("enum_cls", "names"),
    [(states.AuditState, AUDIT_STATES), (states.ActionPlanState, PLAN_STATES),
     (states.ActionState, ACTION_STATES)],
)
def test_state_enums_spell_the_wire_values(enum_cls, names):
    assert {getattr(enum_cls, name) for name in names} == set(names)


@pytest.mark.parametrize("machine", [states.AUDIT, states.ACTION_PLAN, states.ACTION])
def test_unknown_state_is_never_allowed(machine):
    assert not machine.allowed("PENDING", "BOGUS")
    assert not machine.allowed("BOGUS", "BOGUS")
    with pytest.raises(exception.InvalidStateTransition):
        machine.check("PENDING", "BOGUS")


@pytest.mark.parametrize(
    ("api", "full"),
    [(states.AUDIT_API, states.AUDIT), (states.ACTION_PLAN_API, states.ACTION_PLAN),
     (states.ACTION_API, states.ACTION)],
)
def test_api_tables_are_subsets_of_the_machines(api, full):
    for current in api.states:
        assert api.targets(current) <= full.targets(current)


def test_deletable_states():
    assert states.AUDIT_DELETABLE == {"FAILED", "SUCCEEDED", "CANCELLED", "SUSPENDED"}
    assert states.ACTION_PLAN_DELETABLE == {
        "SUCCEEDED", "RECOMMENDED", "FAILED", "SUPERSEDED", "CANCELLED"}
    assert states.ACTION_DELETABLE == set(ACTION_STATES)


@pytest.mark.parametrize("current", ["PENDING", "ONGOING", "CANCELLING"])
def test_check_deletable_refuses_live_plans(current):
    with pytest.raises(exception.InvalidStateTransition):
        states.check_deletable("action plan", states.ACTION_PLAN_DELETABLE, current)


@pytest.mark.parametrize("current", ["RECOMMENDED", "SUPERSEDED", "DELETED"])
def test_check_deletable_accepts_finished_plans(current):
    states.check_deletable("action plan", states.ACTION_PLAN_DELETABLE, current)


def test_plan_without_actions_is_born_succeeded():
    assert states.initial_action_plan_state(0) == "SUCCEEDED"
    assert states.initial_action_plan_state(3) == "RECOMMENDED"


def test_machine_refuses_edges_to_unknown_states():
    with pytest.raises(ValueError, match="NOWHERE"):
        states.StateMachine("x", ["A", "B"], {"A": ["NOWHERE"]})
