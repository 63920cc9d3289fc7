"""The demo: every watcher service in one process, one audit through the REST API, its
plan applied. Today it uses the dummy strategy; the simulator and real strategies plug in
through ``Scenario`` (what to audit) without changing the steps."""

from __future__ import annotations

import json
import logging
import sys
import time
import urllib.request
from dataclasses import dataclass, field

from watcher.cmd import embedded
from watcher.common import config
from watcher.conf import CONF

HEADERS = {"Content-Type": "application/json", "OpenStack-API-Version": "infra-optim 1.5"}


@dataclass
class Scenario:
    goal: str = "dummy"
    strategy: str = "dummy"
    parameters: dict = field(default_factory=lambda: {"para1": 1.0, "para2": "demo"})


class Client:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.base_url + path, data=data, method=method, headers=HEADERS
        )
        with urllib.request.urlopen(req, timeout=30) as response:
            text = response.read()
        return json.loads(text) if text else {}

    def wait(self, path: str, key: str, done: set, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            item = self.request("GET", path)
            if item[key] in done:
                return item
            time.sleep(0.2)
        raise TimeoutError(f"{path} did not reach {sorted(done)}")


def show_plan(client: Client, plan_uuid: str, title: str) -> None:
    plan = client.request("GET", f"/v1/action_plans/{plan_uuid}")
    actions = client.request("GET", f"/v1/actions/detail?action_plan_uuid={plan_uuid}")
    print(f"\n{title}: action plan {plan_uuid} is {plan['state']}")
    for action in actions["actions"]:
        params = json.dumps(action["input_parameters"], sort_keys=True)
        print(f"  {action['state']:<10} {action['action_type']:<6} {params}")


def run(client: Client, scenario: Scenario) -> int:
    audit = client.request(
        "POST",
        "/v1/audits",
        {
            "audit_type": "ONESHOT",
            "goal": scenario.goal,
            "strategy": scenario.strategy,
            "parameters": scenario.parameters,
        },
    )
    print(f"Audit {audit['uuid']} created ({scenario.goal}/{scenario.strategy})")
    audit = client.wait(
        f"/v1/audits/{audit['uuid']}", "state", {"SUCCEEDED", "FAILED", "CANCELLED"}
    )
    print(f"Audit {audit['uuid']} is {audit['state']}")
    if audit["state"] != "SUCCEEDED":
        return 1
    plans = client.request("GET", f"/v1/action_plans?audit_uuid={audit['uuid']}")
    plan_uuid = plans["action_plans"][0]["uuid"]
    show_plan(client, plan_uuid, "Before")
    client.request("POST", f"/v1/action_plans/{plan_uuid}/start")
    plan = client.wait(
        f"/v1/action_plans/{plan_uuid}", "state", {"SUCCEEDED", "FAILED", "CANCELLED"}
    )
    show_plan(client, plan_uuid, "After")
    return 0 if plan["state"] == "SUCCEEDED" else 1


def main(argv: list[str] | None = None) -> int:
    config.parse_args(sys.argv[1:] if argv is None else argv)
    if not CONF.debug:
        # The demo's own lines tell the story; service logs only when something goes wrong.
        logging.getLogger().setLevel(logging.WARNING)
    with embedded.Embedded() as cloud:
        print(f"Embedded watcher: API {cloud.api_url}, database {cloud.db_path}")
        return run(Client(cloud.api_url), Scenario())


if __name__ == "__main__":
    sys.exit(main())
