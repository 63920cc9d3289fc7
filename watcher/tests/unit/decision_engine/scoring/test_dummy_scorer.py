import json

import pytest

from watcher.decision_engine.scoring import dummy_scorer

MIB = 1024 * 1024


def features(cpu=0, reads=0, writes=0, disk_read=0, disk_write=0):
    return json.dumps([cpu, 4096, 2048, reads, writes, disk_read, disk_write, 10, 20])


@pytest.fixture
def scorer():
    return dummy_scorer.DummyScorer()


def test_identity(scorer):
    assert scorer.get_name() == "dummy_scorer"
    assert scorer.get_description() == "Dummy workload classifier"


def test_metainfo_names_the_columns_and_workloads(scorer):
    assert json.loads(scorer.get_metainfo()) == {
        "feature_columns": [
            "proc-processor-time-%",
            "mem-total-bytes",
            "mem-avail-bytes",
            "mem-page-reads/sec",
            "mem-page-writes/sec",
            "disk-read-bytes/sec",
            "disk-write-bytes/sec",
            "net-bytes-received/sec",
            "net-bytes-sent/sec",
        ],
        "result_columns": [
            "workload",
            "idle-probability",
            "cpu-probability",
            "memory-probability",
            "disk-probability",
        ],
        "workloads": ["idle", "cpu-intensive", "memory-intensive", "disk-intensive"],
    }


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # CPU bound wins over everything else, from 80 % up.
        (dict(cpu=80, reads=5000, writes=5000, disk_read=500 * MIB, disk_write=500 * MIB),
         "[1, 0.0, 100.0, 0.0, 0.0]"),
        (dict(cpu=100), "[1, 0.0, 100.0, 0.0, 0.0]"),
        # Memory bound needs paging both ways, then before disk.
        (dict(cpu=79, reads=1000, writes=1000, disk_read=60 * MIB, disk_write=60 * MIB),
         "[2, 0.0, 0.0, 100.0, 0.0]"),
        (dict(disk_read=50 * MIB, disk_write=50 * MIB), "[3, 0.0, 0.0, 0.0, 100.0]"),
        # One direction only is not enough for memory or disk.
        (dict(reads=1000, writes=999, disk_read=50 * MIB, disk_write=50 * MIB - 1),
         "[0, 100.0, 0.0, 50.0, 0.0]"),
        # Idle, with half confidence in CPU / memory when busy but not bound.
        (dict(), "[0, 100.0, 0.0, 0.0, 0.0]"),
        (dict(cpu=40), "[0, 100.0, 50.0, 0.0, 0.0]"),
        (dict(cpu=39.9, writes=500), "[0, 100.0, 0.0, 50.0, 0.0]"),
        (dict(cpu=45, reads=500), "[0, 100.0, 50.0, 50.0, 0.0]"),
        (dict(reads=499, writes=499), "[0, 100.0, 0.0, 0.0, 0.0]"),
    ],
)
def test_classification(scorer, values, expected):
    assert scorer.calculate_score(features(**values)) == expected


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("not json", "Unable to parse features"),
        ('{"cpu": 90}', "JSON list expected"),
        ("[1, 2, 3]", "Invalid number of features, expected 9"),
        (json.dumps(list(range(10))), "Invalid number of features, expected 9"),
        (json.dumps(["90"] + [0] * 8), "must be a number"),
        (json.dumps([True] + [0] * 8), "must be a number"),
    ],
)
def test_bad_features_are_value_errors(scorer, payload, message):
    with pytest.raises(ValueError, match=message):
        scorer.calculate_score(payload)
