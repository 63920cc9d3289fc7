"""watcher-tempest-plugin's own scenario tests (tempest and the plugin from the package
index) against the simulator and embedded watcher, through tools/run_tempest.py --ci.

The dummy, host_maintenance, node_resource_consolidation and workload_balance tests must pass
(their boot-from-volume variants are left to full runs: see
doc/source/contributor/tempest.rst).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))))
PREFIX = "watcher_tempest_plugin.tests.scenario."
EXPECTED = {
    "test_execute_dummy_optim.TestExecuteDummyStrategy.test_execute_dummy_strategy": "ok",
    "test_execute_host_maintenance.TestExecuteHostMaintenanceStrategy."
    "test_execute_host_maintenance_strategy": "ok",
    "test_execute_host_maintenance.TestExecuteHostMaintenanceStrategy."
    "test_execute_host_maintenance_strategy_backup_node": "ok",
    "test_execute_node_resource_consolidation.TestExecuteNodeResourceConsolidationStrategy."
    "test_execute_node_resource_consolidation_strategy_with_auto": "ok",
    "test_execute_node_resource_consolidation.TestExecuteNodeResourceConsolidationStrategy."
    "test_execute_node_resource_consolidation_strategy_with_specify": "ok",
    # The plugin writes its own CPU and RAM readings into the simulator's Gnocchi first.
    "test_execute_workload_balance.TestExecuteWorkloadBalanceStrategy."
    "test_execute_workload_balance_strategy_cpu": "ok",
    "test_execute_workload_balance.TestExecuteWorkloadBalanceStrategy."
    "test_execute_workload_balance_strategy_ram": "ok",
}
_RESULT = re.compile(r"\{\d+\} (" + re.escape(PREFIX) + r"\S+?)(?:\[[^\]]*\])? \[[\d.]+s\] "
                     r"\.\.\. (ok|FAILED)")


def test_ci_scenarios(tmp_path):
    done = subprocess.run(
        [sys.executable, os.path.join(ROOT, "tools", "run_tempest.py"), "--ci",
         "--workspace", str(tmp_path / "tempest")],
        capture_output=True, text=True, timeout=1200, cwd=ROOT)
    outcomes = {name[len(PREFIX):]: result for name, result in _RESULT.findall(done.stdout)}
    report = done.stdout[-5000:] + done.stderr[-3000:]
    assert outcomes == EXPECTED, report
