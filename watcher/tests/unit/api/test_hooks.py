import types as pytypes

import webob

from watcher.api import hooks
from watcher.conf import CONF


def _state(headers):
    request = webob.Request.blank("/v1/goals", headers=headers)
    return pytypes.SimpleNamespace(request=request)


def test_without_authentication_every_request_is_admin():
    CONF.set_override("enable_authentication", False)
    try:
        state = _state({"X-Roles": "reader", "X-User-Id": "someone"})
        hooks.ContextHook().before(state)
        ctx = state.request.context
        assert ctx.is_admin
        assert ctx.roles == ["admin"]
        assert ctx.user_id is None
    finally:
        CONF.clear_override("enable_authentication")


def test_with_authentication_the_context_comes_from_keystone_headers():
    CONF.set_override("enable_authentication", True)
    try:
        state = _state({"X-Roles": "member,reader", "X-User-Id": "u1", "X-Project-Id": "p1",
                        "X-Show-Deleted": "true"})
        hooks.ContextHook().before(state)
        ctx = state.request.context
        assert not ctx.is_admin
        assert ctx.roles == ["member", "reader"]
        assert (ctx.user_id, ctx.project_id) == ("u1", "p1")
        assert ctx.show_deleted
    finally:
        CONF.clear_override("enable_authentication")
