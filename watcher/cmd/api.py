"""``watcher-api``: serve the REST API on ``[api] host``:``[api] port``."""

from __future__ import annotations

import socketserver
import sys
from wsgiref import simple_server

from oslo_log import log

from watcher.api import app
from watcher.common import config
from watcher.conf import CONF

LOG = log.getLogger(__name__)


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    # Requests run in threads: a slow RPC call must not hold up other clients.
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (signature of the base class)
        LOG.info("%s %s", self.address_string(), format % args)


def make_server(host: str, port: int, application) -> simple_server.WSGIServer:
    return simple_server.make_server(
        host, port, application, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )


def serve(application) -> None:
    server = make_server(CONF.api.host, CONF.api.port, application)
    host, port = server.server_address[:2]
    if not CONF.enable_authentication:
        LOG.warning("Authentication is disabled: every request runs with an admin context.")
    LOG.info("Serving watcher-api on http://%(host)s:%(port)s", {"host": host, "port": port})
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    config.parse_args(sys.argv[1:] if argv is None else argv)
    serve(app.load_app())
    return 0


if __name__ == "__main__":
    sys.exit(main())
