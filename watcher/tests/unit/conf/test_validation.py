"""Bad values are refused when read, with a message naming the problem."""

import pytest
from oslo_config import cfg


def _value_error(load_conf, text: str, group: str, option: str) -> str:
    conf = load_conf(text)
    with pytest.raises(cfg.ConfigFileValueError) as caught:
        conf[group][option]
    return str(caught.value)


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("2.40", "lower than the minimum supported 2.56"),
        ("1.99", "lower than the minimum supported 2.56"),
        ("latest", "not a microversion of the form MAJOR.MINOR"),
        ("2", "not a microversion of the form MAJOR.MINOR"),
        ("2.x", "not a microversion of the form MAJOR.MINOR"),
    ],
)
def test_nova_api_version_rejected(load_conf, version, message):
    error = _value_error(load_conf, f"[nova]\napi_version = {version}\n", "nova", "api_version")
    assert message in error


@pytest.mark.parametrize("version", ["2.56", "2.96", "3.0"])
def test_nova_api_version_accepted(load_conf, version):
    assert load_conf(f"[nova]\napi_version = {version}\n").nova.api_version == version


def test_weights_must_be_unique(load_conf):
    error = _value_error(
        load_conf,
        "[watcher_planners.weight]\nweights = migrate:30,resize:30,nop:70\n",
        "watcher_planners.weight",
        "weights",
    )
    assert "same value 30" in error
    assert "'migrate'" in error and "'resize'" in error


def test_weights_parse_to_integers(load_conf):
    conf = load_conf("[watcher_planners.weight]\nweights = migrate:30,nop:70\n")
    assert conf["watcher_planners.weight"].weights == {"migrate": 30, "nop": 70}


@pytest.mark.parametrize(
    ("text", "group", "option"),
    [
        ("[watcher_planners.weight]\nparallelization = migrate:0\n",
         "watcher_planners.weight", "parallelization"),
        ("[watcher_planners.weight]\nweights = migrate:fast\n",
         "watcher_planners.weight", "weights"),
        ("[watcher_workflow_engines.taskflow]\naction_execution_rule = basic:SOMETIMES\n",
         "watcher_workflow_engines.taskflow", "action_execution_rule"),
        ("[watcher_workflow_engines.taskflow]\nmax_workers = 0\n",
         "watcher_workflow_engines.taskflow", "max_workers"),
        ("[watcher_datasources]\ndatasources = gnocchi,monasca\n",
         "watcher_datasources", "datasources"),
        ("[watcher_datasources]\nquery_max_retries = 0\n",
         "watcher_datasources", "query_max_retries"),
        ("[collector]\ncompute_resources_collector_timeout = 10\n",
         "collector", "compute_resources_collector_timeout"),
        ("[nova]\nmigration_interval = 0\n", "nova", "migration_interval"),
        ("[nova]\nhttp_retries = 0\n", "nova", "http_retries"),
        ("[watcher_applier]\nworkers = 0\n", "watcher_applier", "workers"),
        ("[watcher_decision_engine]\nmax_audit_workers = 0\n",
         "watcher_decision_engine", "max_audit_workers"),
        ("[api]\nport = 70000\n", "api", "port"),
        ("[maas_client]\nurl = ftp://maas.example.org/MAAS\n", "maas_client", "url"),
        ("[maas_client]\ntimeout = 0\n", "maas_client", "timeout"),
        ("[DEFAULT]\nnotification_level = verbose\n", "DEFAULT", "notification_level"),
        ("[aetos_client]\ninterface = private\n", "aetos_client", "interface"),
        ("[watcher_strategies.basic]\ndatasources = ceilometer\n",
         "watcher_strategies.basic", "datasources"),
        ("[grafana_translators]\nretention_periods = one_day:-1\n",
         "grafana_translators", "retention_periods"),
        ("[watcher_cluster_data_model_collectors.compute]\nperiod = 0\n",
         "watcher_cluster_data_model_collectors.compute", "period"),
    ],
)
def test_out_of_range_or_unknown_values_rejected(load_conf, text, group, option):
    # required options are checked while the files are parsed, the others when read
    with pytest.raises(ValueError, match=option):
        conf = load_conf(text)
        section = conf if group == "DEFAULT" else conf[group]
        section[option]


def test_prometheus_and_aetos_conflict(load_conf):
    error = _value_error(
        load_conf,
        "[watcher_datasources]\ndatasources = prometheus,aetos\n",
        "watcher_datasources",
        "datasources",
    )
    assert "cannot be enabled together" in error


def test_repeated_datasource_rejected(load_conf):
    error = _value_error(
        load_conf,
        "[watcher_datasources]\ndatasources = gnocchi,gnocchi\n",
        "watcher_datasources",
        "datasources",
    )
    assert "more than once" in error


def test_datasource_order_is_kept(load_conf):
    conf = load_conf("[watcher_datasources]\ndatasources = prometheus,gnocchi\n")
    assert conf.watcher_datasources.datasources == ["prometheus", "gnocchi"]


def test_taskflow_rule_accepted(load_conf):
    conf = load_conf("[watcher_workflow_engines.taskflow]\naction_execution_rule = "
                     "host_maintenance:ANY,basic:ALWAYS\n")
    rule = conf["watcher_workflow_engines.taskflow"].action_execution_rule
    assert rule == {"host_maintenance": "ANY", "basic": "ALWAYS"}
