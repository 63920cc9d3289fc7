"""The notification listener that feeds the collectors' endpoints."""

from __future__ import annotations

import oslo_messaging as messaging

from watcher.common import rpc
from watcher.conf import CONF


def targets(topics: list[str]) -> list[messaging.Target]:
    """``exchange.topic`` names the exchange (as upstream); a bare topic uses the default."""
    result = []
    for topic in topics:
        if "." in topic:
            exchange, name = topic.split(".", 1)
            result.append(messaging.Target(exchange=exchange, topic=name))
        else:
            result.append(messaging.Target(topic=topic))
    return result


def get_listener(endpoints: list) -> messaging.MessageHandlingServer:
    """A listener on [watcher_decision_engine] notification_topics, pool = this host.

    Each decision engine host keeps its own models, so each needs every notification: the
    pool named after the host gives it a queue of its own.
    """
    return messaging.get_notification_listener(
        rpc.get_notification_transport(),
        targets(CONF.watcher_decision_engine.notification_topics),
        endpoints,
        executor="threading",
        pool=CONF.host,
    )
