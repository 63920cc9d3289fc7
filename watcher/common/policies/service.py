"""Rules of the service resource: all admin-only, as upstream."""

from oslo_policy import policy

from watcher.common.policies import base
from watcher.common.policies._builder import documented

RULES = documented(
    "service",
    [
        ("detail", base.RULE_ADMIN_API, "List services with detail.", "GET", "/v1/services/detail"),
        ("get", base.RULE_ADMIN_API, "Get a specific service.", "GET", "/v1/services/{service_id}"),
        ("get_all", base.RULE_ADMIN_API, "List all services.", "GET", "/v1/services"),
    ],
)


def list_rules() -> list[policy.RuleDefault]:
    return RULES
