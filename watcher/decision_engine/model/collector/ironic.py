"""The bare-metal collector: machines, their power state and the hypervisor each carries.

The backend is the metal abstraction's choice (MAAS when ``[maas_client] url`` is set, Ironic
otherwise). For Ironic a collection is two listings whatever the number of machines: ``GET
/v1/nodes/detail`` (every page) and ``GET /os-hypervisors/detail``; the hypervisor of a node is
the one named by its ``extra.compute_node_id``. For MAAS the metal helper lists the machines
matched to hypervisors, and each machine's power is queried (MAAS has no bulk power read);
those queries run in parallel.
"""

from __future__ import annotations

import concurrent.futures

from oslo_log import log

from watcher.common.metal import base as metal_base
from watcher.common.metal import factory as metal_factory
from watcher.conf import CONF
from watcher.decision_engine.model import baremetal_model
from watcher.decision_engine.model.collector import base

LOG = log.getLogger(__name__)


def build_ironic_node(node, hypervisor) -> baremetal_model.IronicNode:
    extra = dict(node.extra or {})
    return baremetal_model.IronicNode(
        uuid=node.uuid,
        name=node.name,
        power_state=node.power_state,
        maintenance=bool(node.maintenance),
        maintenance_reason=node.maintenance_reason,
        extra={"compute_node_id": extra.get("compute_node_id")},
        provider="ironic",
        hypervisor_id=str(hypervisor.id) if hypervisor is not None else None,
        hypervisor_hostname=hypervisor.name if hypervisor is not None else None,
        hv_up_when_powered_off=True,
    )


def build_metal_node(
    node: metal_base.BaseMetalNode, provider: str = "maas"
) -> baremetal_model.IronicNode:
    """An element from a metal helper's node (its power state is read now)."""
    hypervisor = node.get_hypervisor_node()
    try:
        power = node.get_power_state()
    except Exception as exc:
        LOG.warning("Power state of machine %s unavailable: %s", node.get_id(), exc)
        power = metal_base.PowerState.UNKNOWN
    return baremetal_model.IronicNode(
        uuid=node.get_id(),
        name=hypervisor.name,
        power_state=metal_base.PowerState(power).value,
        maintenance=False,
        extra={"compute_node_id": str(hypervisor.id)},
        provider=provider,
        hypervisor_id=str(hypervisor.id),
        hypervisor_hostname=hypervisor.name,
        hv_up_when_powered_off=node.hv_up_when_powered_off,
    )


class BaremetalClusterDataModelCollector(base.BaseClusterDataModelCollector):
    """Bare-metal machines from Ironic or MAAS (upstream: Ironic only, no notifications)."""

    SCHEMA: dict = {}

    @classmethod
    def get_name(cls) -> str:
        return "baremetal"

    def execute(self) -> baremetal_model.BaremetalModelRoot:
        if metal_factory.backend_name() == "maas":
            nodes = self._maas_nodes()
        else:
            nodes = self._ironic_nodes()
        model = baremetal_model.BaremetalModelRoot()
        for node in nodes:
            model.add_node(node)
        return model

    def _ironic_nodes(self) -> list[baremetal_model.IronicNode]:
        hypervisors = {
            str(h.id): h
            for h in base.call_retry(
                lambda: list(self.osc.connection("nova").compute.hypervisors(details=True))
            )
        }
        client = self.osc.ironic()
        # limit=0: every page (None would stop at Ironic's max_limit).
        nodes = base.call_retry(client.node.list, detail=True, limit=0)
        out = []
        for node in nodes:
            compute_node_id = (node.extra or {}).get("compute_node_id")
            hypervisor = hypervisors.get(str(compute_node_id)) if compute_node_id else None
            if compute_node_id and hypervisor is None:
                LOG.info("Ironic node %s names unknown hypervisor %s", node.uuid, compute_node_id)
            out.append(build_ironic_node(node, hypervisor))
        return out

    def _maas_nodes(self) -> list[baremetal_model.IronicNode]:
        helper = metal_factory.get_helper(self.osc)
        machines = base.call_retry(helper.list_compute_nodes)
        workers = max(1, CONF.watcher_decision_engine.max_general_workers)
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            return list(pool.map(build_metal_node, machines))

    def get_scoped_model(self, audit_scope: list | None, check_optimize_metadata: bool = False):
        """The latest model; upstream defines no bare-metal scope rules, neither do we."""
        return self.get_latest_cluster_data_model()
