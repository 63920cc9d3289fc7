"""watcher.db.purge on SQLite, MariaDB and PostgreSQL, each option on one known world."""

import datetime

import pytest
from oslo_utils import timeutils

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.db import api as db_api
from watcher.db import purge
from watcher.tests.fixtures import database as dbf

pytestmark = pytest.mark.usefixtures("any_db")

OLD = timeutils.utcnow() - datetime.timedelta(days=40)
RECENT = timeutils.utcnow() - datetime.timedelta(days=5)
KIND_METHOD = {
    "goals": "goal", "strategies": "strategy", "audit_templates": "audit_template",
    "audits": "audit", "action_plans": "action_plan", "actions": "action",
}


def _tree(tag: str) -> dict:
    goal = dbf.make_goal(name=f"goal{tag}")
    strategy = dbf.make_strategy(name=f"strategy{tag}", goal_id=goal.id)
    template = dbf.make_audit_template(goal_id=goal.id, strategy_id=strategy.id)
    audit = dbf.make_audit(goal_id=goal.id, strategy_id=strategy.id)
    plan = dbf.make_action_plan(audit_id=audit.id, strategy_id=strategy.id)
    action = dbf.make_action(action_plan_id=plan.id)
    indicator = dbf.make_efficacy_indicator(action_plan_id=plan.id)
    return {"goals": goal, "strategies": strategy, "audit_templates": template,
            "audits": audit, "action_plans": plan, "actions": action,
            "indicator": indicator}


def _soft_delete(kind: str, row, when: datetime.datetime) -> None:
    dbapi = db_api.get_instance()
    method = KIND_METHOD[kind]
    getattr(dbapi, f"soft_delete_{method}")(row.id)
    getattr(dbapi, f"update_{method}")(row.id, {"deleted_at": when})


@pytest.fixture
def world():
    """A: all deleted 40 days ago. B: all deleted 5 days ago. C: live.
    D: goal deleted 40 days ago, everything under it live (orphans)."""
    trees = {tag: _tree(tag) for tag in "ABCD"}
    for tag, when in (("A", OLD), ("B", RECENT)):
        for kind in reversed(list(KIND_METHOD)):
            _soft_delete(kind, trees[tag][kind], when)
    # D's template would block the goal under --exclude-orphans too; drop it for clarity.
    db_api.get_instance().destroy_audit_template(trees["D"]["audit_templates"].id)
    _soft_delete("goals", trees["D"]["goals"], OLD)
    return trees


def _remaining() -> dict[str, set[int]]:
    dbapi = db_api.get_instance()
    ctx = watcher_context.get_admin_context(show_deleted=True)
    return {kind: {row.id for row in getattr(dbapi, f"get_{method}_list")(ctx)}
            for kind, method in KIND_METHOD.items()}


def _ids_of(world: dict, tags: str) -> dict[str, set[int]]:
    ids = {kind: set() for kind in KIND_METHOD}
    for tag in tags:
        for kind in KIND_METHOD:
            if kind == "audit_templates" and tag == "D":
                continue
            ids[kind].add(world[tag][kind].id)
    return ids


def _run(ask_answers=("y",), **options) -> tuple[object, list[str]]:
    answers = list(ask_answers)
    output: list[str] = []
    arguments = {"age_in_days": None, "max_number": None, "goal": None,
                 "exclude_orphans": False, "dry_run": False, **options}
    result = purge.purge(**arguments, ask=lambda _question: answers.pop(0),
                         out=output.append)
    return result, output


@pytest.mark.parametrize("options,purged", [
    ({}, "ABD"),
    ({"age_in_days": 30}, "AD"),
    ({"exclude_orphans": True}, "AB"),
    ({"exclude_orphans": True, "age_in_days": 30}, "A"),
    ({"goal": "goalA", "exclude_orphans": True}, "A"),
    ({"goal": "goalB", "exclude_orphans": True}, "B"),
])
def test_purge_deletes_exactly_the_selected_trees(world, options, purged):
    result, output = _run(**options)
    expected = _ids_of(world, purged)
    assert {kind: result.ids(kind) for kind in KIND_METHOD} == expected
    assert _remaining() == {
        kind: ids - expected[kind] for kind, ids in _ids_of(world, "ABCD").items()}
    assert any(line.startswith("Purge results summary") for line in output)
    total = sum(len(ids) for ids in expected.values())
    assert f"| {total:^5} |" in output[-1]


def test_goal_by_uuid_purges_that_tree_and_its_indicators(world):
    _run(goal=world["A"]["goals"].uuid, exclude_orphans=True)
    ctx = watcher_context.get_admin_context(show_deleted=True)
    indicators = db_api.get_instance().get_efficacy_indicator_list(ctx)
    assert {i.id for i in indicators} == {world[t]["indicator"].id for t in "BCD"}


def test_goal_must_exist_and_be_soft_deleted(world):
    with pytest.raises(exception.NotSoftDeletedStateError):
        _run(goal="goalC")
    with pytest.raises(exception.GoalNotFound):
        _run(goal="no-such-goal")


def test_dry_run_deletes_nothing_and_reports(world):
    before = _remaining()
    result, output = _run(ask_answers=(), dry_run=True)
    assert _remaining() == before
    assert len(result) == 17
    assert output[-2].startswith("Here below is a table containing the objects that can be "
                                 "purged (may include orphans)")
    assert "Audit Templates" in output[-1] and f"| {17:^5} |" in output[-1]


def test_declining_the_confirmation_deletes_nothing(world):
    before = _remaining()
    _run(ask_answers=("n",), exclude_orphans=True)
    assert _remaining() == before


def test_max_number_exceeded_and_declined_deletes_nothing(world):
    before = _remaining()
    result, output = _run(ask_answers=("n",), max_number=8)
    assert result is None
    assert _remaining() == before
    assert "exceeds the maximum number of objects (8)" in output[1]


def test_max_number_deletes_whole_goals_up_to_the_limit(world):
    # A (6 rows) fits in 8; adding B (5 more) would not, so only A goes.
    result, _output = _run(ask_answers=("y", "y"), max_number=8)
    assert len(result) == 6
    assert _remaining() == {
        kind: ids - _ids_of(world, "A")[kind] for kind, ids in _ids_of(world, "ABCD").items()}


def test_max_number_not_exceeded_purges_everything(world):
    result, _output = _run(max_number=100)
    assert len(result) == 17


def test_negative_max_number_is_refused(world):
    with pytest.raises(exception.NegativeLimitError):
        _run(max_number=-1)


def test_rows_still_referenced_from_outside_the_purge_are_kept(world):
    # A live audit on A's deleted strategy keeps that strategy and its goal.
    dbf.make_audit(goal_id=world["C"]["goals"].id, strategy_id=world["A"]["strategies"].id)
    result, _output = _run(exclude_orphans=True)
    assert world["A"]["strategies"].id not in result.ids("strategies")
    assert world["A"]["goals"].id not in result.ids("goals")
    remaining = _remaining()
    assert world["A"]["strategies"].id in remaining["strategies"]
    assert world["A"]["audits"].id not in remaining["audits"]
