"""Rules of the goal resource: all admin-only, as upstream."""

from oslo_policy import policy

from watcher.common.policies import base
from watcher.common.policies._builder import documented

RULES = documented(
    "goal",
    [
        (
            "detail",
            base.RULE_ADMIN_API,
            "Retrieve a list of goals with detail.",
            "GET",
            "/v1/goals/detail",
        ),
        ("get", base.RULE_ADMIN_API, "Get a goal.", "GET", "/v1/goals/{goal_uuid}"),
        ("get_all", base.RULE_ADMIN_API, "Get all goals.", "GET", "/v1/goals"),
    ],
)


def list_rules() -> list[policy.RuleDefault]:
    return RULES
