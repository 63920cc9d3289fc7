"""Configuration: one module per option group, all registered on the global CONF here.

Every module in this package exposes ``register_opts(conf)`` and ``list_opts()``; the
second feeds ``watcher.conf.opts.list_opts`` and so oslo-config-generator.
"""

from oslo_config import cfg

from watcher.conf import (
    aetos_client,
    api,
    applier,
    cinder,
    clients_auth,
    collector,
    collector_plugins,
    compute_model,
    database,
    datasources,
    decision_engine,
    default,
    gnocchi_client,
    grafana_client,
    grafana_translators,
    heat,
    heat_collector,
    ironic_client,
    keystone,
    legacy_clients,
    maas_client,
    nova,
    placement,
    planner,
    prometheus_client,
    ssl,
    strategies,
    taskflow,
    weight_planner,
    workload_stabilization_planner,
)

CONF = cfg.CONF

MODULES = (
    default,
    api,
    database,
    decision_engine,
    applier,
    planner,
    weight_planner,
    workload_stabilization_planner,
    taskflow,
    collector,
    collector_plugins,
    compute_model,
    datasources,
    clients_auth,
    nova,
    cinder,
    placement,
    heat,
    heat_collector,
    keystone,
    legacy_clients,
    ironic_client,
    gnocchi_client,
    maas_client,
    prometheus_client,
    aetos_client,
    grafana_client,
    grafana_translators,
    strategies,
    ssl,
)

for _module in MODULES:
    _module.register_opts(CONF)
