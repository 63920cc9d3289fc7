"""Rules of the audit_template resource: all admin-only, as upstream."""

from oslo_policy import policy

from watcher.common.policies import base
from watcher.common.policies._builder import documented

RULES = documented(
    "audit_template",
    [
        ("create", base.RULE_ADMIN_API, "Create an audit template.", "POST", "/v1/audit_templates"),
        (
            "delete",
            base.RULE_ADMIN_API,
            "Delete an audit template.",
            "DELETE",
            "/v1/audit_templates/{audit_template_uuid}",
        ),
        (
            "detail",
            base.RULE_ADMIN_API,
            "Retrieve a list of audit templates with details.",
            "GET",
            "/v1/audit_templates/detail",
        ),
        (
            "get",
            base.RULE_ADMIN_API,
            "Get an audit template.",
            "GET",
            "/v1/audit_templates/{audit_template_uuid}",
        ),
        (
            "get_all",
            base.RULE_ADMIN_API,
            "Get a list of all audit templates.",
            "GET",
            "/v1/audit_templates",
        ),
        (
            "update",
            base.RULE_ADMIN_API,
            "Update an audit template.",
            "PATCH",
            "/v1/audit_templates/{audit_template_uuid}",
        ),
    ],
)


def list_rules() -> list[policy.RuleDefault]:
    return RULES
