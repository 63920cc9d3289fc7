"""Links in resource bodies (``self``/``bookmark``) and the ``next`` page URL."""

from __future__ import annotations

import pecan
from wsme import types as wtypes

from watcher.api.controllers import base


def build_url(
    resource: str, resource_args: str, bookmark: bool = False, base_url: str | None = None
) -> str:
    if base_url is None:
        base_url = pecan.request.application_url
    url = f"{base_url}/{resource}" if bookmark else f"{base_url}/v1/{resource}"
    return url + (resource_args if resource_args.startswith("?") else "/" + resource_args)


class Link(base.APIBase):
    href = wtypes.text
    rel = wtypes.text
    type = wtypes.text

    @staticmethod
    def make_link(
        rel_name: str,
        url: str,
        resource: str,
        resource_args: str,
        bookmark: bool = False,
        type=wtypes.Unset,
    ) -> Link:
        href = build_url(resource, resource_args, bookmark=bookmark, base_url=url)
        return Link(href=href, rel=rel_name, type=type)


def self_and_bookmark(resource: str, ident: str, url: str | None = None) -> list[Link]:
    url = url or pecan.request.application_url
    return [
        Link.make_link("self", url, resource, ident),
        Link.make_link("bookmark", url, resource, ident, bookmark=True),
    ]
