"""``GET /v1/data_model`` (1.3+): the decision engine's cluster data model, row per server."""

from __future__ import annotations

import pecan
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from watcher.api.controllers.v1 import types
from watcher.api.controllers.v1 import utils as api_utils
from watcher.common import exception, policy
from watcher.decision_engine import rpcapi

ALLOWED_TYPES = ("compute",)
# Row keys that appeared with microversion 1.6.
EXTENDED_KEYS = ("server_flavor_extra_specs", "server_pinned_az")


def _hide_extended(model: dict) -> dict:
    rows = [
        {key: value for key, value in row.items() if key not in EXTENDED_KEYS}
        for row in model.get("context", [])
    ]
    return {**model, "context": rows}


class DataModelController(rest.RestController):
    def __init__(self):
        super().__init__()
        self.de_client = rpcapi.DecisionEngineAPI()

    # audit_uuid is uuid-typed as upstream's: a name is a 400, not passed to the engine.
    @wsme_pecan.wsexpose(types.jsontype, wtypes.text, types.uuid)
    def get_all(self, data_model_type="compute", audit_uuid=None):
        if not api_utils.allow_list_datamodel():
            raise exception.NotAcceptable()
        if data_model_type not in ALLOWED_TYPES:
            raise exception.DataModelTypeNotFound(data_model_type=data_model_type)
        context = pecan.request.context
        policy.enforce(context, "data_model:get_all")
        model = self.de_client.get_data_model_info(context, data_model_type, audit_uuid) or {}
        if not api_utils.allow_list_extended_data_model():
            model = _hide_extended(model)
        return model
