"""``/v1/scoring_engines``: the scoring engines the decision engine registered (read-only)."""

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

LIST_FIELDS = ["uuid", "name", "description"]
# Upstream's ScoringEngine exposes only these (no created/updated/deleted_at), as
# scoring_engine-show-response.json shows.
FIELDS = [*LIST_FIELDS, "metainfo"]


class ScoringEngine(base.APIBase):
    uuid = types.uuid
    name = wtypes.text
    description = wtypes.text
    metainfo = wtypes.text
    links = wtypes.wsattr([link.Link], readonly=True)

    @classmethod
    def convert_with_links(cls, engine, expand: bool = True) -> ScoringEngine:
        item = cls.from_values(engine.as_dict())
        item.unset_fields_except(FIELDS if expand else LIST_FIELDS)
        item.links = link.self_and_bookmark("scoring_engines", item.uuid)
        return item


class ScoringEngineCollection(collection.Collection):
    scoring_engines = [ScoringEngine]
    _type = "scoring_engines"

    @classmethod
    def convert_with_links(cls, engines, limit, url=None, expand=False, **kwargs):
        page = cls()
        page.scoring_engines = [ScoringEngine.convert_with_links(e, expand) for e in engines]
        page.next = page.get_next(limit, url=url, **kwargs)
        return page


class ScoringEngineController(rest.RestController):
    _custom_actions = {"detail": ["GET"]}

    def _collection(self, marker, limit, sort_key, sort_dir, expand=False, resource_url=None):
        engines, limit, need_api_sort = collection.fetch_page(
            objects.ScoringEngine, marker, limit, sort_key, sort_dir
        )
        page = ScoringEngineCollection.convert_with_links(
            engines, limit, url=resource_url, expand=expand, sort_key=sort_key,
            sort_dir=sort_dir,
        )
        if need_api_sort:
            api_utils.make_api_sort(page.scoring_engines, sort_key, sort_dir)
        return page

    @wsme_pecan.wsexpose(ScoringEngineCollection, wtypes.text, int, wtypes.text, wtypes.text)
    def get_all(self, marker=None, limit=None, sort_key="id", sort_dir="asc"):
        policy.enforce(pecan.request.context, "scoring_engine:get_all")
        return self._collection(marker, limit, sort_key, sort_dir)

    @wsme_pecan.wsexpose(ScoringEngineCollection, wtypes.text, int, wtypes.text, wtypes.text)
    def detail(self, marker=None, limit=None, sort_key="id", sort_dir="asc"):
        policy.enforce(pecan.request.context, "scoring_engine:detail")
        if pecan.request.path.split("/")[:-1][-1] != "scoring_engines":
            raise exception.HTTPNotFound
        return self._collection(marker, limit, sort_key, sort_dir, True,
                                "scoring_engines/detail")

    @wsme_pecan.wsexpose(ScoringEngine, wtypes.text)
    def get_one(self, scoring_engine):
        policy.enforce(pecan.request.context, "scoring_engine:get")
        return ScoringEngine.convert_with_links(
            api_utils.get_resource("ScoringEngine", scoring_engine)
        )
