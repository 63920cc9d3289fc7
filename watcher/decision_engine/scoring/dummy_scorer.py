"""``dummy_scorer``: a hand-written workload classifier standing in for a trained model.

It shows the shape a real machine-learning engine takes in Watcher (features in, class and
per-class probabilities out, both JSON, the column meanings published in the metainfo)
without pulling in an ML framework. Not meant for production use.
"""

from __future__ import annotations

import json
from numbers import Real

from oslo_log import log

from watcher.decision_engine.scoring import base

LOG = log.getLogger(__name__)

MIB = 1024 * 1024

# Input columns, in the order the features list carries them (published in the metainfo).
FEATURE_COLUMNS = (
    "proc-processor-time-%",
    "mem-total-bytes",
    "mem-avail-bytes",
    "mem-page-reads/sec",
    "mem-page-writes/sec",
    "disk-read-bytes/sec",
    "disk-write-bytes/sec",
    "net-bytes-received/sec",
    "net-bytes-sent/sec",
)
RESULT_COLUMNS = (
    "workload",
    "idle-probability",
    "cpu-probability",
    "memory-probability",
    "disk-probability",
)
# The result's first column is an index into this list.
WORKLOADS = ("idle", "cpu-intensive", "memory-intensive", "disk-intensive")

WORKLOAD_IDLE, WORKLOAD_CPU, WORKLOAD_MEM, WORKLOAD_DISK = range(4)

PROCESSOR_TIME = FEATURE_COLUMNS.index("proc-processor-time-%")
PAGE_READS = FEATURE_COLUMNS.index("mem-page-reads/sec")
PAGE_WRITES = FEATURE_COLUMNS.index("mem-page-writes/sec")
DISK_READS = FEATURE_COLUMNS.index("disk-read-bytes/sec")
DISK_WRITES = FEATURE_COLUMNS.index("disk-write-bytes/sec")

# Thresholds of the classification rules (upstream's values).
CPU_BOUND_PERCENT = 80
CPU_BUSY_PERCENT = 40
MEM_BOUND_PAGES = 1000
MEM_BUSY_PAGES = 500
DISK_BOUND_BYTES = 50 * MIB


def parse_number_list(features: str) -> list[float]:
    """The JSON list of numbers in ``features``; ValueError for anything else."""
    try:
        values = json.loads(features)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"Unable to parse features: {exc}") from exc
    if not isinstance(values, list):
        raise ValueError("JSON list expected in feature argument")
    # bool is a Real in Python but true/false is no measurement.
    if any(isinstance(v, bool) or not isinstance(v, Real) for v in values):
        raise ValueError("Every feature must be a number")
    return values


class DummyScorer(base.ScoringEngine):
    """Classifies a machine's workload as idle, CPU-, memory- or disk-intensive."""

    def get_name(self) -> str:
        return "dummy_scorer"

    def get_description(self) -> str:
        return "Dummy workload classifier"

    def get_metainfo(self) -> str:
        return json.dumps(
            {
                "feature_columns": list(FEATURE_COLUMNS),
                "result_columns": list(RESULT_COLUMNS),
                "workloads": list(WORKLOADS),
            }
        )

    def calculate_score(self, features: str) -> str:
        """``[workload index, idle %, cpu %, memory %, disk %]`` as JSON.

        The first rule that matches wins: CPU bound, then memory paging in both directions,
        then disk traffic in both directions; otherwise idle, with half confidence in the
        CPU or memory class when those are busy without being bound.
        """
        LOG.debug("Calculating score, features: %s", features)
        values = parse_number_list(features)
        if len(values) != len(FEATURE_COLUMNS):
            raise ValueError(f"Invalid number of features, expected {len(FEATURE_COLUMNS)}")

        idle = cpu = memory = disk = 0.0
        if values[PROCESSOR_TIME] >= CPU_BOUND_PERCENT:
            workload, cpu = WORKLOAD_CPU, 100.0
        elif values[PAGE_READS] >= MEM_BOUND_PAGES and values[PAGE_WRITES] >= MEM_BOUND_PAGES:
            workload, memory = WORKLOAD_MEM, 100.0
        elif values[DISK_READS] >= DISK_BOUND_BYTES and values[DISK_WRITES] >= DISK_BOUND_BYTES:
            workload, disk = WORKLOAD_DISK, 100.0
        else:
            workload, idle = WORKLOAD_IDLE, 100.0
            if values[PROCESSOR_TIME] >= CPU_BUSY_PERCENT:
                cpu = 50.0
            if values[PAGE_READS] >= MEM_BUSY_PAGES or values[PAGE_WRITES] >= MEM_BUSY_PAGES:
                memory = 50.0
        return json.dumps([workload, idle, cpu, memory, disk])
