"""The real python-watcherclient CLI (``watcher`` shell) against a real watcher-api."""

from __future__ import annotations

import ast
import json
import os
import subprocess

import pytest

from watcher.tests.functional.api import sample_data

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def cli(watcherclient_venv, api_endpoint):
    executable = os.path.join(watcherclient_venv, "bin", "watcher")

    def run(*args: str, version: str | None = None, expect_ok: bool = True):
        command = [executable, "--no-auth", "--os-endpoint-override", api_endpoint]
        if version:
            command += ["--os-infra-optim-api-version", version]
        command += list(args)
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if expect_ok:
            assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result

    def run_json(*args: str, version: str | None = None):
        result = run(*args, "-f", "json", version=version)
        return json.loads(result.stdout) if result.stdout.strip() else None

    run.json = run_json
    return run


def test_goal_list_and_show(cli):
    goals = cli.json("goal", "list")
    assert [goal["Name"] for goal in goals] == ["dummy", "server_consolidation"]
    goal = cli.json("goal", "show", "server_consolidation")
    assert goal["UUID"] == sample_data.CONSOLIDATION_GOAL
    assert goal["Efficacy specification"][0]["name"] == "compute_nodes_count"


def test_strategy_list_and_show(cli):
    strategies = cli.json("strategy", "list")
    assert {s["Name"]: s["Goal"] for s in strategies} == {
        "dummy": "dummy", "basic": "server_consolidation"}
    assert [s["Name"] for s in cli.json("strategy", "list", "--goal", "dummy")] == ["dummy"]
    strategy = cli.json("strategy", "show", "dummy")
    assert strategy["UUID"] == sample_data.DUMMY_STRATEGY
    # The client prints the spec's "properties" as a Python literal.
    spec = ast.literal_eval(strategy["Parameters spec"])
    assert spec["para1"]["default"] == 3.2


def test_audit_template_lifecycle(cli):
    created = cli.json("audittemplate", "create", "cli-template", "dummy", "-s", "dummy",
                       "-d", "made by the CLI")
    assert created["Name"] == "cli-template"
    assert created["Goal"] == "dummy"
    assert created["Strategy"] == "dummy"
    listed = cli.json("audittemplate", "list")
    assert [t["Name"] for t in listed] == ["cli-template"]
    shown = cli.json("audittemplate", "show", created["UUID"])
    assert shown["Description"] == "made by the CLI"
    updated = cli.json("audittemplate", "update", "cli-template", "replace",
                       "description=changed")
    assert updated["Description"] == "changed"
    from_template = cli.json("audit", "create", "-a", "cli-template", "-t", "ONESHOT")
    assert from_template["Goal"] == "dummy"
    assert from_template["Strategy"] == "dummy"
    assert from_template["Name"].startswith("dummy-")
    cli("audittemplate", "delete", "cli-template")
    assert cli.json("audittemplate", "list") == []
    missing = cli("audittemplate", "show", "cli-template", expect_ok=False)
    assert missing.returncode != 0
    assert "could not be found" in missing.stderr


def test_audits(cli):
    oneshot = cli.json("audit", "create", "-g", "dummy", "-s", "dummy", "-t", "ONESHOT",
                       "-p", "para1=5.0", "--name", "cli-oneshot")
    assert oneshot["Name"] == "cli-oneshot"
    assert oneshot["State"] == "PENDING"
    assert oneshot["Parameters"] == {"para1": 5.0, "para2": "hello"}
    seconds = cli.json("audit", "create", "-g", "dummy", "-t", "CONTINUOUS", "-i", "3600",
                       "--name", "cli-continuous")
    assert seconds["Interval"] == "3600"
    cron = cli.json("audit", "create", "-g", "dummy", "-t", "CONTINUOUS", "-i",
                    "*/10 * * * *", "--name", "cli-cron", "--start-time",
                    "2030-01-01T00:00:00", "--end-time", "2030-02-01T00:00:00")
    assert cron["Interval"] == "*/10 * * * *"
    assert cron["Start Time"].startswith("2030-01-01T00:00:00")
    names = [audit["Name"] for audit in cli.json("audit", "list")]
    assert {"cli-oneshot", "cli-continuous", "cli-cron", "done-audit"} <= set(names)
    shown = cli.json("audit", "show", "cli-continuous")
    assert shown["Audit Type"] == "CONTINUOUS"
    updated = cli.json("audit", "update", "cli-continuous", "replace", "interval=7200")
    assert updated["Interval"] == "7200"
    cancelled = cli.json("audit", "update", "cli-oneshot", "replace", "state=CANCELLED")
    assert cancelled["State"] == "CANCELLED"
    cli("audit", "delete", "cli-oneshot")
    assert "cli-oneshot" not in [a["Name"] for a in cli.json("audit", "list")]
    refused = cli("audit", "delete", "cli-cron", expect_ok=False)
    assert refused.returncode != 0
    assert "Couldn't delete when state is 'PENDING'" in refused.stderr


def test_actions(cli):
    actions = cli.json("action", "list", "--action-plan", sample_data.ONGOING_PLAN)
    assert [a["UUID"] for a in actions] == [sample_data.ONGOING_ACTION]
    shown = cli.json("action", "show", sample_data.NOP_ACTION)
    assert shown["Action"] == "nop"
    assert shown["Action Plan"] == sample_data.RECOMMENDED_PLAN
    assert shown["Description"] == "Logging a NOP message"
    assert "Welcome" in str(shown["Parameters"])
    skipped = cli.json("action", "update", "--state", "SKIPPED", "--reason", "not needed",
                       sample_data.SLEEP_ACTION)
    assert skipped["State"] == "SKIPPED"
    assert skipped["Status Message"] == "Action skipped by user. Reason: not needed"


def test_action_plans(cli):
    plans = cli.json("actionplan", "list")
    assert {p["UUID"]: p["State"] for p in plans} == {
        sample_data.RECOMMENDED_PLAN: "RECOMMENDED",
        sample_data.ONGOING_PLAN: "ONGOING",
        sample_data.SUCCEEDED_PLAN: "SUCCEEDED",
        sample_data.PENDING_PLAN: "PENDING",
    }
    shown = cli.json("actionplan", "show", sample_data.RECOMMENDED_PLAN)
    assert shown["Audit"] == sample_data.DONE_AUDIT
    assert shown["Strategy"] == "dummy"
    started = cli.json("actionplan", "start", sample_data.RECOMMENDED_PLAN)
    assert started["State"] == "PENDING"
    cancelled = cli.json("actionplan", "cancel", sample_data.RECOMMENDED_PLAN)
    assert cancelled["State"] == "CANCELLED"
    cancelling = cli.json("actionplan", "cancel", sample_data.ONGOING_PLAN)
    assert cancelling["State"] == "CANCELLING"
    cli("actionplan", "delete", sample_data.SUCCEEDED_PLAN)
    remaining = [p["UUID"] for p in cli.json("actionplan", "list")]
    assert sample_data.SUCCEEDED_PLAN not in remaining


def test_service_and_scoring_engine_lists(cli):
    services = cli.json("service", "list")
    assert {s["Name"]: s["Status"] for s in services} == {
        "watcher-decision-engine": "ACTIVE", "watcher-applier": "FAILED"}
    engines = cli.json("scoringengine", "list")
    assert [e["Name"] for e in engines] == ["dummy_scorer"]
