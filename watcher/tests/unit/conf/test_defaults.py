"""Defaults and names that upstream Watcher deployments and tools rely on."""

import pytest

from watcher import conf as watcher_conf
from watcher.conf import opts


def test_every_module_is_listed_for_the_generator():
    listed = {getattr(group, "name", group) for group, _ in opts.list_opts()}
    for module in watcher_conf.MODULES:
        for group, _ in module.list_opts():
            assert getattr(group, "name", group) in listed


def test_list_opts_merges_groups_declared_by_several_modules():
    names = [getattr(group, "name", group) for group, _ in opts.list_opts()]
    assert len(names) == len(set(names))
    default_names = {opt.name for opt in opts.list_opts()[names.index("DEFAULT")][1]}
    assert {"host", "periodic_interval", "print_thread_pool_stats", "state_path"} <= default_names


@pytest.mark.parametrize(
    ("group", "option", "expected"),
    [
        (None, "periodic_interval", 60),
        (None, "service_down_time", 90),
        (None, "notification_level", "info"),
        (None, "print_thread_pool_stats", False),
        (None, "enable_authentication", True),
        ("api", "port", 9322),
        ("api", "max_limit", 1000),
        ("watcher_decision_engine", "conductor_topic", "watcher.decision.control"),
        (
            "watcher_decision_engine",
            "notification_topics",
            ["nova.versioned_notifications", "openstack.notifications"],
        ),
        ("watcher_decision_engine", "max_audit_workers", 2),
        ("watcher_decision_engine", "max_general_workers", 4),
        ("watcher_decision_engine", "action_plan_expiry", 24),
        ("watcher_decision_engine", "check_periodic_interval", 1800),
        ("watcher_decision_engine", "metric_map_path", "/etc/watcher/metric_map.yaml"),
        ("watcher_decision_engine", "continuous_audit_interval", 10),
        ("watcher_applier", "workers", 1),
        ("watcher_applier", "conductor_topic", "watcher.applier.control"),
        ("watcher_applier", "publisher_id", "watcher.applier.api"),
        ("watcher_applier", "workflow_engine", "taskflow"),
        ("watcher_applier", "rollback_when_actionplan_failed", False),
        ("watcher_planner", "planner", "weight"),
        ("watcher_workflow_engines.taskflow", "action_execution_rule", {}),
        ("collector", "collector_plugins", ["compute", "storage"]),
        ("collector", "api_query_max_retries", 10),
        ("collector", "api_query_interval", 1),
        ("collector", "compute_resources_collector_timeout", 600),
        ("compute_model", "enable_extended_attributes", False),
        ("watcher_datasources", "datasources", ["gnocchi", "grafana", "aetos"]),
        ("watcher_datasources", "query_max_retries", 10),
        ("watcher_datasources", "query_interval", 1),
        ("nova", "api_version", "2.56"),
        ("nova", "migration_max_retries", 180),
        ("nova", "migration_interval", 5.0),
        ("nova", "http_retries", 3),
        ("nova", "http_retry_interval", 2.0),
        ("nova_client", "api_version", "2.56"),
        ("nova_client", "endpoint_type", "publicURL"),
        ("cinder_client", "api_version", "3"),
        ("placement_client", "api_version", "1.29"),
        ("placement_client", "interface", "public"),
        ("keystone_client", "interface", "public"),
        ("ironic_client", "api_version", "1"),
        ("ironic_client", "endpoint_type", "publicURL"),
        ("gnocchi_client", "endpoint_type", "public"),
        ("maas_client", "url", None),
        ("maas_client", "api_key", None),
        ("maas_client", "timeout", 60),
        ("prometheus_client", "port", 9090),
        ("prometheus_client", "fqdn_label", "fqdn"),
        ("prometheus_client", "instance_uuid_label", "resource"),
        ("aetos_client", "interface", "public"),
        ("aetos_client", "fqdn_label", "fqdn"),
        ("aetos_client", "instance_uuid_label", "resource"),
        ("grafana_client", "http_timeout", 60),
        (
            "grafana_translators",
            "retention_periods",
            {"one_week": 604800, "one_month": 2592000, "five_years": 31556952},
        ),
        ("watcher_cluster_data_model_collectors.compute", "period", 3600),
        ("watcher_cluster_data_model_collectors.storage", "period", 3600),
        ("watcher_cluster_data_model_collectors.baremetal", "period", 3600),
        ("watcher_strategies.basic", "check_optimize_metadata", False),
        ("watcher_strategies.storage_capacity_balance", "ex_pools", ["local_vstorage"]),
        ("database", "mysql_engine", "InnoDB"),
    ],
)
def test_upstream_default(load_conf, group, option, expected):
    conf = load_conf()
    section = conf if group is None else conf[group]
    assert section[option] == expected


def test_weight_planner_defaults(load_conf):
    weight = load_conf()["watcher_planners.weight"]
    assert weight.weights["nop"] == 70
    assert weight.weights["volume_migrate"] == 60
    assert weight.weights["change_node_power_state"] == 9
    assert weight.parallelization["migrate"] == 2
    assert weight.parallelization["change_nova_service_state"] == 1
    assert set(weight.weights) == set(weight.parallelization)


def test_workload_stabilization_planner_defaults(load_conf):
    weights = load_conf()["watcher_planners.workload_stabilization"].weights
    assert weights == {
        "turn_host_to_acpi_s3_state": 0,
        "resize": 1,
        "migrate": 2,
        "sleep": 3,
        "change_nova_service_state": 4,
        "nop": 5,
    }


def test_grafana_maps_cover_every_watcher_metric(load_conf):
    grafana = load_conf().grafana_client
    for name in ("project_id_map", "database_map", "attribute_map", "translator_map",
                 "query_map"):
        assert "host_cpu_usage" in grafana[name]
        assert "instance_root_disk_size" in grafana[name]
        assert set(grafana[name].values()) == {None}


@pytest.mark.parametrize("group", ["nova", "cinder", "placement", "keystone",
                                   "watcher_clients_auth"])
def test_service_groups_carry_keystoneauth_options(load_conf, group):
    section = load_conf()[group]
    # session options (all groups) and the auth plugin selector
    assert section.timeout is None
    assert section.insecure is False
    assert section.auth_type is None
    if group != "watcher_clients_auth":
        # adapter options: endpoint discovery is left to the catalog unless set
        for name in ("region_name", "valid_interfaces", "endpoint_override"):
            assert section[name] is None


@pytest.mark.parametrize(
    ("group", "option"),
    [("maas_client", "api_key"), ("grafana_client", "token"), ("prometheus_client", "password")],
)
def test_credentials_are_secret(group, option):
    listed = {getattr(g, "name", g): options for g, options in opts.list_opts()}
    (opt,) = [o for o in listed[group] if o.name == option]
    assert opt.secret
