"""Fixtures shared by the integration tests."""

import pytest
from oslo_config import fixture as cfg_fixture
from oslo_messaging.notify import _impl_test

from watcher.common import rpc
from watcher.conf import CONF
from watcher.notifications import events
from watcher.tests.fixtures import config as config_fixture


@pytest.fixture
def conf():
    """CONF parsed as a service parses it (no files), every override undone after the test."""
    yield from config_fixture.isolated(CONF)


@pytest.fixture(params=["", "info"], ids=["notifications-off", "notifications-on"])
def notification_level(request):
    """Notifications off, or on through oslo.messaging's in-memory test driver."""
    conf = cfg_fixture.Config(CONF)
    conf.setUp()
    conf.config(transport_url="fake://", notification_level=request.param)
    conf.config(driver=["test"], group="oslo_messaging_notifications")
    rpc.cleanup()
    events.register()
    _impl_test.reset()
    try:
        yield request.param
    finally:
        rpc.cleanup()
        conf.cleanUp()
        _impl_test.reset()
