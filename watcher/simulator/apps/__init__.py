"""The simulated cloud APIs. ``APPS`` lists them as ``module:Class`` so the runner imports
only what it serves; a new API adds its line here (see the package docstring)."""

import importlib

APPS = [
    "watcher.simulator.apps.keystone:KeystoneApp",
    "watcher.simulator.apps.nova:NovaApp",
    "watcher.simulator.apps.placement:PlacementApp",
    "watcher.simulator.apps.cinder:CinderApp",
    "watcher.simulator.apps.glance:GlanceApp",
    "watcher.simulator.apps.neutron:NeutronApp",
    "watcher.simulator.apps.prometheus:PrometheusApp",
    "watcher.simulator.apps.gnocchi:GnocchiApp",
    "watcher.simulator.apps.heat:HeatApp",
    "watcher.simulator.apps.ironic:IronicApp",
    "watcher.simulator.apps.maas:MaasApp",
]


def load_app_class(path: str) -> type:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)
