"""Rules of the scoring_engine resource: all admin-only, as upstream."""

from oslo_policy import policy

from watcher.common.policies import base
from watcher.common.policies._builder import documented

RULES = documented(
    "scoring_engine",
    [
        (
            "detail",
            base.RULE_ADMIN_API,
            "List scoring engines with details.",
            "GET",
            "/v1/scoring_engines/detail",
        ),
        (
            "get",
            base.RULE_ADMIN_API,
            "Get a scoring engine.",
            "GET",
            "/v1/scoring_engines/{scoring_engine_id}",
        ),
        ("get_all", base.RULE_ADMIN_API, "Get all scoring engines.", "GET", "/v1/scoring_engines"),
    ],
)


def list_rules() -> list[policy.RuleDefault]:
    return RULES
