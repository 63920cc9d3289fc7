"""Bare-metal node power management behind one interface: Ironic or MAAS.

``factory.get_helper(osc)`` loads the backend (entry-point group ``watcher_metal_clients``):
MAAS when ``[maas_client] url`` and ``api_key`` are set, Ironic otherwise.
"""
