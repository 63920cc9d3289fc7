"""DB API single-row behaviour on SQLite, MariaDB and PostgreSQL (the ``any_db`` fixture)."""

import datetime

import pytest
from oslo_utils import uuidutils
from sqlalchemy import exc as sa_exc

from watcher.common import context as watcher_context
from watcher.common import exception
from watcher.db import api as db_api
from watcher.tests.fixtures import database as dbf

pytestmark = pytest.mark.usefixtures("any_db")


@pytest.fixture
def dbapi():
    return db_api.get_instance()


@pytest.fixture
def ctx():
    return watcher_context.get_admin_context()


@pytest.fixture
def deleted_ctx():
    return watcher_context.get_admin_context(show_deleted=True)


# resource name -> (factory, NotFound class, whether it has uuid, name lookup field or None)
RESOURCES = {
    "goal": (dbf.make_goal, exception.GoalNotFound, True, "name"),
    "strategy": (dbf.make_strategy, exception.StrategyNotFound, True, "name"),
    "audit_template": (dbf.make_audit_template, exception.AuditTemplateNotFound, True, "name"),
    "audit": (dbf.make_audit, exception.AuditNotFound, True, "name"),
    "action_plan": (dbf.make_action_plan, exception.ActionPlanNotFound, True, None),
    "action": (dbf.make_action, exception.ActionNotFound, True, None),
    "efficacy_indicator": (dbf.make_efficacy_indicator, exception.EfficacyIndicatorNotFound,
                           True, "name"),
    "scoring_engine": (dbf.make_scoring_engine, exception.ScoringEngineNotFound, True, "name"),
    "service": (dbf.make_service, exception.ServiceNotFound, False, "name"),
    "action_description": (dbf.make_action_description, exception.ActionDescriptionNotFound,
                           False, "type"),
}


def _method(dbapi, verb: str, resource: str, suffix: str = ""):
    return getattr(dbapi, f"{verb}_{resource}{suffix}")


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_get_by_each_identity(dbapi, ctx, resource):
    factory, _not_found, has_uuid, name_field = RESOURCES[resource]
    row = factory()
    other = factory()
    assert _method(dbapi, "get", resource, "_by_id")(ctx, row.id).id == row.id
    assert _method(dbapi, "get", resource, "_by_id")(ctx, str(other.id)).id == other.id
    if has_uuid:
        assert uuidutils.is_uuid_like(row.uuid)
        assert _method(dbapi, "get", resource, "_by_uuid")(ctx, row.uuid).id == row.id
    if name_field == "name":
        assert _method(dbapi, "get", resource, "_by_name")(ctx, row.name).id == row.id
    elif name_field == "type":
        assert dbapi.get_action_description_by_type(ctx, row.action_type).id == row.id
    assert isinstance(row.created_at, datetime.datetime)
    assert row.updated_at is None
    assert row.deleted == 0 and row.deleted_at is None


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_missing_rows_raise_the_resource_not_found(dbapi, ctx, resource):
    _factory, not_found, has_uuid, _name = RESOURCES[resource]
    with pytest.raises(not_found):
        _method(dbapi, "get", resource, "_by_id")(ctx, 123456)
    with pytest.raises(not_found):
        _method(dbapi, "get", resource, "_by_id")(ctx, "not-an-id")
    with pytest.raises(not_found):
        _method(dbapi, "get", resource, "_by_id")(ctx, 2**40)
    with pytest.raises(not_found):
        _method(dbapi, "destroy", resource)(str(2**40))
    if has_uuid:
        with pytest.raises(not_found):
            _method(dbapi, "get", resource, "_by_uuid")(ctx, uuidutils.generate_uuid())
    with pytest.raises(not_found):
        _method(dbapi, "update", resource)(123456, {"deleted_at": None})
    with pytest.raises(not_found):
        _method(dbapi, "soft_delete", resource)(123456)
    with pytest.raises(not_found):
        _method(dbapi, "destroy", resource)(123456)


def test_create_keeps_a_given_uuid_and_does_not_touch_the_callers_dict(dbapi):
    given = uuidutils.generate_uuid()
    values = {"uuid": given, "name": "g", "display_name": "G", "efficacy_specification": []}
    assert dbapi.create_goal(values).uuid == given
    values = {"name": "g2", "display_name": "G", "efficacy_specification": []}
    dbapi.create_goal(values)
    assert "uuid" not in values


def test_json_columns_round_trip_and_none_becomes_empty(dbapi, ctx):
    audit = dbf.make_audit(parameters={"threshold": 0.5, "nested": {"a": [1, 2]}},
                           scope=[{"compute": [{"host_aggregates": [{"id": 1}]}]}])
    fetched = dbapi.get_audit_by_uuid(ctx, audit.uuid)
    assert fetched.parameters == {"threshold": 0.5, "nested": {"a": [1, 2]}}
    assert fetched.scope == [{"compute": [{"host_aggregates": [{"id": 1}]}]}]
    empty = dbf.make_audit(parameters=None, scope=None)
    fetched = dbapi.get_audit_by_id(ctx, empty.id)
    assert fetched.parameters == {} and fetched.scope == []


def test_json_column_refuses_the_wrong_container(dbapi):
    with pytest.raises(exception.Invalid):
        dbf.make_audit(parameters=["not", "a", "dict"])
    with pytest.raises(exception.Invalid):
        dbf.make_audit(scope={"not": "a list"})


def test_audit_and_action_defaults(dbapi):
    audit = dbf.make_audit()
    assert (audit.state, audit.auto_trigger, audit.force) == ("PENDING", False, False)
    action = dbf.make_action()
    assert action.state == "PENDING"
    explicit = dbf.make_audit(state="ONGOING", auto_trigger=True, force=True)
    assert (explicit.state, explicit.auto_trigger, explicit.force) == ("ONGOING", True, True)


def test_efficacy_indicator_keeps_decimals(dbapi, ctx):
    indicator = dbf.make_efficacy_indicator(value=12.345678, data=0.123456789)
    fetched = dbapi.get_efficacy_indicator_by_id(ctx, indicator.id)
    assert fetched.value == pytest.approx(12.345678)
    assert fetched.data == pytest.approx(0.123456789)


def test_update_changes_values_and_timestamp(dbapi, ctx):
    audit = dbf.make_audit()
    updated = dbapi.update_audit(audit.uuid, {"state": "ONGOING", "hostname": "de-1",
                                              "parameters": {"k": 1}})
    assert updated.state == "ONGOING" and updated.updated_at is not None
    fetched = dbapi.get_audit_by_id(ctx, audit.id)
    assert (fetched.state, fetched.hostname, fetched.parameters) == ("ONGOING", "de-1", {"k": 1})
    assert dbapi.update_audit(audit.id, {"state": "SUCCEEDED"}).state == "SUCCEEDED"


@pytest.mark.parametrize("field", ["id", "uuid"])
def test_update_refuses_to_change_identity(dbapi, field):
    goal = dbf.make_goal()
    with pytest.raises(exception.Invalid):
        dbapi.update_goal(goal.id, {field: uuidutils.generate_uuid()})


def test_update_refuses_unknown_fields_and_bad_identities(dbapi):
    goal = dbf.make_goal()
    with pytest.raises(exception.Invalid):
        dbapi.update_goal(goal.id, {"colour": "blue"})
    with pytest.raises(exception.InvalidIdentity):
        dbapi.update_goal("neither-an-id-nor-a-uuid", {"display_name": "x"})


def test_too_long_values_are_refused_on_every_backend(dbapi):
    with pytest.raises(exception.Invalid):
        dbf.make_audit(name="n" * 64)
    goal = dbf.make_goal()
    with pytest.raises(exception.Invalid):
        dbapi.update_goal(goal.id, {"display_name": "d" * 64})


def test_status_message_is_cut_to_the_column_length(dbapi, ctx):
    action = dbf.make_action()
    dbapi.update_action(action.id, {"status_message": "x" * 1000})
    assert dbapi.get_action_by_id(ctx, action.id).status_message == "x" * 255


def test_soft_delete_hides_rows_unless_show_deleted(dbapi, ctx, deleted_ctx):
    goal = dbf.make_goal()
    kept = dbf.make_goal()
    row = dbapi.soft_delete_goal(goal.uuid)
    assert row.deleted == goal.id and row.deleted_at is not None
    with pytest.raises(exception.GoalNotFound):
        dbapi.get_goal_by_uuid(ctx, goal.uuid)
    with pytest.raises(exception.GoalNotFound):
        dbapi.get_goal_by_name(ctx, goal.name)
    assert [g.id for g in dbapi.get_goal_list(ctx)] == [kept.id]
    assert dbapi.get_goal_by_uuid(deleted_ctx, goal.uuid).deleted_at is not None
    assert [g.id for g in dbapi.get_goal_list(deleted_ctx)] == [goal.id, kept.id]


def test_a_name_is_free_again_once_soft_deleted(dbapi, ctx, deleted_ctx):
    first = dbf.make_goal(name="dummy")
    dbapi.soft_delete_goal(first.id)
    second = dbf.make_goal(name="dummy")
    assert dbapi.get_goal_by_name(ctx, "dummy").id == second.id
    # With deleted rows visible, the live row still wins the name lookup.
    assert dbapi.get_goal_by_name(deleted_ctx, "dummy").id == second.id


def test_destroy_removes_the_row(dbapi, deleted_ctx):
    template = dbf.make_audit_template()
    dbapi.destroy_audit_template(template.uuid)
    with pytest.raises(exception.AuditTemplateNotFound):
        dbapi.get_audit_template_by_id(deleted_ctx, template.id)


def test_destroy_refuses_referenced_rows(dbapi):
    action = dbf.make_action()
    plan = dbapi.get_action_plan_by_id(watcher_context.get_admin_context(), action.action_plan_id)
    with pytest.raises(exception.ActionPlanReferenced):
        dbapi.destroy_action_plan(plan.uuid)
    with pytest.raises(exception.AuditReferenced):
        dbapi.destroy_audit(plan.audit_id)
    with pytest.raises(exception.StrategyReferenced):
        dbapi.destroy_strategy(plan.strategy_id)
    strategy = dbf.make_strategy()
    with pytest.raises(exception.GoalReferenced):
        dbapi.destroy_goal(strategy.goal_id)
    # Children first, then the parents go.
    dbapi.destroy_action(action.id)
    dbapi.destroy_action_plan(plan.id)
    dbapi.destroy_audit(plan.audit_id)
    dbapi.destroy_strategy(strategy.id)
    dbapi.destroy_goal(strategy.goal_id)


def test_efficacy_indicators_also_hold_their_action_plan(dbapi):
    indicator = dbf.make_efficacy_indicator()
    with pytest.raises(exception.ActionPlanReferenced):
        dbapi.destroy_action_plan(indicator.action_plan_id)


DUPLICATES = {
    "goal": (dbf.make_goal, exception.GoalAlreadyExists, {"name": "same"}),
    "strategy": (dbf.make_strategy, exception.StrategyAlreadyExists, {"name": "same"}),
    "audit_template": (dbf.make_audit_template, exception.AuditTemplateAlreadyExists,
                       {"name": "same"}),
    "audit": (dbf.make_audit, exception.AuditAlreadyExists, {"name": "same"}),
    "scoring_engine": (dbf.make_scoring_engine, exception.ScoringEngineAlreadyExists,
                       {"name": "same"}),
    "service": (dbf.make_service, exception.ServiceAlreadyExists,
                {"name": "watcher-applier", "host": "h1"}),
    "action_description": (dbf.make_action_description,
                           exception.ActionDescriptionAlreadyExists, {"action_type": "same"}),
}


@pytest.mark.parametrize("resource", sorted(DUPLICATES))
def test_unique_keys_raise_already_exists(dbapi, resource):
    factory, already_exists, unique_values = DUPLICATES[resource]
    factory(**unique_values)
    with pytest.raises(already_exists):
        factory(**unique_values)


@pytest.mark.parametrize("factory,already_exists", [
    (dbf.make_goal, exception.GoalAlreadyExists),
    (dbf.make_action_plan, exception.ActionPlanAlreadyExists),
    (dbf.make_action, exception.ActionAlreadyExists),
    (dbf.make_efficacy_indicator, exception.EfficacyIndicatorAlreadyExists),
])
def test_duplicate_uuid_raises_already_exists(factory, already_exists):
    row = factory()
    with pytest.raises(already_exists):
        factory(uuid=row.uuid)


def test_renaming_onto_a_live_name_raises_already_exists(dbapi):
    dbf.make_audit_template(name="taken")
    other = dbf.make_audit_template()
    with pytest.raises(exception.AuditTemplateAlreadyExists):
        dbapi.update_audit_template(other.id, {"name": "taken"})


def test_services_share_a_name_across_hosts(dbapi, ctx):
    first = dbf.make_service(name="watcher-applier", host="a")
    dbf.make_service(name="watcher-applier", host="b")
    assert dbapi.get_service_by_name(ctx, "watcher-applier").id == first.id
    with pytest.raises(exception.ServiceNotFound):
        dbapi.get_service_by_name(ctx, "watcher-nothing")


def test_missing_parent_is_refused(dbapi):
    with pytest.raises(exception.Invalid):
        dbf.make_strategy(goal_id=987654)


def test_eager_loads_the_parents(dbapi, ctx):
    action = dbf.make_action()
    plan = dbapi.get_action_plan_by_id(ctx, action.action_plan_id, eager=True)
    assert plan.audit.id == plan.audit_id and plan.strategy.id == plan.strategy_id
    assert dbapi.get_action_by_uuid(ctx, action.uuid, eager=True).action_plan.uuid == plan.uuid
    audit = dbapi.get_audit_list(ctx, filters={"id": plan.audit_id}, eager=True)[0]
    assert audit.goal.id == audit.goal_id and audit.strategy is None
    strategy = dbapi.get_strategy_by_id(ctx, plan.strategy_id, eager=True)
    assert strategy.goal.name.startswith("goal-")
    lazy = dbapi.get_strategy_by_id(ctx, plan.strategy_id)
    with pytest.raises(sa_exc.InvalidRequestError):
        _ = lazy.goal


def test_transaction_rolls_back_every_write(dbapi, ctx):
    with pytest.raises(exception.GoalAlreadyExists):
        with dbapi.transaction():
            dbf.make_goal(name="first")
            dbf.make_goal(name="second")
            dbf.make_goal(name="first")
    assert dbapi.get_goal_list(ctx) == []
    with dbapi.transaction():
        goal = dbf.make_goal(name="first")
        dbf.make_strategy(goal_id=goal.id)
    assert len(dbapi.get_strategy_list(ctx)) == 1
