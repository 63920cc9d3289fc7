"""``Simulator``: builds the state from a scenario, serves every API app on loopback and
stops cleanly. Tests, benchmarks, the demo and ``watcher-simulator`` all go through it.

    with Simulator.from_scenario("cloud.yaml") as sim:
        conn = openstack.connect(**sim.clouds_yaml_entry)
"""

import collections
import logging
import os
import threading

import yaml

from watcher.simulator import apps as apps_mod
from watcher.simulator.failures import FailureRules
from watcher.simulator.identity import Identity
from watcher.simulator.notify import Notifications
from watcher.simulator.operations import Operations
from watcher.simulator.scenario import checks  # noqa: F401 - registers the built-in checks
from watcher.simulator.scenario.loader import Scenario, load
from watcher.simulator.scheduler import Scheduler
from watcher.simulator.server import Dispatcher, HTTPService
from watcher.simulator.state import CloudState

LOG = logging.getLogger(__name__)


class Simulator:
    def __init__(self, scenario: Scenario, host: str = "127.0.0.1", port: int = 0,
                 transport_url: str | None = None, apps: list[str] | None = None,
                 speed: float | None = None,
                 notification_exchanges: dict[str, str] | None = None) -> None:
        self.scenario = scenario
        self.state = CloudState(scenario)
        if speed is not None:
            self.state.clock.speed = float(speed)
        self.clock = self.state.clock
        self.identity = Identity(self.state)
        self.failures = FailureRules(scenario.doc.get("failures", []))
        self.scheduler = Scheduler(self.clock)
        self.notifications = Notifications(transport_url, **(notification_exchanges or {}))
        self.operations = Operations(self)
        self.requests: collections.Counter = collections.Counter()
        self._count_lock = threading.Lock()
        self._dispatcher = Dispatcher(status=self.status)
        self._main = HTTPService(self._dispatcher, host, port)
        self._extra: list[HTTPService] = []
        self.apps: dict[str, object] = {}
        self._service_urls: dict[str, str] = {}
        for path in apps or apps_mod.APPS:
            app_class = apps_mod.load_app_class(path)
            app = app_class(self)
            self.apps[app.name] = app
            if getattr(app, "own_port", False):
                service = HTTPService(app, host, 0)
                self._extra.append(service)
                self._service_urls[app.name] = service.url
            else:
                self._dispatcher.mount(app.prefix, app)
                self._service_urls[app.name] = self._main.url + app.prefix.rstrip("/")
        self._catalog_template = self._build_catalog()
        self._running = False

    @classmethod
    def from_scenario(cls, source: str | dict | Scenario, **kwargs) -> "Simulator":
        scenario = source if isinstance(source, Scenario) else load(source)
        return cls(scenario, **kwargs)

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> "Simulator":
        for service in [self._main] + self._extra:
            service.start()
        for app in self.apps.values():
            starter = getattr(app, "start", None)
            if starter is not None:
                starter()
        self.scheduler.start()
        self._running = True
        LOG.info("simulator listening on %s (Keystone %s)", self.url, self.auth_url)
        return self

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self.scheduler.stop()
        for service in [self._main] + self._extra:
            service.stop()
        self.notifications.close()

    def __enter__(self) -> "Simulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def advance(self, seconds: float | None = None) -> int:
        """Move simulated time on by ``seconds`` (default: to the last pending event) and
        finish every operation that is then due; returns how many events ran."""
        ran = 0
        while True:
            if seconds is None:
                due = self.scheduler.next_due()
                if due is None:
                    return ran
                self.clock.advance(max(0.0, due - self.clock.now()))
            else:
                self.clock.advance(seconds)
            ran += self.scheduler.run_due()
            if seconds is not None:
                return ran

    # -- what clients need ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        return self._main.url

    def service_url(self, name: str) -> str:
        """Base URL of one app (``identity``, ``compute``, ...)."""
        return self._service_urls[name]

    @property
    def auth_url(self) -> str:
        return self.service_url("identity") + "/v3"

    @property
    def admin_credentials(self) -> dict:
        user = self.state.admin_user
        project = self.state.projects[user.default_project_id]
        return {"auth_url": self.auth_url, "username": user.name, "password": user.password,
                "project_name": project.name, "user_domain_name": "Default",
                "project_domain_name": "Default"}

    @property
    def clouds_yaml_entry(self) -> dict:
        """openstacksdk's cloud config for the scenario's admin; pass it as
        ``openstack.connect(**entry)`` or write it to clouds.yaml."""
        return {"auth": self.admin_credentials, "region_name": self.state.region,
                "interface": "public", "identity_api_version": 3}

    def write_clouds_yaml(self, path: str, cloud_name: str) -> None:
        """Add or replace ``cloud_name`` in ``path``, keeping every other cloud."""
        doc: dict = {}
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                doc = yaml.safe_load(handle) or {}
        doc.setdefault("clouds", {})[cloud_name] = self.clouds_yaml_entry
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        temporary = path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            yaml.safe_dump(doc, handle, default_flow_style=False, sort_keys=False)
        os.replace(temporary, path)

    def catalog(self, project_id: str | None) -> list[dict]:
        """Keystone's token catalog, with ``$(project_id)s`` filled in as Keystone does."""
        if not project_id:
            return self._catalog_template
        out = []
        for service in self._catalog_template:
            endpoints = [{**e, "url": e["url"].replace("$(project_id)s", project_id)}
                         for e in service["endpoints"]]
            out.append({**service, "endpoints": endpoints})
        return out

    def register_endpoint(self, service_type: str, service_name: str, url: str) -> None:
        """Serve a real service's endpoint (e.g. watcher-api) in the simulated catalog, so
        clients that discover everything from Keystone (tempest) find it."""
        region = self.state.region
        service_id = self.state.make_id("service", service_type).replace("-", "")
        endpoints = [{"id": self.state.make_id("endpoint", f"{service_type}:{iface}")
                      .replace("-", ""), "interface": iface, "region": region,
                      "region_id": region, "url": url}
                     for iface in ("public", "internal", "admin")]
        self._catalog_template.append({"id": service_id, "type": service_type,
                                       "name": service_name, "endpoints": endpoints})

    def _build_catalog(self) -> list[dict]:
        region = self.state.region
        services = []
        for app in self.apps.values():
            for service_type, service_name, suffix in app.catalog:
                url = self._service_urls[app.name] + suffix
                service_id = self.state.make_id("service", service_type).replace("-", "")
                endpoints = [{"id": self.state.make_id("endpoint", f"{service_type}:{iface}")
                              .replace("-", ""), "interface": iface, "region": region,
                              "region_id": region, "url": url}
                             for iface in ("public", "internal", "admin")]
                services.append({"id": service_id, "type": service_type, "name": service_name,
                                 "endpoints": endpoints})
        return services

    def status(self) -> dict:
        """What the simulator's root URL reports: counts a benchmark can read remotely."""
        with self._count_lock:
            requests = dict(self.requests)
        return {"requests": requests, "simulated_time": self.clock.isotime(),
                "pending_events": self.scheduler.pending}

    def count_request(self, service: str) -> None:
        with self._count_lock:
            self.requests[service] += 1
