"""The policy enforcer of the API: oslo.policy with the rules of watcher.common.policies."""

from __future__ import annotations

import threading

from oslo_config import cfg
from oslo_policy import policy

from watcher.common import exception, policies

CONF = cfg.CONF

_ENFORCER: policy.Enforcer | None = None
_LOCK = threading.Lock()


def init(conf: cfg.ConfigOpts | None = None, policy_file: str | None = None) -> policy.Enforcer:
    """Build the process-wide enforcer once, with every default rule registered."""
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is None:
            enforcer = policy.Enforcer(conf or CONF, policy_file=policy_file)
            enforcer.register_defaults(policies.list_rules())
            _ENFORCER = enforcer
        return _ENFORCER


def reset() -> None:
    """Forget the enforcer (tests switch policy files and rules between cases)."""
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is not None:
            _ENFORCER.clear()
        _ENFORCER = None


def get_enforcer() -> policy.Enforcer:
    """Entry point ``oslo.policy.enforcer``: used by oslopolicy-checker and friends."""
    CONF([], project="watcher")
    return init()


def enforce(
    context,
    rule: str,
    target: dict | None = None,
    do_raise: bool = True,
) -> bool:
    """Check ``rule`` for the request context; raise PolicyNotAuthorized (403) when denied."""
    enforcer = init()
    credentials = context.to_policy_values()
    if target is None:
        target = {"project_id": context.project_id, "user_id": context.user_id}
    return enforcer.enforce(
        rule,
        target,
        credentials,
        do_raise=do_raise,
        exc=exception.PolicyNotAuthorized,
        action=rule,
    )
