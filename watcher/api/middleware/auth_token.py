"""keystonemiddleware's auth_token, letting a few public routes through unauthenticated."""

from __future__ import annotations

import re

from keystonemiddleware import auth_token
from oslo_log import log

from watcher._i18n import _
from watcher.common import exception

LOG = log.getLogger(__name__)


class AuthTokenMiddleware(auth_token.AuthProtocol):
    """``public_api_routes`` are matched against the path, with optional .json/.xml."""

    def __init__(self, app, conf: dict, public_api_routes: list[str] | None = None):
        route_pattern_tpl = r"%s(\.json|\.xml)?$"
        try:
            self.public_api_routes = [
                re.compile(route_pattern_tpl % route_tpl) for route_tpl in public_api_routes or []
            ]
        except re.error as err:
            raise exception.ConfigInvalid(
                error_msg=_("Cannot compile public API routes: %s") % err
            ) from err
        super().__init__(app, conf)

    def __call__(self, env, start_response):
        path = env.get("PATH_INFO", "/")
        # The root document must answer on "/" whatever trailing slash it is asked with.
        if path != "/":
            path = path.rstrip("/")
        env["is_public_api"] = any(route.match(path) for route in self.public_api_routes)
        if env["is_public_api"]:
            return self._app(env, start_response)
        return super().__call__(env, start_response)
