"""Embedded mode: API, decision engine and applier in one process, SQLite, no broker.

The services are the same classes the separate commands run; only the transport
(oslo.messaging's in-process ``fake://`` driver) and the database (a SQLite file) differ.
Used by the demo and for quick tries::

    python -m watcher.cmd.embedded [--db PATH] [--port 9322]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import threading

from oslo_log import log

from watcher.common import rpc, service
from watcher.conf import CONF

LOG = log.getLogger(__name__)


class Embedded:
    """Starts and stops every watcher service of one process."""

    def __init__(
        self,
        db_path: str | None = None,
        transport_url: str = "fake://",
        with_api: bool = True,
        api_port: int = 0,
    ) -> None:
        # A database of its own when none is given, removed again on stop.
        self._scratch_dir = None if db_path else tempfile.mkdtemp(prefix="watcher-")
        self.db_path = db_path or os.path.join(self._scratch_dir, "db.sqlite")
        self.transport_url = transport_url
        self.with_api = with_api
        self.api_port = api_port
        self.services: list[service.WatcherService] = []
        self.api_url: str | None = None
        self._httpd = None
        self._api_thread: threading.Thread | None = None

    def _prepare_database(self) -> None:
        from watcher.db.sqlalchemy import facade, migration

        facade.configure(f"sqlite:///{self.db_path}")
        if migration.version() is None:
            migration.create_schema()

    def start(self) -> Embedded:
        service.init_backend()
        CONF.set_override("transport_url", self.transport_url)
        # The API runs without Keystone here; embedded mode is a local tool.
        CONF.set_override("enable_authentication", False)
        if not CONF.oslo_messaging_notifications.driver:
            CONF.set_override("driver", ["messagingv2"], group="oslo_messaging_notifications")
        rpc.cleanup()
        rpc.init()
        self._prepare_database()

        from watcher.cmd import applier, decisionengine

        self.services = [decisionengine.build_service(), applier.build_service()]
        for svc in self.services:
            svc.start()
        if self.with_api:
            self._start_api()
        return self

    def _start_api(self) -> None:
        from watcher.api import app
        from watcher.cmd import api

        # The same threaded server and app as watcher-api.
        self._httpd = api.make_server("127.0.0.1", self.api_port, app.load_app())
        self.api_url = f"http://127.0.0.1:{self._httpd.server_port}"
        self._api_thread = threading.Thread(
            target=self._httpd.serve_forever, name="embedded-api", daemon=True
        )
        self._api_thread.start()
        LOG.info("Embedded API on %s", self.api_url)

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        for svc in reversed(self.services):
            svc.stop()
        self.services = []
        rpc.cleanup()
        if self._scratch_dir is not None:
            from watcher.db.sqlalchemy import facade

            facade.reset()
            shutil.rmtree(self._scratch_dir, ignore_errors=True)
            self._scratch_dir = None

    def __enter__(self) -> Embedded:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="SQLite file (default: a temporary one, removed on exit)")
    parser.add_argument("--port", type=int, default=9322)
    parser.add_argument("--config-file", action="append", default=[])
    args = parser.parse_args(argv)
    from watcher.common import config

    config.parse_args([f"--config-file={path}" for path in args.config_file])
    embedded = Embedded(db_path=args.db, api_port=args.port).start()
    print(f"Watcher API on {embedded.api_url} (database {embedded.db_path})", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        embedded.stop()


if __name__ == "__main__":
    main()
