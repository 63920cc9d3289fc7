"""Versioned notifications: the envelope, the priority filter and the bus sender.

Payloads are built as the primitive form of upstream's versioned objects
(``watcher_object.name/namespace/version/data``) so consumers written for upstream read
them unchanged. ``publisher_id`` is ``infra-optim:<host>``.
"""

from __future__ import annotations

import datetime

from oslo_log import log

from watcher.common import rpc
from watcher.conf import CONF

LOG = log.getLogger(__name__)

PRIORITIES = ("debug", "info", "warning", "error", "critical")
NAMESPACE = "watcher"


def envelope(name: str, data: dict, version: str = "1.0") -> dict:
    return {
        "watcher_object.name": name,
        "watcher_object.namespace": NAMESPACE,
        "watcher_object.version": version,
        "watcher_object.data": data,
    }


def timestamp(value) -> str | None:
    """Upstream's payload time format: ISO 8601 with a ``Z`` suffix, seconds precision."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def is_enabled(priority: str) -> bool:
    level = CONF.notification_level
    if not level:
        return False
    return PRIORITIES.index(priority) >= PRIORITIES.index(level)


def send(context, event_type: str, payload: dict, priority: str = "info") -> None:
    """Emit one notification; failures are logged, never raised into the caller's work."""
    send_batch(context, event_type, [payload], priority)


class _RedactedContext:
    """A request context redacted and put in its wire form once for a whole batch.

    oslo.messaging redacts every notification's context (``redacted_copy``) and the
    serializer turns it into a dict (``to_dict``): for the thousands of ``action.create`` of
    a new plan, a tenth of their cost, spent on the same context again and again.
    """

    def __init__(self, context) -> None:
        self._wire = context.redacted_copy().to_dict()

    def redacted_copy(self) -> _RedactedContext:
        return self

    def to_dict(self) -> dict:
        return self._wire


def send_batch(context, event_type: str, payloads: list[dict], priority: str = "info") -> None:
    """Emit one ``event_type`` notification per payload, in order; failures are logged,
    never raised into the caller's work."""
    if not payloads or not is_enabled(priority):
        return
    try:
        emit = getattr(rpc.get_notifier(f"infra-optim:{CONF.host}"), priority)
        if hasattr(context, "redacted_copy"):
            context = _RedactedContext(context)
    except Exception:
        LOG.exception("Could not send notification %s", event_type)
        return
    for payload in payloads:
        try:
            emit(context, event_type, payload)
        except Exception:
            LOG.exception("Could not send notification %s", event_type)


def exception_payload(exc: BaseException) -> dict:
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    frame = frames[-1] if frames else None
    return envelope(
        "ExceptionPayload",
        {
            "module_name": frame.f_globals.get("__name__", "") if frame else "",
            "function_name": frame.f_code.co_name if frame else "",
            "exception": type(exc).__name__,
            "exception_message": str(exc),
        },
    )
