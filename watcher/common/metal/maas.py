"""MAAS backend over python-libmaas; machines match hypervisors by FQDN.

libmaas is asyncio code that turns synchronous only outside an event loop. The applier may
run inside one (or in a thread of a process that has one), so every call goes through
``call``: a worker thread with its own loop, bounded by ``[maas_client] timeout``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
from collections.abc import Callable

from oslo_log import log

from watcher.common import exception
from watcher.common.metal import base
from watcher.conf import CONF

LOG = log.getLogger(__name__)

try:
    import maas.client as maas_client
    from maas.client import enum as maas_enum
    from maas.client.bones import CallError
except ImportError:  # python-libmaas is optional: only MAAS deployments need it
    maas_client = None
    maas_enum = None
    CallError = None


def call(func: Callable, *args, **kwargs):
    """Run a libmaas call to its end in a thread with a loop of its own."""
    timeout = CONF.maas_client.timeout

    async def run():
        result = func(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await asyncio.wait_for(result, timeout)
        return result

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def _power_state(value) -> base.PowerState:
    mapping = {
        maas_enum.PowerState.ON: base.PowerState.ON,
        maas_enum.PowerState.OFF: base.PowerState.OFF,
        maas_enum.PowerState.ERROR: base.PowerState.ERROR,
        maas_enum.PowerState.UNKNOWN: base.PowerState.UNKNOWN,
    }
    return mapping.get(value, base.PowerState.UNKNOWN)


class MaasNode(base.BaseMetalNode):
    # A powered-off MAAS machine takes its nova-compute service down with it.
    hv_up_when_powered_off = False

    def __init__(self, machine, nova_node) -> None:
        super().__init__(nova_node)
        self._machine = machine

    def get_power_state(self) -> base.PowerState:
        return _power_state(call(self._machine.query_power_state))

    def get_id(self) -> str:
        return self._machine.system_id

    def power_on(self) -> None:
        LOG.info("Powering on MAAS machine %s (%s)", self._machine.fqdn,
                 self._machine.system_id)
        call(self._machine.power_on)

    def power_off(self) -> None:
        LOG.info("Powering off MAAS machine %s (%s)", self._machine.fqdn,
                 self._machine.system_id)
        call(self._machine.power_off)


class MaasHelper(base.BaseMetalHelper):
    def __init__(self, osc) -> None:
        super().__init__(osc)
        if maas_client is None:
            raise exception.UnsupportedError(
                "MAAS client unavailable. Please install python-libmaas."
            )
        if not CONF.maas_client.url or not CONF.maas_client.api_key:
            raise exception.ConfigInvalid(
                error_msg="[maas_client] url and api_key are both needed to use MAAS."
            )
        self._client_cache = None

    @property
    def _client(self):
        if self._client_cache is None:
            self._client_cache = call(
                maas_client.connect, CONF.maas_client.url, apikey=CONF.maas_client.api_key
            )
        return self._client_cache

    def list_compute_nodes(self) -> list[base.BaseMetalNode]:
        hypervisors = {h.name: h for h in self.nova.list_compute_nodes()}
        out = []
        for machine in call(self._client.machines.list):
            hypervisor = hypervisors.get(machine.fqdn)
            if hypervisor is None:
                LOG.info("No Nova hypervisor named %s", machine.fqdn)
                continue
            out.append(MaasNode(machine, hypervisor))
        return out

    def get_node(self, node_id: str) -> base.BaseMetalNode:
        try:
            machine = call(self._client.machines.get, node_id)
        except CallError as exc:
            if exc.status == 404:
                raise exception.MetalNodeNotFound(node=node_id) from exc
            raise
        return MaasNode(machine, self.nova.get_compute_node_by_hostname(machine.fqdn))
