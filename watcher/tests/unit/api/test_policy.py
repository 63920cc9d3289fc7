import pytest
from oslo_policy import policy as oslo_policy

from watcher.common import context, exception, policies, policy
from watcher.conf import CONF

ADMIN_ONLY = [
    "goal:detail", "goal:get", "goal:get_all",
    "strategy:detail", "strategy:get", "strategy:get_all", "strategy:state",
    "audit_template:create", "audit_template:delete", "audit_template:detail",
    "audit_template:get", "audit_template:get_all", "audit_template:update",
    "audit:create", "audit:delete", "audit:detail", "audit:get", "audit:get_all",
    "audit:update",
    "action_plan:delete", "action_plan:detail", "action_plan:get", "action_plan:get_all",
    "action_plan:update", "action_plan:start",
    "action:detail", "action:get", "action:get_all", "action:update",
    "scoring_engine:detail", "scoring_engine:get", "scoring_engine:get_all",
    "service:detail", "service:get", "service:get_all",
    "data_model:get_all",
]


@pytest.fixture(autouse=True)
def _fresh_enforcer():
    CONF([], project="watcher", default_config_files=[])
    policy.reset()
    yield
    policy.reset()


def test_rules_and_defaults_are_upstreams():
    rules = {rule.name: rule.check_str for rule in policies.list_rules()}
    assert rules["admin_api"] == "role:admin or role:administrator"
    assert rules["admin_or_service_api"] == "rule:admin_api or role:service"
    assert rules["show_password"] == "!"
    assert rules["webhook:trigger"] == "rule:admin_or_service_api"
    for name in ADMIN_ONLY:
        assert rules[name] == "rule:admin_api", name
    assert set(rules) == {"admin_api", "admin_or_service_api", "show_password",
                          "webhook:trigger", *ADMIN_ONLY}


def test_documented_rules_name_their_operations():
    for rule in policies.list_rules():
        if isinstance(rule, oslo_policy.DocumentedRuleDefault):
            assert rule.operations[0]["path"].startswith("/v1/")


def test_admin_is_allowed():
    admin = context.RequestContext(roles=["admin"], user_id="u", project_id="p")
    assert policy.enforce(admin, "audit:create")


def test_administrator_role_counts_as_admin():
    admin = context.RequestContext(roles=["administrator"])
    assert policy.enforce(admin, "goal:get_all")


def test_member_is_refused_with_the_rule_name():
    member = context.RequestContext(roles=["member"], user_id="u", project_id="p")
    with pytest.raises(exception.PolicyNotAuthorized) as raised:
        policy.enforce(member, "audit:create")
    assert raised.value.code == 403
    assert "audit:create" in str(raised.value)


def test_service_may_trigger_webhooks_only():
    service = context.RequestContext(roles=["service"])
    assert policy.enforce(service, "webhook:trigger")
    assert not policy.enforce(service, "audit:get", do_raise=False)


def test_the_enforcer_entry_point_knows_every_rule():
    enforcer = policy.get_enforcer()
    assert "strategy:state" in enforcer.registered_rules
