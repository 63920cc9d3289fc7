"""An in-process API environment: config, a fresh database (SQLite unless given a server
database's URL), RPC on the fake transport with a stand-in decision engine, and the full WSGI
stack.

Used by the gabbi fixture and by the pytest modules of this package.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time

import webob
from oslo_log import log

from watcher.api import app as api_app
from watcher.common import context as watcher_context
from watcher.common import policy, rpc
from watcher.conf import CONF
from watcher.db.sqlalchemy import facade, models
from watcher.tests.functional.api import sample_data

if "debug" not in CONF:
    log.register_options(CONF)

# Rows of GET /v1/data_model as the engine's model answers them (two at 1.6+ only).
DATA_MODEL_ROWS = [
    {
        "node_uuid": "11111111-2222-3333-4444-555555555555",
        "node_hostname": "compute-1",
        "node_vcpus": 16,
        "server_uuid": "66666666-7777-8888-9999-000000000000",
        "server_name": "vm-1",
        "server_vcpus": 2,
        "server_flavor_extra_specs": {"hw:cpu_policy": "dedicated"},
        "server_pinned_az": "nova",
    }
]


class _Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()

    def _record(self, items: list, value: str) -> None:
        with self.lock:
            items.append(value)

    def _wait(self, items: list, value: str, timeout: float) -> bool:
        # Casts are delivered asynchronously by the RPC server's thread.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if value in items:
                    return True
            time.sleep(0.02)
        return False


class FakeDecisionEngine(_Recorder):
    """Answers the decision engine's RPC methods the API uses, and records the casts."""

    def __init__(self) -> None:
        super().__init__()
        self.triggered: list[str] = []

    def trigger_audit(self, context, audit_uuid):
        self._record(self.triggered, audit_uuid)

    def wait_for_trigger(self, audit_uuid: str, timeout: float = 5.0) -> bool:
        return self._wait(self.triggered, audit_uuid, timeout)

    def get_strategy_info(self, context, strategy_name):
        return [
            {"type": "Datasource", "state": "gnocchi: available", "mandatory": "True",
             "comment": ""},
            {"type": "Metrics", "state": [{"host_cpu_usage": "available"}],
             "mandatory": "False", "comment": ""},
            {"type": "CDM", "state": [{"compute_model": "available"}], "mandatory": "True",
             "comment": ""},
        ]

    def get_data_model_info(self, context, data_model_type="compute", audit=None):
        return {"context": [dict(row) for row in DATA_MODEL_ROWS]}


class FakeApplier(_Recorder):
    """Records the applier's ``launch_action_plan`` casts."""

    def __init__(self) -> None:
        super().__init__()
        self.launched: list[str] = []

    def launch_action_plan(self, context, action_plan_uuid):
        self._record(self.launched, action_plan_uuid)

    def wait_for_launch(self, action_plan_uuid: str, timeout: float = 5.0) -> bool:
        return self._wait(self.launched, action_plan_uuid, timeout)


class ApiEnvironment:
    def __init__(self, *, authentication: bool = False, sample_work: bool = True,
                 db_url: str | None = None) -> None:
        """``db_url``: an empty database with no tables (the default: a new SQLite file)."""
        self.authentication = authentication
        self.db_url = db_url
        self.sample_work = sample_work
        self.tmpdir: str | None = None
        self.engine = FakeDecisionEngine()
        self.applier = FakeApplier()
        self._servers: list = []
        self._application = None

    @property
    def db_path(self) -> str:
        return os.path.join(self.tmpdir, "watcher.sqlite")

    def start(self) -> None:
        self.tmpdir = tempfile.mkdtemp(prefix="watcher-api-")
        # oslo.policy looks its file up through CONF, which must have parsed (no) arguments.
        CONF([], project="watcher", default_config_files=[])
        CONF.set_override("enable_authentication", self.authentication)
        CONF.set_override("transport_url", "fake://")
        CONF.set_override("rpc_response_timeout", 5)
        facade.configure(self.db_url or f"sqlite:///{self.db_path}")
        models.Base.metadata.create_all(facade.get_engine())
        self._load_sample_rows()
        policy.reset()
        rpc.cleanup()
        rpc.init(CONF)
        self._servers = [
            rpc.get_server(CONF.watcher_decision_engine.conductor_topic, "test-engine",
                           [self.engine]),
            rpc.get_server(CONF.watcher_applier.conductor_topic, "test-applier", [self.applier]),
        ]
        for server in self._servers:
            server.start()

    def reload_rows(self) -> None:
        """Every table back to the sample rows, whatever accepted requests wrote."""
        with facade.writer() as session:
            for table in reversed(models.Base.metadata.sorted_tables):
                session.execute(table.delete())
        self._load_sample_rows()

    def _load_sample_rows(self) -> None:
        context = watcher_context.get_admin_context()
        sample_data.load_catalog(context)
        if self.sample_work:
            sample_data.load_work(context)

    def stop(self) -> None:
        for server in self._servers:
            server.stop()
            server.wait()
        self._servers = []
        rpc.cleanup()
        policy.reset()
        facade.reset()
        facade.configure(None)
        for name in ("enable_authentication", "transport_url", "rpc_response_timeout"):
            CONF.clear_override(name)
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    @property
    def application(self):
        """The WSGI stack, built once per environment (after the config is in place)."""
        if self._application is None:
            self._application = api_app.setup_app()
        return self._application


def call(application, method: str, path: str, body=None, headers: dict | None = None):
    """One request through the WSGI stack with ``body`` as JSON; returns the webob response."""
    raw = None if body is None else json.dumps(body).encode()
    return call_raw(application, method, path, raw, headers=headers)


def call_raw(application, method: str, path: str, body: bytes | None = None,
             content_type: str = "application/json", headers: dict | None = None):
    """One request whose path (percent-encoded) and body bytes are sent as given."""
    request = webob.Request.blank(path, method=method, headers=headers or {})
    request.accept = "application/json"
    if body is not None:
        request.content_type = content_type
        request.body = body
    return request.get_response(application)


def snapshot() -> dict:
    """Every row of every table, in primary-key order: what a refused request must not change.

    Read through the driver's own cursor: the property-based test takes one per request.
    """
    engine = facade.get_engine()
    quote = engine.dialect.identifier_preparer.quote
    tables = {}
    # A pooled connection, rolled back when returned: each call sees the latest commits.
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        for table in models.Base.metadata.sorted_tables:
            order = ", ".join(quote(column.name) for column in table.primary_key.columns)
            cursor.execute(f"SELECT * FROM {quote(table.name)} ORDER BY {order}")
            tables[table.name] = [tuple(row) for row in cursor.fetchall()]
    finally:
        connection.close()
    return tables
