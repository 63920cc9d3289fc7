"""``POST /v1/webhooks/{audit}``: an external event (an alarm) runs an EVENT audit.

Like upstream, the route itself answers at every microversion (only the ``/v1`` link is
hidden below 1.4): alarm senders such as Aodh send no version header.
"""

from __future__ import annotations

from http import HTTPStatus

import pecan
from oslo_config import cfg
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from watcher.api.controllers.v1 import types
from watcher.api.controllers.v1 import utils as api_utils
from watcher.common import exception, policy
from watcher.decision_engine import rpcapi
from watcher.objects import audit as audit_objects
from watcher.objects import states

CONF = cfg.CONF

TRIGGERABLE_STATES = (states.AuditState.PENDING, states.AuditState.SUCCEEDED)


class WebhookController(rest.RestController):
    def __init__(self):
        super().__init__()
        self.dc_client = rpcapi.DecisionEngineAPI()

    @wsme_pecan.wsexpose(None, wtypes.text, body=types.jsontype,
                         status_code=HTTPStatus.ACCEPTED)
    def post(self, audit_ident, body=None):
        context = pecan.request.context
        if CONF.api.enable_webhooks_auth:
            policy.enforce(context, "webhook:trigger")
        audit = api_utils.get_resource("Audit", audit_ident)
        if audit.audit_type != audit_objects.AuditType.EVENT.value:
            raise exception.AuditTypeNotAllowed(audit_type=audit.audit_type)
        if audit.state not in TRIGGERABLE_STATES:
            raise exception.AuditStateNotAllowed(state=audit.state)
        self.dc_client.trigger_audit(context, audit.uuid)
