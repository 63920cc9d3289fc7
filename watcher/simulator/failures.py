"""Failure-injection rules of a scenario.

- ``refuse_live_migration`` (host): live migrations from or to that host end in error.
- ``failure_rate`` (rate, seed, operations): each listed operation fails with that
  probability, drawn from its own seeded generator so a run is reproducible.
- ``api_timeout`` (service, method, path regex, delay, count): the API sleeps ``delay`` wall
  seconds before answering, long enough for a client timeout.
- ``api_error`` (service, method, path regex, status, count): the API answers with an error.
- ``host_down`` (host, at): the host's nova-compute service goes down ``at`` simulated
  seconds after start.
"""

import logging
import random
import re
import threading
import time

from watcher.simulator.wsgi import HTTPError

LOG = logging.getLogger(__name__)


class _ApiRule:
    def __init__(self, rule: dict) -> None:
        self.kind = rule["type"]
        self.service = rule["service"]
        self.method = rule.get("method", "").upper()
        self.path = re.compile(rule.get("path", ".*"))
        self.delay = float(rule.get("delay", 0.0))
        self.status = int(rule.get("status", 503))
        self.remaining = rule.get("count")

    def matches(self, service: str, method: str, path: str) -> bool:
        if service != self.service or (self.method and method != self.method):
            return False
        if self.path.search(path) is None:
            return False
        if self.remaining is not None:
            if self.remaining <= 0:
                return False
            self.remaining -= 1
        return True


class FailureRules:
    def __init__(self, rules: list[dict]) -> None:
        self._lock = threading.Lock()
        self.refusing_hosts = {r["host"] for r in rules if r["type"] == "refuse_live_migration"}
        self._rates = [(set(r.get("operations", [])), float(r["rate"]),
                        random.Random(r.get("seed", 0)))
                       for r in rules if r["type"] == "failure_rate"]
        self._api = [_ApiRule(r) for r in rules if r["type"] in ("api_timeout", "api_error")]
        self.host_down = [(r["host"], float(r.get("at", 0.0))) for r in rules
                          if r["type"] == "host_down"]

    def before_request(self, service: str, method: str, path: str) -> None:
        """Called by every app before routing; sleeps or raises as the rules say."""
        if not self._api:
            return
        with self._lock:
            hits = [rule for rule in self._api if rule.matches(service, method, path)]
        for rule in hits:
            if rule.kind == "api_timeout":
                LOG.info("failure rule: %s %s %s sleeps %.1fs", service, method, path,
                         rule.delay)
                time.sleep(rule.delay)
            else:
                raise HTTPError(rule.status, f"Injected failure for {method} {path}")

    def operation_failure(self, operation: str, hosts: tuple = ()) -> str | None:
        """The reason an operation fails, or None if it goes through."""
        if operation == "live_migration":
            refused = sorted(self.refusing_hosts.intersection(h for h in hosts if h))
            if refused:
                return f"Live migration refused by host {refused[0]}"
        with self._lock:
            for operations, rate, rng in self._rates:
                if operations and operation not in operations:
                    continue
                if rng.random() < rate:
                    return f"Injected {operation} failure (rate {rate})"
        return None
