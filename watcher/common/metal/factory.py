"""Picks the bare-metal backend: MAAS when configured, Ironic otherwise."""

from __future__ import annotations

from watcher.common import exception, loader
from watcher.common.metal import base
from watcher.conf import CONF

NAMESPACE = "watcher_metal_clients"


def backend_name() -> str:
    url, api_key = CONF.maas_client.url, CONF.maas_client.api_key
    if url and not api_key:
        # Falling back to Ironic here would power machines through the wrong service.
        raise exception.ConfigInvalid(
            error_msg="[maas_client] url is set but [maas_client] api_key is not."
        )
    return "maas" if url else "ironic"


def get_helper(osc) -> base.BaseMetalHelper:
    return loader.load_class(NAMESPACE, backend_name())(osc)
