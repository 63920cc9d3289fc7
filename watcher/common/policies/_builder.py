"""Builds the documented rules of one resource from a compact table."""

from oslo_policy import policy


def documented(
    resource: str, table: list[tuple[str, str, str, str, str]]
) -> list[policy.DocumentedRuleDefault]:
    """``table`` rows are (action, check, description, method, path)."""
    return [
        policy.DocumentedRuleDefault(
            name=f"{resource}:{action}",
            check_str=check,
            description=description,
            operations=[{"method": method, "path": path}],
        )
        for action, check, description, method, path in table
    ]
