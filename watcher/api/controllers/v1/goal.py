"""``/v1/goals``: the optimization goals (read-only; the decision engine syncs them)."""

from __future__ import annotations

import pecan
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from watcher import objects
from watcher.api.controllers import base, link
from watcher.api.controllers.v1 import collection, types
from watcher.api.controllers.v1 import utils as api_utils
from watcher.common import exception, policy

# Upstream keeps the efficacy specification in the short form too (goal-list-response.json).
LIST_FIELDS = ["uuid", "name", "display_name", "efficacy_specification"]


class Goal(base.APIBase):
    uuid = types.uuid
    name = wtypes.text
    display_name = wtypes.text
    efficacy_specification = wtypes.wsattr(types.jsontype, readonly=True)
    links = wtypes.wsattr([link.Link], readonly=True)

    @classmethod
    def convert_with_links(cls, goal, expand: bool = True) -> Goal:
        item = cls.from_values(goal.as_dict())
        if not expand:
            item.unset_fields_except(LIST_FIELDS)
        item.links = link.self_and_bookmark("goals", item.uuid)
        return item


class GoalCollection(collection.Collection):
    goals = [Goal]
    _type = "goals"

    @classmethod
    def convert_with_links(cls, goals, limit, url=None, expand=False, **kwargs):
        page = cls()
        page.goals = [Goal.convert_with_links(goal, expand) for goal in goals]
        page.next = page.get_next(limit, url=url, **kwargs)
        return page


class GoalsController(rest.RestController):
    _custom_actions = {"detail": ["GET"]}

    def _collection(self, marker, limit, sort_key, sort_dir, expand=False, resource_url=None):
        goals, limit, need_api_sort = collection.fetch_page(
            objects.Goal, marker, limit, sort_key, sort_dir
        )
        page = GoalCollection.convert_with_links(
            goals, limit, url=resource_url, expand=expand, sort_key=sort_key, sort_dir=sort_dir
        )
        if need_api_sort:
            api_utils.make_api_sort(page.goals, sort_key, sort_dir)
        return page

    @wsme_pecan.wsexpose(GoalCollection, wtypes.text, int, wtypes.text, wtypes.text)
    def get_all(self, marker=None, limit=None, sort_key="id", sort_dir="asc"):
        policy.enforce(pecan.request.context, "goal:get_all")
        return self._collection(marker, limit, sort_key, sort_dir)

    @wsme_pecan.wsexpose(GoalCollection, wtypes.text, int, wtypes.text, wtypes.text)
    def detail(self, marker=None, limit=None, sort_key="id", sort_dir="asc"):
        policy.enforce(pecan.request.context, "goal:detail")
        if pecan.request.path.split("/")[:-1][-1] != "goals":
            raise exception.HTTPNotFound
        return self._collection(marker, limit, sort_key, sort_dir, True, "goals/detail")

    @wsme_pecan.wsexpose(Goal, wtypes.text)
    def get_one(self, goal):
        # Looked up before the policy check, as upstream: an unknown one is a 404 for anyone.
        found = api_utils.get_resource("Goal", goal)
        policy.enforce(pecan.request.context, "goal:get")
        return Goal.convert_with_links(found)
