"""What is sent when: object life-cycle events and the explicit phase events.

``register()`` hooks ``on_change`` into the objects layer so every create/update/delete of an
audit, action plan or action emits ``<type>.create|update|delete`` wherever it happens
(API, decision engine, applier). Phase events (``audit.strategy.start`` ...) are sent by the
code that runs the phase through ``send_phase``.
"""

from __future__ import annotations

from oslo_log import log

from watcher import objects
from watcher.notifications import base, payloads

LOG = log.getLogger(__name__)

_KINDS = {
    "Audit": ("audit", payloads.audit_payload, "Audit"),
    "ActionPlan": ("action_plan", payloads.action_plan_payload, "ActionPlan"),
    "Action": ("action", payloads.action_payload, "Action"),
}
_PHASE_PAYLOADS = {
    "audit.strategy": (payloads.audit_payload, "AuditActionPayload"),
    "audit.planner": (payloads.audit_payload, "AuditActionPayload"),
    "action_plan.execution": (payloads.action_plan_payload, "ActionPlanActionPayload"),
    "action_plan.cancel": (payloads.action_plan_payload, "ActionPlanCancelPayload"),
    "action.execution": (payloads.action_payload, "ActionExecutionPayload"),
    "action.cancel": (payloads.action_payload, "ActionCancelPayload"),
}
_registered = False


def on_change(context, obj, action: str, old_state: str | None = None) -> None:
    """Change listener: ``action`` is create, update or delete."""
    kind = _KINDS.get(type(obj).__name__)
    if kind is None or action not in ("create", "update", "delete"):
        return
    if not base.is_enabled("info"):
        # Payloads read the related rows: not worth it for a notification nobody sends.
        return
    prefix, builder, name = kind
    payload = builder(context, obj, f"{name}{action.capitalize()}Payload", old_state=old_state)
    base.send(context, f"{prefix}.{action}", payload)


def on_batch_change(context, objs: objects.base.LazyObjects, action: str) -> None:
    """Batch listener: actions written in bulk, one ``action.<action>`` each.

    Payloads are built from the rows, without objects; the plan part, the same for all of
    a plan's actions, is read (unless the rows carry it) and built once and shared by their
    payloads.
    """
    if not base.is_enabled("info") or action not in ("create", "update", "delete"):
        return
    plans: dict = {}
    built = []
    for row in objs.rows:
        plan_id = payloads.field(row, "action_plan_id")
        if plan_id not in plans:
            plans[plan_id] = payloads.terse_plan_of_action(context, row)
        built.append(payloads.action_payload(
            context, row, f"Action{action.capitalize()}Payload", old_state=objs.old_state,
            plan=plans[plan_id]))
    base.send_batch(context, f"action.{action}", built)


def send_phase(context, obj, event: str, phase: str, fault: BaseException | None = None) -> None:
    """``event`` like ``audit.strategy``; ``phase`` is start, end or error."""
    builder, name = _PHASE_PAYLOADS[event]
    priority = "error" if phase == "error" else "info"
    if not base.is_enabled(priority):
        return
    payload = builder(context, obj, name, fault=fault)
    base.send(context, f"{event}.{phase}", payload, priority)


def send_service_update(context, service, old_state: str, state: str) -> None:
    base.send(context, "service.update", payloads.service_update_payload(service, old_state, state))


def register() -> None:
    global _registered
    if not _registered:
        objects.add_change_listener(on_change, batch=on_batch_change)
        _registered = True
