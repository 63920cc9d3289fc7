"""watcher-status upgrade check, run as the operator runs it."""

import json
import subprocess
import sys

import pytest


def _run(tmp_path, conf_text: str, *extra: str) -> subprocess.CompletedProcess:
    conf = tmp_path / "watcher.conf"
    conf.write_text(conf_text)
    return subprocess.run(
        [sys.executable, "-m", "watcher.cmd.status", "--config-file", str(conf), "upgrade",
         "check", *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _checks(result: subprocess.CompletedProcess) -> dict:
    return {check["check"]: check for check in json.loads(result.stdout)["checks"]}


def test_passing_config(tmp_path):
    result = _run(tmp_path, "[nova]\napi_version = 2.79\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Check: Minimum Nova API Version" in result.stdout
    assert "Check: Policy File JSON to YAML Migration" in result.stdout
    assert "Failure" not in result.stdout


def test_default_config_passes(tmp_path):
    result = _run(tmp_path, "", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert {check["result"] for check in _checks(result).values()} == {0}


@pytest.mark.parametrize(
    ("version", "reason"),
    [("2.40", "lower than the minimum supported 2.56"), ("two", "MAJOR.MINOR")],
)
def test_old_nova_api_version_fails(tmp_path, version, reason):
    result = _run(tmp_path, f"[nova]\napi_version = {version}\n", "--json")
    assert result.returncode == 2, result.stdout + result.stderr
    checks = _checks(result)
    nova = checks["Minimum Nova API Version"]
    assert nova["result"] == 2
    assert reason in nova["details"]
    assert checks["Policy File JSON to YAML Migration"]["result"] == 0


def test_table_output_names_the_failure(tmp_path):
    result = _run(tmp_path, "[nova]\napi_version = 2.1\n")
    assert result.returncode == 2
    assert "Result: Failure" in result.stdout
    assert "[nova] api_version must be a microversion >= 2.56" in result.stdout


def test_json_policy_file_fails(tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text('{"admin_api": "role:admin"}')
    result = _run(tmp_path, f"[oslo_policy]\npolicy_file = {policy}\n", "--json")
    assert result.returncode == 2, result.stdout + result.stderr
    checks = _checks(result)
    assert checks["Policy File JSON to YAML Migration"]["result"] == 2
    assert "JSON-formatted" in checks["Policy File JSON to YAML Migration"]["details"]
    assert checks["Minimum Nova API Version"]["result"] == 0


def test_yaml_policy_file_passes(tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text('"admin_api": "role:admin"\n')
    result = _run(tmp_path, f"[oslo_policy]\npolicy_file = {policy}\n", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
