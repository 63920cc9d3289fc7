"""Rules of the action resource: all admin-only, as upstream."""

from oslo_policy import policy

from watcher.common.policies import base
from watcher.common.policies._builder import documented

RULES = documented(
    "action",
    [
        (
            "detail",
            base.RULE_ADMIN_API,
            "Retrieve a list of actions with detail.",
            "GET",
            "/v1/actions/detail",
        ),
        (
            "get",
            base.RULE_ADMIN_API,
            "Retrieve information about a given action.",
            "GET",
            "/v1/actions/{action_id}",
        ),
        ("get_all", base.RULE_ADMIN_API, "Retrieve a list of all actions.", "GET", "/v1/actions"),
        (
            "update",
            base.RULE_ADMIN_API,
            "Update an action (skip it).",
            "PATCH",
            "/v1/actions/{action_id}",
        ),
    ],
)


def list_rules() -> list[policy.RuleDefault]:
    return RULES
