"""``GET /``: the version discovery document; other paths go to the default version."""

from __future__ import annotations

import pecan
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from watcher.api.controllers import base, link, v1
from watcher.api.controllers.v1 import versions


class APIStatus:
    CURRENT = "CURRENT"
    SUPPORTED = "SUPPORTED"
    DEPRECATED = "DEPRECATED"
    EXPERIMENTAL = "EXPERIMENTAL"


class Version(base.APIBase):
    id = wtypes.text
    status = wtypes.text
    max_version = wtypes.text
    min_version = wtypes.text
    links = [link.Link]

    @staticmethod
    def convert(version_id: str, status: str = APIStatus.CURRENT) -> Version:
        version = Version()
        version.id = version_id
        version.status = status
        version.max_version = versions.max_version_string()
        version.min_version = versions.min_version_string()
        version.links = [
            link.Link.make_link("self", pecan.request.host_url, version_id, "", bookmark=True)
        ]
        return version


class Root(base.APIBase):
    name = wtypes.text
    description = wtypes.text
    versions = [Version]
    default_version = Version

    @staticmethod
    def convert() -> Root:
        root = Root()
        root.name = "OpenStack Watcher API"
        root.description = (
            "Watcher is an OpenStack project which aims to improve physical resources "
            "usage through better VM placement."
        )
        root.versions = [Version.convert("v1")]
        root.default_version = Version.convert("v1")
        return root


class RootController(rest.RestController):
    _versions = ["v1"]
    _default_version = "v1"

    v1 = v1.Controller()

    @wsme_pecan.wsexpose(Root)
    def get(self):
        # Built per request: links carry the host the client used.
        return Root.convert()

    @pecan.expose()
    def _route(self, args, request=None):
        # A path without a version prefix is served by the default version, as upstream.
        if args[0] and args[0] not in self._versions:
            args = [self._default_version] + list(args)
        return super()._route(args, request)
