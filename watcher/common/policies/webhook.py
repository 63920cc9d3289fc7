"""Rule of the webhook endpoint: admins or services (alarm senders) may trigger audits."""

from oslo_policy import policy

from watcher.common.policies import base
from watcher.common.policies._builder import documented

RULES = documented(
    "webhook",
    [
        (
            "trigger",
            base.RULE_ADMIN_OR_SERVICE_API,
            "Trigger an EVENT audit through its webhook.",
            "POST",
            "/v1/webhooks/{audit_ident}",
        ),
    ],
)


def list_rules() -> list[policy.RuleDefault]:
    return RULES
