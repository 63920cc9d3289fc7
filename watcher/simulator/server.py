"""Serve WSGI apps on loopback: one threaded HTTP server per port, path prefixes per app."""

import json
import logging
import socketserver
import threading
from wsgiref import simple_server

LOG = logging.getLogger(__name__)


class _Handler(simple_server.WSGIRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        LOG.debug("%s %s", self.address_string(), format % args)


class _Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True


class Dispatcher:
    """Route a request to the app whose prefix starts its path (longest prefix wins)."""

    def __init__(self, status=None) -> None:
        self._apps: list[tuple[str, object]] = []
        # Callable giving extra facts for the root document (request counts, clock...).
        self._status = status

    def mount(self, prefix: str, app) -> None:
        self._apps.append((prefix.rstrip("/"), app))
        self._apps.sort(key=lambda item: len(item[0]), reverse=True)

    @property
    def prefixes(self) -> list[str]:
        return [prefix for prefix, _ in self._apps]

    def __call__(self, environ: dict, start_response):
        path = environ.get("PATH_INFO", "") or "/"
        for prefix, app in self._apps:
            if prefix and (path == prefix or path.startswith(prefix + "/")):
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
                environ["PATH_INFO"] = path[len(prefix):] or "/"
                return app(environ, start_response)
            if not prefix:
                return app(environ, start_response)
        doc = {"services": self.prefixes}
        if self._status is not None:
            doc.update(self._status())
        body = json.dumps(doc).encode()
        status = "200 OK" if path == "/" else "404 Not Found"
        start_response(status, [("Content-Type", "application/json"),
                                ("Content-Length", str(len(body)))])
        return [body]


class HTTPService:
    """One listening port; ``port=0`` picks a free one."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = simple_server.make_server(host, port, app, server_class=_Server,
                                                 handler_class=_Handler)
        self.host = host
        self.port = self._server.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1},
                                        name=f"simulator-http-{self.port}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
