"""Every policy rule of the API, with upstream's names and defaults.

``list_rules`` is the ``oslo.policy.policies`` entry point used by oslopolicy-sample-generator
and by the enforcer itself.
"""

import itertools

from oslo_policy import policy

from watcher.common.policies import (
    action,
    action_plan,
    audit,
    audit_template,
    base,
    data_model,
    goal,
    scoring_engine,
    service,
    strategy,
    webhook,
)

_MODULES = (
    base,
    action,
    action_plan,
    audit,
    audit_template,
    data_model,
    goal,
    scoring_engine,
    service,
    strategy,
    webhook,
)


def list_rules() -> list[policy.RuleDefault]:
    return list(itertools.chain.from_iterable(module.list_rules() for module in _MODULES))
