"""The WSGI application of watcher-api: pecan app wrapped in the middleware stack.

Outer to inner: CORS, HTTP proxy-to-WSGI, healthcheck, request id, keystonemiddleware (when
``[DEFAULT] enable_authentication``), the parsable-error middleware, the path and query
check of request_checks, then pecan (whose first hook checks the body).
"""

from __future__ import annotations

import pecan
from oslo_config import cfg
from oslo_middleware import cors, healthcheck, http_proxy_to_wsgi, request_id

from watcher.api import acl, hooks, request_checks
from watcher.api.middleware import parsable_error
from watcher.notifications import events

CONF = cfg.CONF

HEALTHCHECK_PATH = "/healthcheck"

_VERSION_HEADERS = [
    "OpenStack-API-Version",
    "OpenStack-API-Minimum-Version",
    "OpenStack-API-Maximum-Version",
]


def _set_cors_defaults() -> None:
    cors.set_defaults(
        allow_headers=[
            "X-Auth-Token",
            "X-Identity-Status",
            "X-Roles",
            "X-Service-Catalog",
            "X-User-Id",
            "X-Tenant-Id",
            "X-OpenStack-Request-ID",
            "OpenStack-API-Version",
        ],
        expose_headers=["X-Auth-Token", "X-Subject-Token", "X-Service-Token",
                        "X-OpenStack-Request-ID", *_VERSION_HEADERS],
        allow_methods=["GET", "PUT", "POST", "DELETE", "PATCH"],
    )


def _debug(conf: cfg.ConfigOpts) -> bool:
    # oslo.log registers "debug"; tests may build the app before logging is set up.
    return bool(conf.debug) if "debug" in conf else False


def _with_healthcheck(app):
    """Answer ``/healthcheck`` before authentication, so load balancers need no token."""
    # oslo.middleware's Healthcheck answers every request it sees: it is mounted, not stacked.
    check = healthcheck.Healthcheck(None, {"backends": ""})

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO", "").rstrip("/") == HEALTHCHECK_PATH:
            return check(environ, start_response)
        return app(environ, start_response)

    return dispatch


def pecan_config() -> dict:
    return {
        "root": "watcher.api.controllers.root.RootController",
        "modules": ["watcher.api"],
        "debug": False,
        "force_canonical": False,
        "guess_content_type_from_ext": False,
    }


def setup_app(config: dict | None = None, conf: cfg.ConfigOpts | None = None):
    """Build the full WSGI stack; ``config`` overrides pecan's app settings."""
    conf = conf or CONF
    app_conf = dict(pecan_config())
    app_conf.update(config or {})
    # wsmeext reads its debug flag (tracebacks in 'debuginfo') from pecan's global config.
    pecan.set_config({"wsme": {"debug": _debug(conf)}}, overwrite=False)
    root = app_conf.pop("root")
    app_conf.pop("modules", None)
    app = pecan.make_app(
        root,
        hooks=[request_checks.RequestChecksHook(), hooks.ContextHook(),
               hooks.NoExceptionTracebackHook()],
        **app_conf,
    )
    app = request_checks.check_path_and_query_first(app)
    app = parsable_error.ParsableErrorMiddleware(app)
    app = acl.install(app, conf)
    app = request_id.RequestId(app)
    app = _with_healthcheck(app)
    app = http_proxy_to_wsgi.HTTPProxyToWSGI(app, conf)
    _set_cors_defaults()
    return cors.CORS(app, conf)


def load_app():
    """The application served by watcher-api and the WSGI script."""
    # Writes made by the API (audit.create, action_plan.update...) must reach the bus like
    # the services' own; the services register the same listener at their start.
    events.register()
    return setup_app()
