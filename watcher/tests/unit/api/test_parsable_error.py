import json

import webob

from watcher.api.middleware import parsable_error


def _app(status, body, content_type="application/json"):
    def application(environ, start_response):
        start_response(status, [("Content-Type", content_type),
                                ("Content-Length", str(len(body))), ("X-Kept", "yes")])
        return [body]
    return parsable_error.ParsableErrorMiddleware(application)


def test_error_body_becomes_error_message_string():
    fault = b'{"faultcode": "Client", "faultstring": "bad", "debuginfo": null}'
    response = webob.Request.blank("/").get_response(_app("400 Bad Request", fault))
    assert response.status_int == 400
    assert response.content_type == "application/json"
    assert response.headers["X-Kept"] == "yes"
    body = json.loads(response.body)
    assert json.loads(body["error_message"])["faultstring"] == "bad"
    assert int(response.headers["Content-Length"]) == len(response.body)


def test_success_passes_through_untouched():
    response = webob.Request.blank("/").get_response(_app("200 OK", b'{"a": 1}'))
    assert response.body == b'{"a": 1}'


def test_xml_when_asked():
    request = webob.Request.blank("/", headers={"Accept": "application/xml"})
    response = request.get_response(_app("404 Not Found", b"gone", "text/plain"))
    assert response.content_type == "application/xml"
    assert response.body == b"<error_message>gone</error_message>"
