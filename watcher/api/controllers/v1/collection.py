"""Base of every listing: ``{"<resource>": [...], "next": "<url>"}``."""

from __future__ import annotations

import pecan
from wsme import types as wtypes

from watcher.api.controllers import base, link
from watcher.api.controllers.v1 import utils as api_utils


class Collection(base.APIBase):
    next = wtypes.text
    """Link to the next page; present only when this page is full."""

    _type = "items"

    @property
    def collection(self) -> list:
        return getattr(self, self._type)

    def has_next(self, limit: int) -> bool:
        return bool(self.collection) and len(self.collection) == limit

    def get_next(self, limit: int, url: str | None = None, marker_field: str = "uuid", **kwargs):
        if not self.has_next(limit):
            return wtypes.Unset
        # The query is upstream's format. Upstream passes only sort_key and sort_dir here, so
        # its second page forgets the filters; ours keeps them (see the API history doc).
        filters = "".join(f"{key}={value}&" for key, value in kwargs.items())
        marker = getattr(self.collection[-1], marker_field)
        args = f"?{filters}limit={limit}&marker={marker}"
        # host_url, not application_url, as upstream: python-watcherclient keeps only the path
        # of this link and appends it to its endpoint, which already holds any mount prefix.
        return link.Link.make_link("next", pecan.request.host_url, url or self._type, args).href


def fetch_page(
    obj_cls,
    marker,
    limit: int | None,
    sort_key: str,
    sort_dir: str,
    filters: dict | None = None,
    additional_fields: tuple = (),
    eager: bool = False,
) -> tuple[list, int, bool]:
    """Validate paging arguments and load one page of ``obj_cls``.

    Returns (objects, effective limit, whether ``sort_key`` must be sorted in the API layer
    because it is not a column).
    """
    columns = [name for name in obj_cls.fields if name not in obj_cls.object_fields]
    api_utils.validate_sort_key(sort_key, columns + list(additional_fields))
    limit = api_utils.validate_limit(limit)
    api_utils.validate_sort_dir(sort_dir)
    context = pecan.request.context
    marker_obj = None
    if marker is not None and marker != "":
        marker_obj = (
            obj_cls.get_by_uuid(context, marker)
            if "uuid" in obj_cls.fields
            else obj_cls.get(context, marker)
        )
    need_api_sort = api_utils.check_need_api_sort(sort_key, additional_fields)
    items = obj_cls.list(
        context,
        limit,
        marker_obj,
        filters=filters or {},
        sort_key=None if need_api_sort else sort_key,
        sort_dir=sort_dir,
        eager=eager,
    )
    return items, limit, need_api_sort
