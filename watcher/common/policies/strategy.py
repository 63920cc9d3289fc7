"""Rules of the strategy resource: all admin-only, as upstream."""

from oslo_policy import policy

from watcher.common.policies import base
from watcher.common.policies._builder import documented

RULES = documented(
    "strategy",
    [
        (
            "detail",
            base.RULE_ADMIN_API,
            "List strategies with detail.",
            "GET",
            "/v1/strategies/detail",
        ),
        ("get", base.RULE_ADMIN_API, "Get a strategy.", "GET", "/v1/strategies/{strategy_uuid}"),
        ("get_all", base.RULE_ADMIN_API, "List all strategies.", "GET", "/v1/strategies"),
        (
            "state",
            base.RULE_ADMIN_API,
            "Get state of strategy.",
            "GET",
            "/v1/strategies/{strategy_uuid}/state",
        ),
    ],
)


def list_rules() -> list[policy.RuleDefault]:
    return RULES
