"""``/v1/strategies``: strategies (read-only) and ``/{strategy}/state`` from the engine."""

from __future__ import annotations

import pecan
from oslo_utils import uuidutils
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from watcher import objects
from watcher.api.controllers import base, link
from watcher.api.controllers.v1 import collection, types
from watcher.api.controllers.v1 import utils as api_utils
from watcher.common import exception, policy
from watcher.decision_engine import rpcapi

LIST_FIELDS = ["uuid", "name", "display_name", "goal_uuid", "goal_name"]
# Upstream's Strategy exposes only these (no created/updated/deleted_at), as
# strategy-show-response.json shows.
FIELDS = [*LIST_FIELDS, "parameters_spec"]
ADDITIONAL_SORT_KEYS = ("goal_uuid", "goal_name")


class Strategy(base.APIBase):
    uuid = types.uuid
    name = wtypes.text
    display_name = wtypes.text
    goal_uuid = wtypes.text
    goal_name = wtypes.text
    parameters_spec = {wtypes.text: types.jsontype}
    links = wtypes.wsattr([link.Link], readonly=True)

    @classmethod
    def convert_with_links(cls, strategy, expand: bool = True) -> Strategy:
        values = strategy.as_dict()
        goal = strategy.goal
        values["goal_uuid"] = goal.uuid if goal else None
        values["goal_name"] = goal.name if goal else None
        item = cls.from_values(values)
        item.unset_fields_except(FIELDS if expand else LIST_FIELDS)
        item.links = link.self_and_bookmark("strategies", item.uuid)
        return item


class StrategyCollection(collection.Collection):
    strategies = [Strategy]
    _type = "strategies"

    @classmethod
    def convert_with_links(cls, strategies, limit, url=None, expand=False, **kwargs):
        page = cls()
        page.strategies = [Strategy.convert_with_links(item, expand) for item in strategies]
        page.next = page.get_next(limit, url=url, **kwargs)
        return page


def goal_filter(goal: str | None) -> dict:
    if not goal:
        return {}
    return {"goal_uuid": goal} if uuidutils.is_uuid_like(goal) else {"goal_name": goal}


class StrategiesController(rest.RestController):
    _custom_actions = {"detail": ["GET"], "state": ["GET"]}

    def __init__(self):
        super().__init__()
        self.de_client = rpcapi.DecisionEngineAPI()

    def _collection(self, marker, limit, sort_key, sort_dir, expand=False, resource_url=None,
                    goal=None):
        strategies, limit, need_api_sort = collection.fetch_page(
            objects.Strategy, marker, limit, sort_key, sort_dir,
            filters=goal_filter(goal), additional_fields=ADDITIONAL_SORT_KEYS, eager=True,
        )
        page = StrategyCollection.convert_with_links(
            strategies, limit, url=resource_url, expand=expand,
            **api_utils.as_filters_dict(goal=goal), sort_key=sort_key, sort_dir=sort_dir,
        )
        if need_api_sort:
            api_utils.make_api_sort(page.strategies, sort_key, sort_dir)
        return page

    @wsme_pecan.wsexpose(StrategyCollection, wtypes.text, wtypes.text, int, wtypes.text,
                         wtypes.text)
    def get_all(self, goal=None, marker=None, limit=None, sort_key="id", sort_dir="asc"):
        policy.enforce(pecan.request.context, "strategy:get_all")
        return self._collection(marker, limit, sort_key, sort_dir, goal=goal)

    @wsme_pecan.wsexpose(StrategyCollection, wtypes.text, wtypes.text, int, wtypes.text,
                         wtypes.text)
    def detail(self, goal=None, marker=None, limit=None, sort_key="id", sort_dir="asc"):
        policy.enforce(pecan.request.context, "strategy:detail")
        if pecan.request.path.split("/")[:-1][-1] != "strategies":
            raise exception.HTTPNotFound
        return self._collection(marker, limit, sort_key, sort_dir, True, "strategies/detail",
                                goal=goal)

    @wsme_pecan.wsexpose(types.jsontype, wtypes.text)
    def state(self, strategy):
        """Readiness of the strategy (datasource, metrics, models) as the engine sees it."""
        context = pecan.request.context
        policy.enforce(context, "strategy:state")
        if pecan.request.path.split("/")[-3:-2] != ["strategies"]:
            raise exception.HTTPNotFound
        found = api_utils.get_resource("Strategy", strategy)
        rows = list(self.de_client.get_strategy_info(context, found.name) or [])
        rows.append({"type": "Name", "state": found.name, "mandatory": "", "comment": ""})
        return rows

    @wsme_pecan.wsexpose(Strategy, wtypes.text)
    def get_one(self, strategy):
        # Looked up before the policy check, as upstream: an unknown one is a 404 for anyone.
        found = api_utils.get_resource("Strategy", strategy, eager=True)
        policy.enforce(pecan.request.context, "strategy:get")
        return Strategy.convert_with_links(found)
