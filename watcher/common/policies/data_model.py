"""Rules of the data_model resource: all admin-only, as upstream."""

from oslo_policy import policy

from watcher.common.policies import base
from watcher.common.policies._builder import documented

RULES = documented(
    "data_model",
    [
        ("get_all", base.RULE_ADMIN_API, "List data model.", "GET", "/v1/data_model"),
    ],
)


def list_rules() -> list[policy.RuleDefault]:
    return RULES
