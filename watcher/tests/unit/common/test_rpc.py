import threading

import pytest

from watcher.applier import rpcapi as applier_rpcapi
from watcher.common import context, exception, rpc
from watcher.conf import CONF
from watcher.decision_engine import rpcapi as de_rpcapi


@pytest.fixture
def fake_bus():
    rpc.cleanup()
    CONF.set_override("transport_url", "fake://")
    yield
    rpc.cleanup()
    CONF.clear_override("transport_url")


class Recorder:
    def __init__(self):
        self.calls = []
        self.done = threading.Event()

    def trigger_audit(self, ctx, audit_uuid):
        self.calls.append(("trigger_audit", ctx, audit_uuid))
        self.done.set()

    def launch_action_plan(self, ctx, action_plan_uuid):
        self.calls.append(("launch_action_plan", ctx, action_plan_uuid))
        self.done.set()

    def get_strategy_info(self, ctx, strategy_name):
        return [{"type": "Name", "state": strategy_name, "mandatory": "", "comment": ""}]

    def get_data_model_info(self, ctx, data_model_type, audit):
        return {"context": [], "type": data_model_type, "audit": audit}


def _serve(topic, endpoint):
    server = rpc.get_server(topic, "host-a", [endpoint])
    server.start()
    return server


def _stop(server):
    server.stop()
    server.wait()


def test_decision_engine_api_cast_and_calls_carry_context(fake_bus):
    endpoint = Recorder()
    server = _serve("de-topic", endpoint)
    try:
        api = de_rpcapi.DecisionEngineAPI(topic="de-topic")
        ctx = context.RequestContext(user_id="u1", project_id="p1", show_deleted=True)
        uuid = "6b9e0a1c-2a5e-4d55-9b6c-0c8a3a0e4e11"
        api.trigger_audit(ctx, uuid)
        assert endpoint.done.wait(5)
        name, got_ctx, got_uuid = endpoint.calls[0]
        assert (name, got_uuid) == ("trigger_audit", uuid)
        assert isinstance(got_ctx, context.RequestContext)
        assert (got_ctx.user_id, got_ctx.project_id, got_ctx.show_deleted) == ("u1", "p1", True)

        info = api.get_strategy_info(ctx, "dummy")
        assert info[0]["state"] == "dummy"
        model = api.get_data_model_info(ctx, audit="a1")
        assert model == {"context": [], "type": "compute", "audit": "a1"}
    finally:
        _stop(server)


def test_applier_api_casts_launch(fake_bus):
    endpoint = Recorder()
    server = _serve("ap-topic", endpoint)
    try:
        uuid = "0f1c6d8e-7f0a-4c1b-8d2e-3a4b5c6d7e8f"
        applier_rpcapi.ApplierAPI(topic="ap-topic").launch_action_plan(
            context.get_admin_context(), uuid
        )
        assert endpoint.done.wait(5)
        assert endpoint.calls[0][0::2] == ("launch_action_plan", uuid)
    finally:
        _stop(server)


@pytest.mark.parametrize("bad", ["not-a-uuid", ""])
def test_rpcapi_rejects_non_uuid(fake_bus, bad):
    with pytest.raises(exception.InvalidUuidOrName):
        de_rpcapi.DecisionEngineAPI(topic="t").trigger_audit(context.get_admin_context(), bad)
    with pytest.raises(exception.InvalidUuidOrName):
        applier_rpcapi.ApplierAPI(topic="t").launch_action_plan(context.get_admin_context(), bad)
