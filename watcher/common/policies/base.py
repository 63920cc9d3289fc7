"""Rules the per-resource rules refer to."""

from oslo_policy import policy

RULE_ADMIN_API = "rule:admin_api"
RULE_ADMIN_OR_SERVICE_API = "rule:admin_or_service_api"

RULES = [
    policy.RuleDefault("admin_api", "role:admin or role:administrator"),
    policy.RuleDefault("admin_or_service_api", "rule:admin_api or role:service"),
    policy.RuleDefault("show_password", "!"),
]


def list_rules() -> list[policy.RuleDefault]:
    return RULES
