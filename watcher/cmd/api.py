"""``watcher-api``: serve the REST API on ``[api] host``:``[api] port``."""

from __future__ import annotations

import os
import signal
import socketserver
import ssl
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
    server = simple_server.make_server(
        host, port, application, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    if CONF.api.enable_ssl_api:
        server.socket = _tls_context().wrap_socket(
            # The handshake then runs in the request's thread, not in the accept loop.
            server.socket, server_side=True, do_handshake_on_connect=False
        )
        # wsgiref derives wsgi.url_scheme from this CGI variable.
        server.base_environ["HTTPS"] = "on"
    return server


def _tls_context() -> ssl.SSLContext:
    """TLS from upstream's ``[ssl]`` options (cert_file, key_file, ca_file, ciphers)."""
    group = CONF.ssl
    if not group.cert_file or not group.key_file:
        raise RuntimeError("[api] enable_ssl_api needs [ssl] cert_file and key_file")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(group.cert_file, group.key_file)
    if group.ca_file:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(group.ca_file)
    if group.ciphers:
        context.set_ciphers(group.ciphers)
    return context


def _stop_on_sigterm(signum, frame):
    raise SystemExit(0)


def _fork_workers(server, count: int) -> list[int]:
    """``count`` child processes accepting on the parent's listening socket."""
    children = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            # The child keeps the default SIGTERM action: the parent stops it by pid.
            try:
                server.serve_forever()
            finally:
                os._exit(0)
        children.append(pid)
    return children


def _stop_workers(children: list[int]) -> None:
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    for pid in children:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            continue


def serve(application, workers: int | None = None) -> None:
    """Serve until SIGTERM/SIGINT with ``[api] workers`` processes sharing one socket."""
    server = make_server(CONF.api.host, CONF.api.port, application)
    host, port = server.server_address[:2]
    workers = CONF.api.workers if workers is None else workers
    if not CONF.enable_authentication:
        LOG.warning("Authentication is disabled: every request runs with an admin context.")
    LOG.info("Serving watcher-api on http://%(host)s:%(port)s with %(workers)d worker(s)",
             {"host": host, "port": port, "workers": workers})
    # Forked before any request: each worker opens its own DB pool and RPC transport.
    children = _fork_workers(server, max(workers, 1) - 1)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        _stop_workers(children)
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    config.parse_args(sys.argv[1:] if argv is None else argv)
    serve(app.load_app())
    return 0


if __name__ == "__main__":
    sys.exit(main())
