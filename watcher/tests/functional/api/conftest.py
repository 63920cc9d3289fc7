"""Shared fixture: the API with keystonemiddleware on, Keystone replaced by its test fixture."""

from __future__ import annotations

import pytest
from keystonemiddleware import auth_token
from keystonemiddleware import fixture as ksm_fixture

from watcher.conf import CONF
from watcher.tests.fixtures import database
from watcher.tests.functional.api import environment

ADMIN_TOKEN = "admin-token"
MEMBER_TOKEN = "member-token"
SERVICE_TOKEN = "service-token"


def _register_keystonemiddleware_options() -> None:
    # keystonemiddleware registers these itself when first built; the override below must
    # exist before that.
    for group, options in auth_token.list_opts():
        if group not in CONF or not all(o.dest in CONF[group] for o in options):
            CONF.register_opts(options, group=group)


@pytest.fixture
def authenticated_api():
    _register_keystonemiddleware_options()
    CONF.set_override("www_authenticate_uri", "http://keystone.invalid/identity",
                      group="keystone_authtoken")
    env = environment.ApiEnvironment(authentication=True)
    env.start()
    tokens = ksm_fixture.AuthTokenFixture()
    tokens.setUp()
    tokens.add_token_data(token_id=ADMIN_TOKEN, user_id="u-admin", project_id="p-1",
                          role_list=["admin", "member"])
    tokens.add_token_data(token_id=MEMBER_TOKEN, user_id="u-member", project_id="p-1",
                          role_list=["member", "reader"])
    tokens.add_token_data(token_id=SERVICE_TOKEN, user_id="u-aodh", project_id="p-svc",
                          role_list=["service"])
    try:
        yield env
    finally:
        tokens.cleanUp()
        env.stop()
        CONF.clear_override("www_authenticate_uri", group="keystone_authtoken")


@pytest.fixture(scope="module", params=database.BACKEND_PARAMS)
def api_on_each_db(request):
    """The API with the sample rows, on a database of its own on each backend."""
    backend = request.param
    name = url = None
    if backend != "sqlite":
        name, url = database.create_server_database(backend)
    env = environment.ApiEnvironment(db_url=url)
    env.start()
    try:
        yield env
    finally:
        env.stop()
        if name:
            database.drop_server_database(backend, name)
