"""Fixtures shared by the integration tests."""

import pytest
from oslo_config import fixture as cfg_fixture

from watcher.conf import CONF


@pytest.fixture
def conf():
    """CONF parsed as a service parses it (no files), every override undone after the test."""
    fixture = cfg_fixture.Config(CONF)
    fixture.setUp()
    CONF([], project="watcher", default_config_files=[])
    yield fixture
    fixture.cleanUp()
