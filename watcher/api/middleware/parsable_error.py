"""Wraps every error body as ``{"error_message": "<original body>"}`` (or XML on request).

python-watcherclient reads ``error_message`` and then parses the WSME fault JSON inside it,
so the original body is kept verbatim as a string, exactly as upstream does.
"""

from __future__ import annotations

from xml.etree import ElementTree

import webob
from oslo_log import log
from oslo_serialization import jsonutils

LOG = log.getLogger(__name__)


def _is_error(status_code: int) -> bool:
    return status_code // 100 not in (2, 3)


class ParsableErrorMiddleware:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        state: dict = {}

        def replacement_start_response(status, headers, exc_info=None):
            try:
                state["status_code"] = int(status.split(" ")[0])
            except (ValueError, TypeError) as err:
                raise Exception(f"ParsableErrorMiddleware received an invalid status {status}") \
                    from err
            if _is_error(state["status_code"]):
                # Length and type change once the body is rewritten below.
                headers = [
                    (name, value)
                    for name, value in headers
                    if name.lower() not in ("content-length", "content-type")
                ]
            state["headers"] = headers
            state["status"] = status
            state["exc_info"] = exc_info
            return None

        app_iter = self.app(environ, replacement_start_response)
        if not _is_error(state["status_code"]):
            start_response(state["status"], state["headers"], state["exc_info"])
            return app_iter
        try:
            original = b"".join(app_iter).decode("utf-8", "replace")
        finally:
            if hasattr(app_iter, "close"):
                app_iter.close()
        request = webob.Request(environ)
        headers = state["headers"]
        best = request.accept.best_match(["application/json", "application/xml"])
        if best == "application/xml":
            element = ElementTree.Element("error_message")
            element.text = original
            body = ElementTree.tostring(element)
            headers.append(("Content-Type", "application/xml"))
        else:
            body = jsonutils.dump_as_bytes({"error_message": original})
            headers.append(("Content-Type", "application/json"))
        headers.append(("Content-Length", str(len(body))))
        start_response(state["status"], headers, state["exc_info"])
        return [body]
