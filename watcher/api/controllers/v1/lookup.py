"""Resolving the goal and strategy a request names (by UUID or name) into objects."""

from __future__ import annotations

from oslo_utils import uuidutils

from watcher import objects
from watcher._i18n import _
from watcher.common import exception


def _get(cls, context, ident):
    if uuidutils.is_uuid_like(ident) or str(ident).isdigit():
        return cls.get(context, ident)
    return cls.get_by_name(context, ident)


def find_goal(context, ident: str):
    """The goal named ``ident``; 400 InvalidGoal when there is none."""
    try:
        return _get(objects.Goal, context, ident)
    except exception.GoalNotFound as err:
        raise exception.InvalidGoal(goal=ident) from err


def find_strategy(context, ident: str):
    """The strategy named ``ident``; 400 InvalidStrategy when there is none."""
    try:
        return _get(objects.Strategy, context, ident)
    except exception.StrategyNotFound as err:
        raise exception.InvalidStrategy(strategy=ident) from err


def check_strategy_of_goal(context, strategy, goal) -> None:
    """400 unless ``strategy`` achieves ``goal``; the message lists the possible choices."""
    if strategy.goal_id == goal.id:
        return
    choices = ", ".join(
        f"'{item.uuid}' ({item.name})"
        for item in objects.Strategy.list(context, filters={"goal_id": goal.id})
    )
    raise exception.InvalidStrategy(
        message=_("'%(strategy)s' strategy does relate to the '%(goal)s' goal. Possible "
                  "choices: %(choices)s")
        % {"strategy": strategy.name, "goal": goal.name, "choices": choices}
    )
