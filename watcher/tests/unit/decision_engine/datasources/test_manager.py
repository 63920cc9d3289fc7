"""DataSourceManager: first configured datasource with every metric, conflicts, metric map
overrides from YAML, the strategy's own list."""

import types

import pytest

from watcher.common import exception
from watcher.decision_engine.datasources import base, manager


class Stub(base.DataSourceBase):
    def __init__(self, name):
        super().__init__()
        self.NAME = name

    def list_metrics(self):
        return set()

    def check_availability(self):
        return "available"

    def _statistic_aggregation(self, *args):
        return None


def make(datasources=None, **kwargs):
    config = None if datasources is None else types.SimpleNamespace(datasources=datasources)
    return manager.DataSourceManager(config=config, **kwargs)


def test_first_datasource_with_all_metrics_wins(conf):
    conf.config(datasources=["gnocchi", "aetos"], group="watcher_datasources")
    mgr = make()
    gnocchi, aetos = Stub("gnocchi"), Stub("aetos")
    mgr.set_backend("gnocchi", gnocchi)
    mgr.set_backend("aetos", aetos)
    assert mgr.get_backend(["host_cpu_usage", "instance_cpu_usage"]) is gnocchi
    # Aetos (Prometheus) has no outlet temperature, Gnocchi does.
    assert mgr.get_backend(["host_outlet_temp"]) is gnocchi
    # The backend got the map it was chosen for.
    assert gnocchi.METRIC_MAP["host_cpu_usage"] == "compute.node.cpu.percent"


def test_strategy_list_overrides_the_global_one(conf):
    mgr = make(["aetos", "gnocchi"])
    aetos = Stub("aetos")
    mgr.set_backend("aetos", aetos)
    mgr.set_backend("gnocchi", Stub("gnocchi"))
    assert mgr.get_backend(["instance_ram_usage"]) is aetos
    assert mgr.get_backend(["host_power"]).NAME == "gnocchi"


def test_missing_metric_everywhere(conf):
    mgr = make(["aetos"])
    mgr.set_backend("aetos", Stub("aetos"))
    with pytest.raises(exception.MetricNotAvailable, match="host_airflow"):
        mgr.get_backend(["instance_cpu_usage", "host_airflow"])


def test_no_datasource_and_no_metrics(conf):
    with pytest.raises(exception.NoDatasourceAvailable):
        make([]).get_backend(["host_cpu_usage"])
    with pytest.raises(exception.InvalidParameter):
        make(["gnocchi"]).get_backend([])


def test_prometheus_and_aetos_conflict(conf):
    with pytest.raises(exception.DataSourceConfigConflict):
        make(["prometheus", "aetos"])


def test_backend_failing_to_start_hands_over_to_the_next(conf):
    # Prometheus without [prometheus_client] host cannot start.
    mgr = make(["prometheus", "gnocchi"])
    gnocchi = Stub("gnocchi")
    mgr.set_backend("gnocchi", gnocchi)
    assert mgr.get_backend(["host_cpu_usage"]) is gnocchi


def test_metric_map_overrides_from_yaml(conf, tmp_path):
    path = tmp_path / "metric_map.yaml"
    path.write_text("gnocchi:\n  host_cpu_usage: my.cpu\n  host_power: null\n"
                    "aetos:\n  host_power: node_power_watts\nmonasca:\n  cpu: x\n")
    conf.config(metric_map_path=str(path), group="watcher_decision_engine")
    mgr = make(["gnocchi", "aetos"])
    assert mgr.metric_map["gnocchi"]["host_cpu_usage"] == "my.cpu"
    gnocchi, aetos = Stub("gnocchi"), Stub("aetos")
    mgr.set_backend("gnocchi", gnocchi)
    mgr.set_backend("aetos", aetos)
    assert gnocchi.METRIC_MAP["host_cpu_usage"] == "my.cpu"
    # A metric mapped to null is switched off; another backend's map switched it on.
    assert mgr.get_backend(["host_power"]) is aetos
    assert aetos.METRIC_MAP["host_power"] == "node_power_watts"
    # The class maps stay as they were.
    assert manager.BACKENDS["gnocchi"].METRIC_MAP["host_cpu_usage"] == (
        "compute.node.cpu.percent")
    assert "monasca" not in mgr.metric_map


def test_unreadable_metric_maps_are_ignored(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("gnocchi: [unclosed\n")
    assert manager.load_metric_map(str(bad)) == {}
    listed = tmp_path / "list.yaml"
    listed.write_text("- gnocchi\n")
    assert manager.load_metric_map(str(listed)) == {}
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    assert manager.load_metric_map(str(empty)) == {}
    assert manager.load_metric_map(str(tmp_path / "absent.yaml")) == {}


def test_grafana_map_comes_from_its_configuration(conf):
    conf.config(database_map={"host_cpu_usage": "influx", "host_ram_usage": "influx"},
                project_id_map={"host_cpu_usage": "7", "host_ram_usage": "7"},
                attribute_map={"host_cpu_usage": "hostname", "host_ram_usage": "hostname"},
                translator_map={"host_cpu_usage": "influxdb", "host_ram_usage": "nosuch"},
                query_map={"host_cpu_usage": "SELECT {0}(v) FROM cpu WHERE h='{1}'",
                           "host_ram_usage": "SELECT 1"},
                group="grafana_client")
    mgr = make(["grafana", "gnocchi"])
    assert set(mgr.metric_map["grafana"]) == {"host_cpu_usage"}
    mgr.set_backend("gnocchi", Stub("gnocchi"))
    assert mgr.get_backend(["host_ram_usage"]).NAME == "gnocchi"


def test_reset_caches_clears_every_backend(conf):
    mgr = make(["gnocchi"])
    gnocchi = Stub("gnocchi")
    mgr.set_backend("gnocchi", gnocchi)
    gnocchi.cache.put("n1", "host_cpu_usage", 5.0)
    mgr.reset_caches()
    assert len(gnocchi.cache) == 0
