"""Puts keystonemiddleware in front of the app when authentication is on."""

from __future__ import annotations

from oslo_config import cfg

from watcher.api.middleware import auth_token

CONF = cfg.CONF


def public_routes() -> list[str]:
    routes = ["/"]
    if not CONF.api.enable_webhooks_auth:
        routes.append("/v1/webhooks/.*")
    return routes


def install(app, conf: cfg.ConfigOpts | None = None):
    conf = conf or CONF
    if not conf.enable_authentication:
        return app
    # keystonemiddleware reads [keystone_authtoken] from our own ConfigOpts object.
    return auth_token.AuthTokenMiddleware(
        app, {"oslo_config_config": conf}, public_api_routes=public_routes()
    )
