"""oslo.messaging plumbing shared by the API, the decision engine and the applier.

One RPC transport and one notification transport per process, both built from
``[DEFAULT] transport_url`` (notifications may use ``[oslo_messaging_notifications]
transport_url``). The control exchange is ``watcher`` as upstream, so an upstream client and
our services meet on the same topics. The in-process ``fake://`` transport lets embedded
mode run every service in one process without a broker: it only works when all services
share this module's transport, which is why it is a module global.
"""

from __future__ import annotations

import threading

import oslo_messaging as messaging
import oslo_messaging.opts  # noqa: F401  (list_opts for register_opts)
from oslo_config import cfg
from oslo_log import log
from oslo_serialization import jsonutils

from watcher.common import context as watcher_context

LOG = log.getLogger(__name__)

CONTROL_EXCHANGE = "watcher"
API_VERSION = "1.0"

TRANSPORT: messaging.Transport | None = None
NOTIFICATION_TRANSPORT: messaging.Transport | None = None
_NOTIFIERS: dict[str, messaging.Notifier] = {}
_LOCK = threading.Lock()

messaging.set_transport_defaults(CONTROL_EXCHANGE)


def register_opts(conf: cfg.ConfigOpts) -> None:
    """Register oslo.messaging's options up front so config files and overrides can set them
    before the first transport exists (oslo.messaging otherwise registers them lazily)."""
    for group, opts in messaging.opts.list_opts():
        conf.register_opts(opts, group=group)


register_opts(cfg.CONF)


class JsonPayloadSerializer(messaging.NoOpSerializer):
    """Payloads travel as plain JSON primitives (datetimes, sets, objects made primitive)."""

    @staticmethod
    def serialize_entity(context, entity):
        return jsonutils.to_primitive(entity, convert_instances=True)


class RequestContextSerializer(messaging.Serializer):
    """Carries a ``RequestContext`` across the bus and delegates payloads to ``base``."""

    def __init__(self, base: messaging.Serializer | None = None) -> None:
        self._base = base or JsonPayloadSerializer()

    def serialize_entity(self, context, entity):
        return self._base.serialize_entity(context, entity)

    def deserialize_entity(self, context, entity):
        return self._base.deserialize_entity(context, entity)

    def serialize_context(self, context) -> dict:
        if isinstance(context, dict):
            return context
        return context.to_dict()

    def deserialize_context(self, context: dict) -> watcher_context.RequestContext:
        return watcher_context.RequestContext.from_dict(context)


def init(conf: cfg.ConfigOpts | None = None) -> None:
    """Create the process's transports once; later calls are no-ops."""
    global TRANSPORT, NOTIFICATION_TRANSPORT
    conf = conf or cfg.CONF
    with _LOCK:
        if TRANSPORT is None:
            TRANSPORT = messaging.get_rpc_transport(conf)
        if NOTIFICATION_TRANSPORT is None:
            NOTIFICATION_TRANSPORT = messaging.get_notification_transport(conf)


def cleanup() -> None:
    """Close the transports (used on shutdown and between tests)."""
    global TRANSPORT, NOTIFICATION_TRANSPORT
    with _LOCK:
        for transport in (TRANSPORT, NOTIFICATION_TRANSPORT):
            if transport is not None:
                transport.cleanup()
        TRANSPORT = NOTIFICATION_TRANSPORT = None
        _NOTIFIERS.clear()


def get_transport() -> messaging.Transport:
    if TRANSPORT is None:
        init()
    return TRANSPORT


def get_notification_transport() -> messaging.Transport:
    if NOTIFICATION_TRANSPORT is None:
        init()
    return NOTIFICATION_TRANSPORT


def get_client(
    topic: str, version: str = API_VERSION, serializer: messaging.Serializer | None = None
) -> messaging.RPCClient:
    target = messaging.Target(topic=topic, version=version)
    return messaging.get_rpc_client(
        get_transport(), target, serializer=RequestContextSerializer(serializer)
    )


def get_server(
    topic: str,
    server: str,
    endpoints: list,
    version: str = API_VERSION,
    serializer: messaging.Serializer | None = None,
) -> messaging.MessageHandlingServer:
    """An RPC server on native threads; ``server`` is the host name (upstream's Target)."""
    target = messaging.Target(topic=topic, server=server, version=version)
    return messaging.get_rpc_server(
        get_transport(),
        target,
        endpoints,
        executor="threading",
        serializer=RequestContextSerializer(serializer),
    )


def get_notifier(publisher_id: str, conf: cfg.ConfigOpts | None = None) -> messaging.Notifier:
    """One notifier per publisher id, reused (building one loads its driver)."""
    conf = conf or cfg.CONF
    transport = get_notification_transport()
    with _LOCK:
        notifier = _NOTIFIERS.get(publisher_id)
        if notifier is None:
            notifier = messaging.Notifier(
                transport,
                publisher_id=publisher_id,
                # Payloads are JSON primitives as built (watcher.notifications.payloads):
                # the driver encodes each once; a copy first would double a plan's
                # thousands of action.create.
                serializer=RequestContextSerializer(messaging.NoOpSerializer()),
                topics=conf.oslo_messaging_notifications.topics,
            )
            _NOTIFIERS[publisher_id] = notifier
        return notifier
