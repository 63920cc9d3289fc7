"""The gnocchi datasource's bulk path through the aggregates API, against a fake
gnocchiclient that records calls (the simulator has no aggregates API)."""

import datetime

from gnocchiclient import exceptions as gnocchi_exc

from watcher.decision_engine.datasources import gnocchi
from watcher.decision_engine.model.element import ComputeNode, Instance

NOW = datetime.datetime(2026, 1, 1, 2, 0, 30, tzinfo=datetime.timezone.utc)
BUCKETS = [NOW - datetime.timedelta(seconds=330), NOW - datetime.timedelta(seconds=30)]


class FakeGnocchi:
    def __init__(self, resources, values, aggregates_fail=False):
        self.resources = resources
        self.values = values  # metric id -> newest value
        self.aggregates_fail = aggregates_fail
        self.calls = []
        self.resource = self
        self.metric = self
        self.aggregates = self

    def search(self, query=None, **kwargs):
        self.calls.append(("search", query))
        (attribute, wanted), = next(iter(query.values())).items()
        wanted = wanted if isinstance(wanted, list) else [wanted]
        return [r for r in self.resources if r[attribute] in wanted]

    def fetch(self, operations, start=None, stop=None, granularity=None):
        self.calls.append(("aggregates", operations, start, stop, granularity))
        if self.aggregates_fail:
            raise gnocchi_exc.NotFound(404, "The resource could not be found.")
        pairs = operations[len("(metric "):-1].strip("()").split(") (")
        measures = {}
        for pair in pairs:
            metric_id, aggregation = pair.split()
            if metric_id in self.values:
                measures[metric_id] = {aggregation: [(BUCKETS[0], 300.0, 0.0),
                                                     (BUCKETS[1], 300.0,
                                                      self.values[metric_id])]}
        return {"measures": measures}

    def get_measures(self, metric, **kwargs):
        self.calls.append(("measures", metric, kwargs.get("aggregation")))
        return [(BUCKETS[1], 300.0, self.values[metric])]


def _helper(fake):
    return gnocchi.GnocchiHelper(now=NOW.timestamp, client=fake)


def _host(name, index):
    return {"id": f"r-{name}", "original_resource_id": f"{name}_{name}",
            "metrics": {"compute.node.cpu.percent": f"cpu-{index}",
                        "hardware.ipmi.node.airflow": f"air-{index}"}}


def test_hosts_in_one_search_and_one_aggregates_call(conf):
    fake = FakeGnocchi([_host("cn1", 1), _host("cn2", 2)],
                       {"cpu-1": 11.0, "cpu-2": 22.0, "air-1": 6.0, "air-2": 8.0})
    ds = _helper(fake)
    nodes = [ComputeNode(uuid="n1", hostname="cn1"), ComputeNode(uuid="n2", hostname="cn2"),
             ComputeNode(uuid="n3", hostname="cn3")]
    assert ds.host_metric_all(nodes, "host_cpu_usage") == {"n1": 11.0, "n2": 22.0,
                                                            "n3": None}
    assert ds.host_metric_all(nodes, "host_airflow") == {"n1": 60.0, "n2": 80.0, "n3": None}
    kinds = [call[0] for call in fake.calls]
    assert kinds == ["search", "aggregates", "aggregates"]
    assert fake.calls[0][1] == {"in": {"original_resource_id": ["cn1_cn1", "cn2_cn2",
                                                                "cn3_cn3"]}}
    _, operations, start, stop, granularity = fake.calls[1]
    assert operations == "(metric (cpu-1 mean) (cpu-2 mean))"
    assert (start, stop, granularity) == (NOW - datetime.timedelta(seconds=300), NOW, 300)
    assert ds.get_host_cpu_usage(nodes[1]) == 22.0
    assert len(fake.calls) == 3


def test_instance_cpu_rate_becomes_a_percentage(conf):
    resources = [{"id": f"vm{i}", "original_resource_id": f"vm{i}",
                  "metrics": {"cpu": f"cpu-vm{i}"}} for i in range(700)]
    # 2 vCPUs at 25 % for 300 s: 150e9 ns per bucket.
    fake = FakeGnocchi(resources, {f"cpu-vm{i}": 150e9 for i in range(700)})
    ds = _helper(fake)
    instances = [Instance(uuid=f"vm{i}", vcpus=2) for i in range(700)]
    values = ds.instance_metric_all(instances, "instance_cpu_usage")
    assert set(values.values()) == {25.0}
    aggregates = [call for call in fake.calls if call[0] == "aggregates"]
    # 700 metrics in chunks of 300.
    assert len(aggregates) == 3
    assert "(cpu-vm0 rate:mean)" in aggregates[0][1]
    assert [call[0] for call in fake.calls].count("search") == 1


def test_refused_aggregates_fall_back_to_one_read_per_metric(conf):
    fake = FakeGnocchi([_host("cn1", 1), _host("cn2", 2)], {"cpu-1": 5.0, "cpu-2": 7.0},
                       aggregates_fail=True)
    ds = _helper(fake)
    nodes = [ComputeNode(uuid="n1", hostname="cn1"), ComputeNode(uuid="n2", hostname="cn2")]
    assert ds.host_metric_all(nodes, "host_cpu_usage") == {"n1": 5.0, "n2": 7.0}
    ds.cache.clear()
    ds.host_metric_all(nodes, "host_cpu_usage")
    kinds = [call[0] for call in fake.calls]
    # Refused once, not asked again until the next audit.
    assert kinds.count("aggregates") == 1
    assert kinds.count("measures") == 4
    ds.reset_cache()
    ds.host_metric_all(nodes, "host_cpu_usage")
    assert [call[0] for call in fake.calls].count("aggregates") == 2
