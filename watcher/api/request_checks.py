"""Refuses malformed requests before any controller, and so the database, sees them.

One WSGI wrapper and one pecan hook check every endpoint the same way, so no controller has
to guard against input that WSME or the database driver would choke on:

- the path and the query string: valid UTF-8 with no control characters (PostgreSQL refuses
  a NUL in any string) and no character outside the Basic Multilingual Plane (MariaDB cannot
  compare 4-byte UTF-8 with the names and UUIDs it stores);
- the body: at most ``MAX_BODY_BYTES``, JSON (the only format the API speaks), nested at
  most ``MAX_NESTING`` deep, no NUL in any string;
- the body's shape against the signature the endpoint declares to WSME: an object where a
  resource is expected, a list where a list is (a JSON patch), a string where a date and
  time is, a scalar where a scalar is; WSME's own conversion then gives the finer errors.

Refusals carry WSME's fault body (``faultcode``, ``faultstring``, ``debuginfo``), which the
parsable-error middleware wraps as every other error.
"""

from __future__ import annotations

import datetime
import json
from http import HTTPStatus
from urllib import parse

import webob
from oslo_serialization import jsonutils
from pecan import hooks
from wsme import types as wtypes
from wsme.rest import json as wsme_json

from watcher._i18n import _
from watcher.api.controllers.v1 import types as api_types

MAX_BODY_BYTES = 1024 * 1024
MAX_NESTING = 32
_TIME_TYPES = (datetime.datetime, datetime.date, datetime.time)
_SCALARS = (str, int, float, bool)


class Refused(Exception):
    """A request refused with ``status`` and a WSME fault body saying why."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def response(self) -> webob.Response:
        body = jsonutils.dump_as_bytes(
            {"faultcode": "Client", "faultstring": self.message, "debuginfo": None})
        return webob.Response(body=body, status=f"{self.status.value} {self.status.phrase}",
                              content_type="application/json", charset="UTF-8")


def _bad_text(text: str) -> str | None:
    """Why ``text`` may not reach the database, or None."""
    for char in text:
        code = ord(char)
        if code < 0x20 or code == 0x7F:
            return _("control character U+%04X") % code
        if code > 0xFFFF:
            return _("character U+%X outside the Basic Multilingual Plane") % code
    return None


def _decoded(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(HTTPStatus.BAD_REQUEST, _("The %s is not valid UTF-8") % where) from None


def check_path_and_query(environ: dict) -> None:
    # WSGI hands the path over as its raw bytes decoded as latin-1.
    path = _decoded(environ.get("PATH_INFO", "").encode("latin-1"), _("request path"))
    reason = _bad_text(path)
    if reason:
        raise Refused(HTTPStatus.BAD_REQUEST, _("Invalid request path: %s") % reason)
    # Unquoted as latin-1, each character is one byte: decoded as UTF-8 below, strictly.
    query = parse.parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True,
                            encoding="latin-1")
    for name, value in query:
        for text in (name, value):
            reason = _bad_text(_decoded(text.encode("latin-1"), _("query string")))
            if reason:
                raise Refused(HTTPStatus.BAD_REQUEST, _("Invalid query string: %s") % reason)


def _check_nesting_and_strings(document) -> None:
    """Depth and strings, iteratively: a deep document must not exhaust the stack here."""
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_NESTING:
                raise Refused(HTTPStatus.BAD_REQUEST,
                              _("The request body is nested deeper than %d levels")
                              % MAX_NESTING)
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and "\x00" in key:
                    raise Refused(HTTPStatus.BAD_REQUEST,
                                  _("The request body holds a NUL character"))
                pending.append((item, depth + 1))
        elif isinstance(value, str) and "\x00" in value:
            raise Refused(HTTPStatus.BAD_REQUEST, _("The request body holds a NUL character"))


def parse_body(request: webob.Request):
    """The JSON document of the body (None when there is none), checked for size and depth."""
    if request.content_length and request.content_length > MAX_BODY_BYTES:
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                      _("The request body is larger than %d bytes") % MAX_BODY_BYTES)
    body = request.body
    if not body:
        return None
    if len(body) > MAX_BODY_BYTES:
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                      _("The request body is larger than %d bytes") % MAX_BODY_BYTES)
    if request.content_type not in wsme_json.accept_content_types:
        raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                      _("Unknown mimetype: %s") % (request.content_type or _("none given")))
    try:
        document = json.loads(_decoded(body, _("request body")))
    except RecursionError:
        raise Refused(HTTPStatus.BAD_REQUEST,
                      _("The request body is nested deeper than %d levels")
                      % MAX_NESTING) from None
    except ValueError:
        raise Refused(HTTPStatus.BAD_REQUEST, _("Request is not in valid JSON format")) from None
    _check_nesting_and_strings(document)
    return document


def _mismatch(name: str, value, expected: str) -> Refused:
    return Refused(
        HTTPStatus.BAD_REQUEST,
        _("Invalid input for field/attribute %(name)s. Value: '%(value)s'. %(expected)s")
        % {"name": name, "value": jsonutils.dumps(value), "expected": expected})


def check_shape(name: str, datatype, value) -> None:
    """Refuse ``value`` where its JSON type can never convert to ``datatype``.

    ``None`` is WSME's "not given" below the top level and passes; what a value of the
    right JSON type may hold is left to WSME and the controllers.
    """
    if value is None:
        return
    if isinstance(datatype, wtypes.ArrayType):
        if not isinstance(value, list):
            raise _mismatch(name, value, _("Expected a list"))
        for item in value:
            check_shape(name, datatype.item_type, item)
    elif isinstance(datatype, wtypes.DictType):
        if not isinstance(value, dict):
            raise _mismatch(name, value, _("Expected an object"))
        for key, item in value.items():
            check_shape(f"{name}.{key}", datatype.value_type, item)
    elif wtypes.iscomplex(datatype):
        if not isinstance(value, dict):
            raise _mismatch(name, value, _("Expected an object"))
        attributes = {attr.name: attr for attr in wtypes.list_attributes(datatype)}
        for key, item in value.items():
            if key in attributes:
                check_shape(key, attributes[key].datatype, item)
    elif isinstance(datatype, api_types.JsonType):
        return
    elif isinstance(datatype, wtypes.UserType):
        check_shape(name, datatype.basetype, value)
    elif datatype in _TIME_TYPES:
        if not isinstance(value, str):
            raise _mismatch(name, value, _("Expected an ISO 8601 date and time string"))
    elif not isinstance(value, _SCALARS):
        raise _mismatch(name, value, _("Expected a single value"))


def check_body_against(funcdef, document) -> None:
    """The body of a request to the endpoint WSME describes with ``funcdef``."""
    if funcdef.body_type is not None:
        argument = funcdef.arguments[-1].name
        if document is None and not isinstance(funcdef.body_type, api_types.JsonType):
            raise Refused(HTTPStatus.BAD_REQUEST,
                          _("Invalid input for field/attribute %s. Value: 'null'. A request "
                            "body is required") % argument)
        check_shape(argument, funcdef.body_type, document)
        return
    if document is None:
        return
    if not isinstance(document, dict):
        raise Refused(HTTPStatus.BAD_REQUEST, _("Request must be a JSON dict"))
    arguments = {argument.name: argument.datatype for argument in funcdef.arguments}
    for key, value in document.items():
        if key in arguments:
            check_shape(key, arguments[key], value)


def check_path_and_query_first(app):
    """WSGI wrapper running ``check_path_and_query`` before pecan.

    Pecan decodes the path itself before any hook runs, and answers invalid UTF-8 with a
    body of its own; refused here, such a path gets the same fault body as the rest.
    """

    def checked(environ, start_response):
        try:
            check_path_and_query(environ)
        except Refused as refusal:
            return refusal.response()(environ, start_response)
        return app(environ, start_response)

    return checked


class RequestChecksHook(hooks.PecanHook):
    """Runs the body checks above: size, format and depth on routing, shape once routed."""

    _DOCUMENT = "watcher.request_document"

    def on_route(self, state) -> None:
        request = state.request
        request.environ[self._DOCUMENT] = parse_body(request)

    def before(self, state) -> None:
        funcdef = getattr(state.controller, "_wsme_definition", None)
        if funcdef is not None:
            check_body_against(funcdef, state.request.environ.get(self._DOCUMENT))

    def on_error(self, state, error):
        if isinstance(error, Refused):
            return error.response()
        return None
