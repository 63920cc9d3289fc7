"""The small WSGI toolkit every simulated API is built on.

A ``ServiceApp`` owns a URL prefix on the simulator's port, a route table, its microversion
header and its error body format. Subclasses only declare routes and write handlers that
return ``(status, body)``; this module does the JSON, the headers, token checks and the
failure-injection hook, so each cloud API stays a page or two of code.
"""

import json
import logging
import re
import uuid
from collections.abc import Callable
from http import HTTPStatus

import webob

LOG = logging.getLogger(__name__)

JSON = "application/json"


class HTTPError(Exception):
    """Raised by handlers; rendered in the owning service's error format."""

    def __init__(self, status: int, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class Raw:
    """A body that is already JSON-encoded (the hot paths pre-render their documents)."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


_PARAM = re.compile(r"{(\w+)}")


class Router:
    def __init__(self) -> None:
        self._routes: list[tuple[re.Pattern, dict[str, Callable]]] = []
        self._index: dict[str, int] = {}

    def add(self, method: str, template: str, handler: Callable) -> None:
        if template not in self._index:
            pattern = "^" + _PARAM.sub(r"(?P<\1>[^/]+)", template.rstrip("/") or "/") + "/?$"
            self._index[template] = len(self._routes)
            self._routes.append((re.compile(pattern), {}))
        self._routes[self._index[template]][1][method] = handler

    def match(self, method: str, path: str) -> tuple[Callable, dict]:
        for pattern, handlers in self._routes:
            found = pattern.match(path)
            if found is None:
                continue
            handler = handlers.get(method)
            if handler is None and method == "HEAD":
                handler = handlers.get("GET")
            if handler is None:
                raise HTTPError(405, f"The method {method} is not supported for this resource.")
            return handler, found.groupdict()
        raise HTTPError(404, "The resource could not be found.")


class Microversions:
    """One service's microversion rules (header names, range, and how to echo it)."""

    def __init__(
        self, service: str, minimum: str, maximum: str, legacy_header: str | None = None,
        default: str | None = None,
    ) -> None:
        self.service = service
        self.minimum = parse_version(minimum)
        self.maximum = parse_version(maximum)
        self.default = parse_version(default or minimum)
        self.legacy_header = legacy_header

    def negotiate(self, req: webob.Request) -> tuple[int, int]:
        wanted = None
        header = req.headers.get("OpenStack-API-Version")
        if header:
            for part in header.split(","):
                words = part.strip().split()
                if len(words) == 2 and words[0].lower() == self.service:
                    wanted = words[1]
        if wanted is None and self.legacy_header:
            wanted = req.headers.get(self.legacy_header)
        if not wanted:
            return self.default
        if wanted.strip().lower() == "latest":
            return self.maximum
        try:
            version = parse_version(wanted)
        except ValueError as err:
            raise HTTPError(400, f"API Version String {wanted} is of invalid format. Must be "
                                 "of format MajorNum.MinorNum.") from err
        if not self.minimum <= version <= self.maximum:
            raise HTTPError(406, f"Version {wanted} is not supported by the API. Minimum is "
                                 f"{format_version(self.minimum)} and maximum is "
                                 f"{format_version(self.maximum)}.")
        return version

    def headers(self, version: tuple[int, int]) -> list[tuple[str, str]]:
        text = format_version(version)
        out = [("OpenStack-API-Version", f"{self.service} {text}")]
        vary = ["OpenStack-API-Version"]
        if self.legacy_header:
            out.append((self.legacy_header, text))
            vary.append(self.legacy_header)
        out.append(("Vary", ", ".join(vary)))
        return out


def parse_version(text: str) -> tuple[int, int]:
    major, minor = text.strip().split(".")
    return int(major), int(minor)


def format_version(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


class Context:
    """What a handler knows about the caller and the request."""

    __slots__ = ("req", "token", "version", "base_url", "params", "request_id")

    def __init__(self, req: webob.Request, token, version, params: dict,
                 request_id: str = "") -> None:
        self.req = req
        self.request_id = request_id
        self.token = token
        self.version = version or (0, 0)
        self.base_url = req.application_url
        self.params = params

    @property
    def is_admin(self) -> bool:
        return self.token is not None and "admin" in self.token.roles

    @property
    def project_id(self) -> str | None:
        return self.token.project_id if self.token else None

    @property
    def user_id(self) -> str | None:
        return self.token.user.id if self.token else None

    def at_least(self, version: str) -> bool:
        return self.version >= parse_version(version)

    def json(self) -> dict:
        try:
            body = json.loads(self.req.body or b"{}")
        except ValueError as err:
            raise HTTPError(400, "Malformed request body") from err
        if not isinstance(body, dict):
            raise HTTPError(400, "Malformed request body")
        return body

    def query(self, name: str, default=None):
        return self.req.GET.get(name, default)

    def int_query(self, name: str, default: int | None = None) -> int | None:
        raw = self.req.GET.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError as err:
            raise HTTPError(400, f"Invalid input for query parameters {name}. Value: {raw}. "
                                 f"'{raw}' is not an integer") from err
        if value < 0:
            raise HTTPError(400, f"Invalid input for query parameters {name}. Value: {raw}.")
        return value

    def require_admin(self) -> None:
        if not self.is_admin:
            raise HTTPError(403, "Policy doesn't allow this operation to be performed.")


class ServiceApp:
    """Base of every simulated cloud API.

    Class attributes a subclass sets: ``name`` (used in failure rules and logs), ``prefix``
    (URL path on the simulator port, e.g. ``/compute``), ``catalog`` (list of
    ``(service_type, service_name, url_suffix)``), ``microversions`` and ``public_paths``
    (regexes that need no token, e.g. version documents).
    """

    name = "service"
    prefix = "/"
    catalog: list[tuple[str, str, str]] = []
    microversions: Microversions | None = None
    public_paths: tuple[str, ...] = (r"^/?$",)

    def __init__(self, sim) -> None:
        self.sim = sim
        self.state = sim.state
        self.router = Router()
        self._public = [re.compile(p) for p in self.public_paths]
        self.routes()

    def routes(self) -> None:
        raise NotImplementedError

    def error_body(self, status: int, message: str) -> dict:
        """The service's JSON error document (Nova style unless overridden)."""
        return {_NOVA_FAULTS.get(status, "computeFault"): {"code": status, "message": message}}

    def __call__(self, environ: dict, start_response: Callable):
        req = webob.Request(environ)
        path = req.path_info or "/"
        request_id = "req-" + str(uuid.uuid4())
        extra_headers: list[tuple[str, str]] = [("x-openstack-request-id", request_id)]
        self.sim.count_request(self.name)
        try:
            self.sim.failures.before_request(self.name, req.method, path)
            version = None
            if self.microversions is not None:
                version = self.microversions.negotiate(req)
                extra_headers.extend(self.microversions.headers(version))
            token = self._authenticate(req, path)
            handler, params = self.router.match(req.method, path)
            try:
                result = handler(Context(req, token, version, params, request_id), **params)
            except (ValueError, TypeError, KeyError, AttributeError) as err:
                # Bad client input reaching a handler: a 400, as the real APIs' schema
                # validation would answer, never a traceback.
                LOG.info("%s %s %s: bad request: %r", self.name, req.method, path, err)
                raise HTTPError(400, f"Invalid input: {err}") from err
        except HTTPError as err:
            if err.status >= 500:
                LOG.warning("%s %s %s -> %s", self.name, req.method, path, err.message)
            extra_headers.extend(err.headers.items())
            if err.status == 401:
                # keystonemiddleware answers before the service does, in its own format.
                document = {"error": {"code": 401, "title": "Unauthorized",
                                      "message": err.message}}
            else:
                document = self.error_body(err.status, err.message)
            body = json.dumps(document).encode()
            return self._respond(start_response, err.status, body, extra_headers)
        return self._render(start_response, result, extra_headers)

    def _authenticate(self, req: webob.Request, path: str):
        if any(p.match(path) for p in self._public):
            token_id = req.headers.get("X-Auth-Token")
            return self.sim.identity.validate(token_id) if token_id else None
        token_id = req.headers.get("X-Auth-Token")
        token = self.sim.identity.validate(token_id) if token_id else None
        if token is None:
            raise HTTPError(401, "The request you have made requires authentication.",
                            {"WWW-Authenticate": f'Keystone uri="{self.sim.auth_url}"'})
        return token

    def _render(self, start_response, result, headers: list) -> list[bytes]:
        status, body = result[0], result[1]
        if len(result) > 2:
            headers.extend(result[2].items())
        if body is None:
            data = b""
        elif isinstance(body, Raw):
            data = body.data
        else:
            data = json.dumps(body, separators=(",", ":")).encode()
        return self._respond(start_response, status, data, headers)

    @staticmethod
    def _respond(start_response, status: int, data: bytes, headers: list) -> list[bytes]:
        phrase = HTTPStatus(status).phrase
        out = [("Content-Length", str(len(data)))]
        if data:
            out.append(("Content-Type", JSON))
        start_response(f"{status} {phrase}", out + headers)
        return [data]


_NOVA_FAULTS = {
    400: "badRequest",
    401: "unauthorized",
    403: "forbidden",
    404: "itemNotFound",
    405: "badMethod",
    406: "notAcceptable",
    409: "conflict",
    413: "overLimit",
    501: "notImplemented",
    503: "serviceUnavailable",
}


def link(href: str, rel: str = "self") -> dict:
    return {"href": href, "rel": rel}


def version_document(
    base_url: str, version_id: str, status: str = "CURRENT", min_version: str = "",
    max_version: str = "", updated: str = "2013-07-23T11:33:21Z", media: str = "",
) -> dict:
    """The shape keystoneauth discovery reads from Nova/Cinder/Placement version lists."""
    doc = {
        "id": version_id,
        "status": status,
        "version": max_version,
        "min_version": min_version,
        "updated": updated,
        "links": [link(base_url.rstrip("/") + "/")],
    }
    if media:
        doc["media-types"] = [{"base": JSON, "type": media}]
    return doc
