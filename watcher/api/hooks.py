"""Pecan hooks: the request context, and no tracebacks in error bodies."""

from __future__ import annotations

from oslo_config import cfg
from oslo_serialization import jsonutils
from oslo_utils import strutils
from pecan import hooks

from watcher.common import context

CONF = cfg.CONF

_TRACEBACK_MARKER = "Traceback (most recent call last):"


class ContextHook(hooks.PecanHook):
    """Builds ``request.context`` from the headers keystonemiddleware filled in.

    Without authentication the caller is the operator on a trusted network: the request runs
    with an admin context (as Ironic's noauth mode), so the admin-only default rules let a
    fresh install answer without a policy file.
    """

    def before(self, state) -> None:
        request = state.request
        show_deleted = strutils.bool_from_string(request.headers.get("X-Show-Deleted"))
        if CONF.enable_authentication:
            ctx = context.RequestContext.from_environ(request.environ, show_deleted=show_deleted)
        else:
            ctx = context.RequestContext.from_environ(
                request.environ,
                show_deleted=show_deleted,
                is_admin=True,
                roles=["admin"],
                user_id=None,
                project_id=None,
                auth_token=None,
            )
        request.context = ctx


class NoExceptionTracebackHook(hooks.PecanHook):
    """Cuts server-side tracebacks out of ``faultstring`` so clients never see them."""

    def after(self, state) -> None:
        response = state.response
        if not response.body or response.status_int < 400:
            return
        try:
            body = jsonutils.loads(response.body)
        except ValueError:
            return
        if not isinstance(body, dict):
            return
        debug = bool(CONF.debug) if "debug" in CONF else False
        if debug and body.get("faultcode") != "Server":
            return
        faultstring = body.get("faultstring")
        if faultstring and _TRACEBACK_MARKER in faultstring:
            body["faultstring"] = faultstring.split(_TRACEBACK_MARKER, 1)[0].rstrip()
            response.body = jsonutils.dump_as_bytes(body)
