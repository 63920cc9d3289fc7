import json

import pytest
import webob
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import generic
from keystonemiddleware import auth_token
from oslo_config import cfg

from watcher.tests.integration.simulator.conftest import password_session

pytestmark = pytest.mark.integration


def test_password_auth_and_catalog(sim):
    session = password_session(sim)
    assert session.get_token().startswith("gAAAAA")
    access = session.auth.get_access(session)
    types = {entry["type"] for entry in access.service_catalog.catalog}
    assert {"identity", "compute", "placement", "block-storage"} <= types
    assert types == {entry[0] for app in sim.apps.values() for entry in app.catalog}
    assert access.role_names == ["admin", "member", "reader"]
    volume_url = session.get_endpoint(service_type="block-storage", interface="public")
    assert volume_url.endswith(f"/volume/v3/{access.project_id}")
    assert session.get_endpoint(service_type="volumev3") == volume_url


def test_generic_password_plugin_discovers_v3(sim):
    auth = generic.Password(**sim.admin_credentials)
    session = ks_session.Session(auth=auth)
    assert session.get_user_id() == sim.state.users_by_name["admin"].id


def test_wrong_password_is_401(sim):
    session = password_session(sim, password="wrong")
    with pytest.raises(ks_exc.Unauthorized):
        session.get_token()


def test_lists_for_admin_and_forbidden_for_member(sim, conn):
    assert {p.name for p in conn.identity.projects()} == {"admin", "demo", "service"}
    assert {u.name for u in conn.identity.users()} == {"admin", "demo"}
    assert [d.id for d in conn.identity.domains()] == ["default"]
    demo = password_session(sim, "demo", "demo", "demo")
    response = demo.get("/projects", endpoint_filter={"service_type": "identity"},
                        raise_exc=False)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == 403


def _middleware(sim):
    def app(environ, start_response):
        request = webob.Request(environ)
        body = json.dumps({"roles": request.headers.get("X-Roles"),
                           "project": request.headers.get("X-Project-Name"),
                           "user": request.headers.get("X-User-Name")}).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]

    conf = {"auth_type": "password", "auth_url": sim.auth_url, "username": "admin",
            "password": "secret", "project_name": "admin", "user_domain_name": "Default",
            "project_domain_name": "Default", "www_authenticate_uri": sim.auth_url,
            "delay_auth_decision": False,
            # Without its own ConfigOpts keystonemiddleware registers the password plugin's
            # options (auth-url required) on the process-wide CONF and breaks later parses.
            "oslo_config_config": cfg.ConfigOpts()}
    return auth_token.AuthProtocol(app, conf)


def test_keystonemiddleware_validates_tokens(sim):
    middleware = _middleware(sim)
    for user, password, project, roles in (("admin", "secret", "admin", "admin"),
                                           ("demo", "demo", "demo", "member")):
        token = password_session(sim, user, password, project).get_token()
        request = webob.Request.blank("/", headers={"X-Auth-Token": token})
        response = request.get_response(middleware)
        assert response.status_int == 200, response.body
        seen = response.json
        assert seen["user"] == user and seen["project"] == project
        assert roles in seen["roles"].split(",")
    bad = webob.Request.blank("/", headers={"X-Auth-Token": "gAAAAAnot-a-token"})
    response = bad.get_response(middleware)
    assert response.status_int == 401
    assert sim.auth_url in response.headers["WWW-Authenticate"]


def test_revoked_token_is_rejected(sim, admin_session):
    token = password_session(sim, "demo", "demo", "demo").get_token()
    identity = {"service_type": "identity"}
    assert admin_session.head("/auth/tokens", endpoint_filter=identity,
                              headers={"X-Subject-Token": token}).status_code == 200
    admin_session.delete("/auth/tokens", endpoint_filter=identity,
                         headers={"X-Subject-Token": token})
    response = admin_session.get("/auth/tokens", endpoint_filter=identity,
                                 headers={"X-Subject-Token": token}, raise_exc=False)
    assert response.status_code == 404
