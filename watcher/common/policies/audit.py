"""Rules of the audit resource: all admin-only, as upstream."""

from oslo_policy import policy

from watcher.common.policies import base
from watcher.common.policies._builder import documented

RULES = documented(
    "audit",
    [
        ("create", base.RULE_ADMIN_API, "Create a new audit.", "POST", "/v1/audits"),
        ("delete", base.RULE_ADMIN_API, "Delete an audit.", "DELETE", "/v1/audits/{audit_uuid}"),
        (
            "detail",
            base.RULE_ADMIN_API,
            "Retrieve audit list with details.",
            "GET",
            "/v1/audits/detail",
        ),
        ("get", base.RULE_ADMIN_API, "Get an audit.", "GET", "/v1/audits/{audit_uuid}"),
        ("get_all", base.RULE_ADMIN_API, "Get all audits.", "GET", "/v1/audits"),
        ("update", base.RULE_ADMIN_API, "Update an audit.", "PATCH", "/v1/audits/{audit_uuid}"),
    ],
)


def list_rules() -> list[policy.RuleDefault]:
    return RULES
