"""Rules of the action_plan resource: all admin-only, as upstream."""

from oslo_policy import policy

from watcher.common.policies import base
from watcher.common.policies._builder import documented

RULES = documented(
    "action_plan",
    [
        (
            "delete",
            base.RULE_ADMIN_API,
            "Delete an action plan.",
            "DELETE",
            "/v1/action_plans/{action_plan_uuid}",
        ),
        (
            "detail",
            base.RULE_ADMIN_API,
            "Retrieve a list of action plans with details.",
            "GET",
            "/v1/action_plans/detail",
        ),
        (
            "get",
            base.RULE_ADMIN_API,
            "Get an action plan.",
            "GET",
            "/v1/action_plans/{action_plan_id}",
        ),
        ("get_all", base.RULE_ADMIN_API, "Get all action plans.", "GET", "/v1/action_plans"),
        (
            "update",
            base.RULE_ADMIN_API,
            "Update an action plan.",
            "PATCH",
            "/v1/action_plans/{action_plan_uuid}",
        ),
        (
            "start",
            base.RULE_ADMIN_API,
            "Start an action plan.",
            "POST",
            "/v1/action_plans/{action_plan_uuid}/start",
        ),
    ],
)


def list_rules() -> list[policy.RuleDefault]:
    return RULES
