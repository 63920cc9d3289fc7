"""``/v1/services``: the watcher services and whether their heartbeat is recent."""

from __future__ import annotations

import datetime

import pecan
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from watcher import objects
from watcher.api.controllers import base, link
from watcher.api.controllers.v1 import collection
from watcher.api.controllers.v1 import utils as api_utils
from watcher.common import exception, policy

LIST_FIELDS = ["id", "name", "host", "status"]


class Service(base.APIBase):
    id = int
    name = wtypes.text
    host = wtypes.text
    status = wtypes.text
    last_seen_up = wtypes.wsattr(datetime.datetime, readonly=True)
    links = wtypes.wsattr([link.Link], readonly=True)

    @classmethod
    def convert_with_links(cls, service, expand: bool = True) -> Service:
        values = service.as_dict()
        values["status"] = service.get_status()
        item = cls.from_values(values)
        if not expand:
            item.unset_fields_except(LIST_FIELDS)
        item.links = link.self_and_bookmark("services", str(item.id))
        return item


class ServiceCollection(collection.Collection):
    services = [Service]
    _type = "services"

    @classmethod
    def convert_with_links(cls, services, limit, url=None, expand=False, **kwargs):
        page = cls()
        page.services = [Service.convert_with_links(s, expand) for s in services]
        page.next = page.get_next(limit, url=url, marker_field="id", **kwargs)
        return page


class ServicesController(rest.RestController):
    _custom_actions = {"detail": ["GET"]}

    def _collection(self, marker, limit, sort_key, sort_dir, expand=False, resource_url=None):
        services, limit, need_api_sort = collection.fetch_page(
            objects.Service, marker, limit, sort_key, sort_dir
        )
        page = ServiceCollection.convert_with_links(
            services, limit, url=resource_url, expand=expand, sort_key=sort_key,
            sort_dir=sort_dir,
        )
        if need_api_sort:
            api_utils.make_api_sort(page.services, sort_key, sort_dir)
        return page

    @wsme_pecan.wsexpose(ServiceCollection, int, int, wtypes.text, wtypes.text)
    def get_all(self, marker=None, limit=None, sort_key="id", sort_dir="asc"):
        policy.enforce(pecan.request.context, "service:get_all")
        return self._collection(marker, limit, sort_key, sort_dir)

    @wsme_pecan.wsexpose(ServiceCollection, int, int, wtypes.text, wtypes.text)
    def detail(self, marker=None, limit=None, sort_key="id", sort_dir="asc"):
        policy.enforce(pecan.request.context, "service:detail")
        if pecan.request.path.split("/")[:-1][-1] != "services":
            raise exception.HTTPNotFound
        return self._collection(marker, limit, sort_key, sort_dir, True, "services/detail")

    @wsme_pecan.wsexpose(Service, wtypes.text)
    def get_one(self, service):
        # Looked up before the policy check, as upstream: an unknown one is a 404 for anyone.
        found = api_utils.get_resource("Service", service)
        policy.enforce(pecan.request.context, "service:get")
        return Service.convert_with_links(found)
